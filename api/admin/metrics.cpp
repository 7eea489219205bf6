#include "api/admin/metrics.hpp"

#include <array>

namespace icemu::api::admin {

void render_core_metrics(std::string& out, core::service& svc) {
    using core::request_kind;
    using core::request_status;
    constexpr std::array kinds{request_kind::provision, request_kind::assignment_create,
                               request_kind::assignment_delete};
    constexpr std::array statuses{request_status::in_progress, request_status::succeeded,
                                  request_status::failed};
    std::array<std::array<std::int64_t, 3>, 3> counts{};
    for (auto const& [kind, status, n] : svc.request_counts())
        counts.at(static_cast<std::size_t>(kind)).at(static_cast<std::size_t>(status)) += n;

    out += "# HELP icemu_async_requests Asynchronous requests in the store, by kind and status.\n";
    out += "# TYPE icemu_async_requests gauge\n";
    for (auto const kind : kinds)
        for (auto const status : statuses) {
            out += "icemu_async_requests{kind=\"";
            out += core::to_string(kind);
            out += "\",status=\"";
            out += core::to_string(status);
            out += "\"} ";
            out += std::to_string(
                counts[static_cast<std::size_t>(kind)][static_cast<std::size_t>(status)]);
            out += '\n';
        }
    out += "# HELP icemu_scheduler_queue_depth Requests in flight (IN_PROGRESS).\n";
    out += "# TYPE icemu_scheduler_queue_depth gauge\n";
    out += "icemu_scheduler_queue_depth " + std::to_string(svc.health().in_flight) + '\n';
    out += "# HELP icemu_store_bytes Size of the SQLite store in bytes.\n";
    out += "# TYPE icemu_store_bytes gauge\n";
    out += "icemu_store_bytes " + std::to_string(svc.store_bytes()) + '\n';
}

} // namespace icemu::api::admin
