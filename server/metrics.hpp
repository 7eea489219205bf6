#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/message.hpp"

namespace icemu::server {

/// The server's HTTP metrics: a counter of answered requests by (surface, operation, status)
/// and a latency histogram by surface. Recording costs a hash lookup and no allocation once a
/// label set has been seen (names are copied once, so `call_info` views may be short-lived).
/// Single-threaded: the sessions and the renderer run on the io_context's thread.
class metrics {
public:
    /// The histogram's upper bounds in seconds (the last bucket, +Inf, is implicit).
    static constexpr std::array<double, 11> bounds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                   0.05,   0.1,   0.25,   0.5,   1.0};

    /// Counts one answered request that took `duration` from its parse to its written answer.
    void record(call_info const& info, unsigned status, std::chrono::nanoseconds duration);

    /// Appends icemu_http_requests_total and icemu_http_request_duration_seconds in Prometheus
    /// text format (HELP/TYPE lines, no timestamps), label sets in sorted order.
    void render(std::string& out) const;

private:
    struct key {
        std::string_view surface;
        std::string_view operation;
        unsigned status;
        bool operator==(key const&) const = default;
    };
    struct key_hash {
        std::size_t operator()(key const& k) const noexcept;
    };
    struct histogram {
        std::string_view surface;
        std::array<std::uint64_t, bounds.size() + 1> buckets{}; // not cumulative; last: +Inf
        double sum = 0;
        std::uint64_t count = 0;
    };

    std::string_view intern(std::string_view name);

    std::set<std::string, std::less<>> names_; // node-based: views into it stay valid
    std::unordered_map<key, std::uint64_t, key_hash> requests_;
    std::vector<histogram> durations_;
};

} // namespace icemu::server
