#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace icemu::api::core {

/// The scheduler's clock: wall time plus an offset that only moves forward (virtual time).
class clock {
public:
    using wall_fn = std::function<std::int64_t()>; // epoch milliseconds

    /// Epoch milliseconds of the system clock.
    static std::int64_t system_ms() noexcept {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }

    explicit clock(wall_fn wall = system_ms) : wall_(std::move(wall)) {}

    std::int64_t wall_ms() const { return wall_(); }
    std::int64_t now_ms() const { return wall_() + offset_ms_; }
    std::int64_t offset_ms() const noexcept { return offset_ms_; }
    void set_offset_ms(std::int64_t offset) noexcept { offset_ms_ = offset; }

private:
    wall_fn wall_;
    std::int64_t offset_ms_ = 0;
};

/// A seeded generator whose sequence is the same on every platform (splitmix64), so delays and
/// probability draws depend only on the seed and the order of draws.
class seeded_random {
public:
    explicit seeded_random(std::uint64_t seed = 0) noexcept : state_(seed) {}
    void reseed(std::uint64_t seed) noexcept { state_ = seed; }
    std::uint64_t next() noexcept {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    /// Uniform in [low, high] (both inclusive; low <= high).
    std::int64_t between(std::int64_t low, std::int64_t high) noexcept {
        auto const span = static_cast<std::uint64_t>(high - low) + 1;
        return low + static_cast<std::int64_t>(span == 0 ? next() : next() % span);
    }
    /// Uniform in [0, 1).
    double unit() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

private:
    std::uint64_t state_;
};

} // namespace icemu::api::core
