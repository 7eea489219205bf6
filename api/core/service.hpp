#pragma once

#include "api/core/clock.hpp"
#include "api/core/ids.hpp"
#include "api/core/model.hpp"
#include "store/database.hpp"
#include "store/requests.hpp"
#include "store/resources.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace icemu::api::core {

struct service_options {
    scheduler_settings scheduler;
    std::vector<instance_seed> instances;
};

/// The provisioning API, shared by every surface: validation of state (existence, conflicts),
/// the request lifecycle and the scheduler's rules. Instance ids are the 16 hex characters both
/// surfaces embed; permission set ids are 16 hex (without "ps-"). Throws core::error for every
/// client-visible failure and store::sqlite_error for storage failures. Writes join the shared
/// transaction of store::database (made durable by its commit()). Single-threaded.
class service {
public:
    service(store::database& db, clock& time, service_options options);

    /// Called whenever the earliest due time may have changed (wire it to the scheduler timer).
    std::function<void()> on_schedule_changed;
    /// Called for every request as it settles (wire it to the log).
    std::function<void(async_request const&)> on_settled;

    /// Creates the configured initial state when the store holds no instance.
    void ensure_initial_state();

    // Instances.
    page_result<instance> list_instances(page_request const& page);
    instance describe_instance(std::string_view instance_id);

    // Permission sets.
    permission_set create_permission_set(std::string_view instance_id,
                                         permission_set_input const& input);
    permission_set describe_permission_set(std::string_view instance_id,
                                           std::string_view permission_set_id);
    page_result<permission_set> list_permission_sets(std::string_view instance_id,
                                                     page_request const& page);
    /// Sets the content members (`relay_state` absent clears it, as AWS does; the others keep
    /// their value when absent) and bumps the version.
    permission_set update_permission_set(std::string_view instance_id,
                                         std::string_view permission_set_id,
                                         permission_set_update const& update);
    /// conflict + still_attached while it has assignments, provisioned accounts or requests.
    void delete_permission_set(std::string_view instance_id, std::string_view permission_set_id);

    // Provisioning. `account_id` none = ALL_PROVISIONED_ACCOUNTS.
    async_request provision(caller const& who, std::string_view instance_id,
                            std::string_view permission_set_id,
                            std::optional<std::string> const& account_id);
    /// A request of `kind` in the instance by its id text; counts as a describe (polls mode).
    async_request describe_request(std::string_view instance_id, std::string_view id_text,
                                   request_kind kind);
    page_result<async_request> list_requests(std::string_view instance_id, request_kind kind,
                                             std::optional<request_status> status,
                                             page_request const& page);
    /// `latest`: only accounts at (true) or behind (false) the permission set's version.
    page_result<std::string> list_accounts_for_provisioned_permission_set(
        std::string_view instance_id, std::string_view permission_set_id,
        std::optional<bool> latest, page_request const& page);
    page_result<std::string> list_permission_sets_provisioned_to_account(
        std::string_view instance_id, std::string_view account_id, std::optional<bool> latest,
        page_request const& page);

    // Assignments.
    async_request create_assignment(caller const& who, std::string_view instance_id,
                                    assignment_target const& target);
    /// not_found when the assignment does not exist (icemu's choice).
    async_request delete_assignment(caller const& who, std::string_view instance_id,
                                    assignment_target const& target);
    page_result<assignment> list_assignments_for_principal(
        std::string_view instance_id, std::string_view principal_type,
        std::string_view principal_id, std::optional<std::string> const& account_id,
        page_request const& page);
    page_result<assignment> list_assignments(std::string_view instance_id,
                                             std::string_view account_id,
                                             std::string_view permission_set_id,
                                             page_request const& page);

    // The lifecycle.
    /// Settles every request due by the scheduler's clock. Cheap when nothing is due.
    void settle_due();
    /// The earliest due time in wall-clock epoch ms (virtual time minus the offset), if any.
    std::optional<std::int64_t> next_due_wall_ms();

    // The admin API.
    /// Settles an IN_PROGRESS request now; not_found if unknown, conflict if already settled.
    async_request settle(std::string_view id_text, request_status status,
                         std::optional<std::string> failure_reason);
    /// Moves the clock forward and settles what became due; returns their ids in due order.
    std::vector<request_id> advance_clock(std::int64_t ms);
    /// Erases requests and resources (of one instance when given), restores the configured
    /// scheduler settings, seed and clock (global reset only) and the initial state.
    void reset(std::optional<std::string> const& instance_id);
    std::vector<async_request> admin_requests(store::request_filter const& filter);
    scheduler_settings const& scheduler() const noexcept { return settings_; }
    /// Merges `update`; a new mode re-plans the requests in flight, a seed restarts the
    /// generator. Throws invalid_argument for out-of-range values.
    scheduler_settings const& update_scheduler(scheduler_update const& update);
    health_info health();
    std::int64_t store_bytes() { return db_.size_bytes(); }
    std::vector<std::tuple<request_kind, request_status, std::int64_t>> request_counts() {
        return requests_.counts();
    }

private:
    instance require_instance(std::string_view instance_id);
    permission_set require_permission_set(std::string_view instance_id,
                                          std::string_view permission_set_id);
    async_request start_request(caller const& who, async_request row, bool settle_now);
    void plan(async_request& row, bool settle_now);
    void apply(async_request& row, request_status status, std::optional<std::string> reason);
    void schedule_changed();

    store::database& db_;
    store::resources resources_;
    store::requests requests_;
    clock& clock_;
    service_options options_;
    scheduler_settings settings_;
    seeded_random random_;
    id_source ids_;
    // The earliest due time, when known: lets settle_due() skip SQL on every call.
    std::optional<std::optional<std::int64_t>> next_due_;
};

} // namespace icemu::api::core
