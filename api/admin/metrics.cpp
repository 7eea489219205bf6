#include "api/admin/metrics.hpp"

#include <array>

namespace icemu::api::admin {

void render_core_metrics(std::string& out, core::service& svc) {
    using core::request_status;
    constexpr std::array statuses{request_status::in_progress, request_status::succeeded,
                                  request_status::failed};
    // Indexed by the kind's stored number; every kind of core::request_kinds is shown.
    std::array<std::array<std::int64_t, statuses.size()>, core::request_kinds.size()> counts{};
    for (auto const& [kind, status, n] : svc.control.request_counts()) {
        auto const k = static_cast<std::size_t>(kind);
        auto const s = static_cast<std::size_t>(status);
        if (k < counts.size() && s < statuses.size())
            counts[k][s] += n;
    }

    out += "# HELP icemu_async_requests Asynchronous requests in the store, by kind and status.\n";
    out += "# TYPE icemu_async_requests gauge\n";
    for (auto const& kind : core::request_kinds)
        for (auto const status : statuses) {
            out += "icemu_async_requests{kind=\"";
            out += kind.name;
            out += "\",status=\"";
            out += core::to_string(status);
            out += "\"} ";
            out += std::to_string(
                counts[static_cast<std::size_t>(kind.kind)][static_cast<std::size_t>(status)]);
            out += '\n';
        }
    out += "# HELP icemu_scheduler_queue_depth Requests in flight (IN_PROGRESS).\n";
    out += "# TYPE icemu_scheduler_queue_depth gauge\n";
    out += "icemu_scheduler_queue_depth " + std::to_string(svc.control.health().in_flight) + '\n';
    out += "# HELP icemu_store_bytes Size of the SQLite store in bytes.\n";
    out += "# TYPE icemu_store_bytes gauge\n";
    out += "icemu_store_bytes " + std::to_string(svc.control.store_bytes()) + '\n';
}

} // namespace icemu::api::admin
