#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "api/core/model.hpp"

namespace icemu::api::core {

struct context;
class lifecycle;
class instances;
class fault_control;

/// The admin API's control (control.cpp): reset, the scheduler's settings, health, the
/// admin's request list and the metrics' counts.
class control {
public:
    control(context& ctx, lifecycle& requests, instances& initial, fault_control& faults);

    /// Erases requests and resources (of one instance when given), restores the configured
    /// scheduler settings, seed and clock (global reset only) and the initial state.
    void reset(std::optional<std::string> const& instance_id);
    std::vector<async_request> admin_requests(request_filter const& filter);
    scheduler_settings const& scheduler() const noexcept;
    /// Merges `update`; a new mode re-plans the requests in flight, a seed restarts the
    /// generator. Throws invalid_argument for out-of-range values.
    scheduler_settings const& update_scheduler(scheduler_update const& update);
    health_info health();
    /// The size of the store in bytes (the metrics' icemu_store_bytes).
    std::int64_t store_bytes();
    /// How many requests there are of each kind and status (the metrics).
    std::vector<std::tuple<request_kind, request_status, std::int64_t>> request_counts();

private:
    context& ctx_;
    lifecycle& lifecycle_;
    instances& instances_;
    fault_control& faults_;
};

} // namespace icemu::api::core
