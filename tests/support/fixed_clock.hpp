#pragma once

#include <cstdint>

#include "api/core/clock.hpp"

namespace icemu::test {

/// A core::clock whose wall time is `wall_ms`, which only the test moves. Not copyable: the
/// clock's wall function reads this object's member.
class fixed_clock {
public:
    static constexpr std::int64_t start_ms = 1'700'000'000'123;

    fixed_clock() = default;
    fixed_clock(fixed_clock const&) = delete;
    fixed_clock& operator=(fixed_clock const&) = delete;

    /// Moves the wall time forward (or back) by `ms`.
    void move(std::int64_t ms) noexcept { wall_ms += ms; }

    std::int64_t wall_ms = start_ms;
    api::core::clock clock{[this] { return wall_ms; }};
};

} // namespace icemu::test
