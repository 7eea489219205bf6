#pragma once

#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "api/core/applications.hpp"
#include "api/core/clock.hpp"
#include "api/core/ids.hpp"
#include "api/core/managed_policies.hpp"
#include "api/core/model.hpp"
#include "api/core/operations.hpp"
#include "api/core/rules.hpp"
#include "api/core/state_import.hpp"

namespace icemu::store {
class database;
class resources;
class requests;
struct permission_set_row;
} // namespace icemu::store

namespace icemu::api::core {

struct service_options {
    scheduler_settings scheduler;
    std::vector<instance_seed> instances;
    std::vector<fault_rule> faults{}; // the configured fault rules, kept across resets
    /// Tenancy (the verify auth mode): an instance belongs to its owner account, and
    /// authorize() refuses every other account. Off (the open mode): nothing is filtered.
    bool enforce_tenancy = false;
    /// The largest page any list answers: a larger MaxResults / limit gets a shorter page with a
    /// next token (the APIs allow fewer items than asked for).
    std::int64_t max_page_size = 100;
    /// The AWS managed policies attach and boundary calls accept: the built-in catalogue and
    /// the configured extras (aws.extra_managed_policies).
    managed_policy_catalogue managed_policies{};
    /// The operations the surfaces answer (each surface adds its own): fault rules name them.
    operation_catalogue operations{};
    /// The primary Region of every instance (aws.region): ListRegions answers it first.
    std::string primary_region = "us-east-1";
};

/// The provisioning API, shared by every surface: validation of state (existence, conflicts),
/// the request lifecycle and the scheduler's rules. Instance ids are the 16 hex characters both
/// surfaces embed; permission set ids are 16 hex (without "ps-"). Throws core::error for every
/// client-visible failure and store::sqlite_error for storage failures. Writes join the shared
/// transaction of store::database (made durable by its commit()). Single-threaded.
class service {
public:
    service(store::database& db, clock& time, service_options options);
    ~service();
    service(service const&) = delete;
    service& operator=(service const&) = delete;

    /// Called whenever the earliest due time may have changed (wire it to the scheduler timer).
    std::function<void()> on_schedule_changed;
    /// Called for every request as it settles (wire it to the log).
    std::function<void(async_request const&)> on_settled;
    /// When set (identity.require_principals), asked as each assignment is created: a failure
    /// reason (the principal is not in the instance's identity store) makes it settle FAILED.
    std::function<std::optional<std::string>(std::string_view instance_id,
                                             std::string_view principal_type,
                                             std::string_view principal_id)>
        check_principal;

    /// Creates the configured initial state when the store holds no instance.
    void ensure_initial_state();

    // Instances (instances.cpp).
    page_result<instance> list_instances(page_request const& page);
    /// As list_instances; with tenancy enforced, only the instance `who` owns (one at most).
    page_result<instance> list_instances(caller const& who, page_request const& page);
    /// The instance and its encryption. A describe of an IN_PROGRESS encryption update counts
    /// as one (polls mode). not_found if unknown.
    instance_description describe_instance(std::string_view instance_id);
    /// Creates an ACTIVE instance owned by the caller's account, with a new id and identity
    /// store id. conflict + instance_exists if that account owns one; quota_exceeded over 50 tags.
    /// A retry with the ClientToken that created the caller's instance answers that instance.
    instance create_instance(caller const& who, std::optional<std::string> const& name,
                             std::vector<tag> const& tags = {},
                             std::optional<std::string> const& client_token = std::nullopt);
    /// Sets the instance's name when given (an absent name keeps it). With `encryption`, starts
    /// an INSTANCE_ENCRYPTION request that puts it in force if it succeeds (a failed one keeps
    /// the configuration in force). not_found if unknown; invalid_argument for a KMS key with
    /// AWS_OWNED_KMS_KEY or none with CUSTOMER_MANAGED_KEY; conflict + in_flight while an
    /// encryption update of the instance is IN_PROGRESS.
    void update_instance(std::string_view instance_id, std::optional<std::string> const& name,
                         std::optional<encryption_config> const& encryption = std::nullopt,
                         caller const& who = {});
    /// Erases the instance and everything in it (permission sets, assignments, requests, tags).
    /// not_found if unknown; conflict + in_flight while one of its requests is IN_PROGRESS.
    void delete_instance(std::string_view instance_id);

    // Permission sets (permission_sets.cpp).
    /// quota_exceeded with more than 50 tags; conflict + duplicate_name for a name in use.
    permission_set create_permission_set(std::string_view instance_id,
                                         permission_set_input const& input,
                                         std::vector<tag> const& tags = {});
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
    /// Its policies, boundary and tags go with it.
    void delete_permission_set(std::string_view instance_id, std::string_view permission_set_id);

    // Policies and the permissions boundary (policies.cpp). Every change below bumps the permission
    // set's version, and throws conflict + in_flight while a request on it is IN_PROGRESS; all
    // throw not_found for an unknown instance or permission set.
    void put_inline_policy(std::string_view instance_id, std::string_view permission_set_id,
                           std::string const& document);
    /// None when the permission set has no inline policy.
    std::optional<std::string> get_inline_policy(std::string_view instance_id,
                                                 std::string_view permission_set_id);
    /// Removes the inline policy; without one it changes nothing (icemu's choice).
    void delete_inline_policy(std::string_view instance_id, std::string_view permission_set_id);
    /// Attaches an AWS managed policy (any partition) under the name IAM gives it. not_found
    /// "Policy does not exist with ARN: <arn>" if the catalogue (with the configured extras) does
    /// not know it; invalid_argument if IAM marks it not attachable; conflict + duplicate_policy
    /// if attached already; quota_exceeded beyond 20 policies (AWS managed + customer managed).
    void attach_managed_policy(std::string_view instance_id, std::string_view permission_set_id,
                               std::string const& arn);
    /// not_found if the policy is not attached.
    void detach_managed_policy(std::string_view instance_id, std::string_view permission_set_id,
                               std::string const& arn);
    /// The attached managed policies (AWS ARNs or Huawei policy ids) with their names, in
    /// attachment order. Every item has a name (see attach_managed_policy).
    page_result<named_policy> list_managed_policies(std::string_view instance_id,
                                                    std::string_view permission_set_id,
                                                    page_request const& page);
    /// As attach_managed_policy, for a reference (name, path) to a customer managed policy.
    void attach_customer_managed_policy(std::string_view instance_id,
                                        std::string_view permission_set_id,
                                        customer_policy_ref const& ref);
    /// not_found if the reference is not attached.
    void detach_customer_managed_policy(std::string_view instance_id,
                                        std::string_view permission_set_id,
                                        customer_policy_ref const& ref);
    page_result<customer_policy_ref> list_customer_managed_policies(
        std::string_view instance_id, std::string_view permission_set_id, page_request const& page);
    /// invalid_argument unless exactly one of its two members is set; a managed policy ARN is
    /// checked as attach_managed_policy checks it.
    void put_permissions_boundary(std::string_view instance_id, std::string_view permission_set_id,
                                  permissions_boundary const& boundary);
    /// None when the permission set has no boundary.
    std::optional<permissions_boundary> get_permissions_boundary(
        std::string_view instance_id, std::string_view permission_set_id);
    /// Removes the boundary; without one it changes nothing (icemu's choice).
    void delete_permissions_boundary(std::string_view instance_id,
                                     std::string_view permission_set_id);

    // Tags (tags.cpp) of an instance (`permission_set_id` none) or of a permission set. Not content
    // changes: no version bump, no conflict with requests in flight. not_found if unknown.
    /// Adds the tags, overwriting the value of a key the resource has; quota_exceeded if the
    /// resource would have more than 50.
    void tag_resource(std::string_view instance_id,
                      std::optional<std::string_view> permission_set_id,
                      std::vector<tag> const& tags);
    /// Removes the keys the resource has; other keys are ignored.
    void untag_resource(std::string_view instance_id,
                        std::optional<std::string_view> permission_set_id,
                        std::vector<std::string> const& keys);
    /// Tags in the order their keys were first set.
    page_result<tag> list_tags(std::string_view instance_id,
                               std::optional<std::string_view> permission_set_id,
                               page_request const& page);

    // Huawei-only content and lookups (roles.cpp). Content changes bump the version
    // and throw conflict + in_flight while a request on the permission set is IN_PROGRESS; all
    // throw not_found for an unknown instance or permission set.
    /// As attach_managed_policy for a Huawei policy id (no AWS catalogue applies), recording
    /// `name`; without one, the name icemu knows for the id (from another attachment), else the
    /// id itself (icemu's choice).
    void attach_managed_policy(std::string_view instance_id, std::string_view permission_set_id,
                               std::string const& policy_id,
                               std::optional<std::string> const& name);
    /// conflict + duplicate_policy if attached already; quota_exceeded beyond 20 roles. Without
    /// a name the role is named as attach_managed_policy names a Huawei policy.
    void attach_managed_role(std::string_view instance_id, std::string_view permission_set_id,
                             named_policy const& role);
    /// not_found + policy_not_found if the role is not attached.
    void detach_managed_role(std::string_view instance_id, std::string_view permission_set_id,
                             std::string const& role_id);
    /// Every item has a name (see attach_managed_role).
    page_result<named_policy> list_managed_roles(std::string_view instance_id,
                                                 std::string_view permission_set_id,
                                                 page_request const& page);
    void put_custom_role(std::string_view instance_id, std::string_view permission_set_id,
                         std::string const& document);
    /// None when the permission set has no custom role.
    std::optional<std::string> get_custom_role(std::string_view instance_id,
                                               std::string_view permission_set_id);
    /// Removes the custom role; without one it changes nothing (icemu's choice).
    void delete_custom_role(std::string_view instance_id, std::string_view permission_set_id);
    /// The instance's permission sets matching every filter given; without filters, as
    /// list_permission_sets. A filter that matches nothing gives an empty page.
    page_result<permission_set> find_permission_sets(std::string_view instance_id,
                                                     permission_set_filter const& filter,
                                                     page_request const& page);
    /// The assignments in an account, of one permission set when given, else of all.
    page_result<assignment> list_account_assignments(
        std::string_view instance_id, std::string_view account_id,
        std::optional<std::string_view> permission_set_id, page_request const& page);
    core::permission_set_summary permission_set_summary(std::string_view instance_id);
    /// A permission set known by its id alone (Huawei's tag paths name no instance);
    /// not_found + permission_set_not_found if no instance has it.
    permission_set locate_permission_set(std::string_view permission_set_id);

    // Provisioning (provisioning.cpp). `account_id` none = ALL_PROVISIONED_ACCOUNTS.
    async_request provision(caller const& who, std::string_view instance_id,
                            std::string_view permission_set_id,
                            std::optional<std::string> const& account_id);
    /// A request of `kind` in the instance by its id text; counts as a describe (polls mode).
    async_request describe_request(std::string_view instance_id, std::string_view id_text,
                                   request_kind kind);
    page_result<request_summary> list_requests(std::string_view instance_id, request_kind kind,
                                               std::optional<request_status> status,
                                               page_request const& page);
    /// `latest`: only accounts at (true) or behind (false) the permission set's version.
    page_result<std::string> list_accounts_for_provisioned_permission_set(
        std::string_view instance_id, std::string_view permission_set_id,
        std::optional<bool> latest, page_request const& page);
    page_result<std::string> list_permission_sets_provisioned_to_account(
        std::string_view instance_id, std::string_view account_id, std::optional<bool> latest,
        page_request const& page);

    // Assignments (assignments.cpp).
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

    // Requests that name an instance alone (provisioning.cpp; the application family's asynchronous
    // kinds).
    /// Starts a request of `kind` on the instance, inside the caller's write scope.
    async_request start_instance_request(caller const& who, std::string_view instance_id,
                                         request_kind kind);
    /// The instance's latest request of `kind`, counted as a describe (polls mode); none if it
    /// has none.
    std::optional<async_request> latest_instance_request(std::string_view instance_id,
                                                         request_kind kind);

    // Tenancy (tenancy.cpp; the verify auth mode). Surfaces call these before an operation that
    // names an instance (or a permission set alone), once its input is valid.
    bool tenancy_enforced() const noexcept { return options_.enforce_tenancy; }
    /// The options the service was made with (the primary Region, the page size cap).
    service_options const& options() const noexcept { return options_; }
    /// access_denied + not_owner when tenancy is enforced and the instance exists but `who`
    /// does not own it; the message names `operation` (e.g. "DescribePermissionSet") and the
    /// instance as AWS IAM would. An unknown instance passes: the operation answers not_found.
    /// Does nothing when tenancy is not enforced.
    void authorize(caller const& who, std::string_view operation, std::string_view instance_id);
    /// As authorize, for the instance of a permission set known by its id alone (Huawei's tag
    /// paths); an unknown permission set passes.
    void authorize_permission_set(caller const& who, std::string_view operation,
                                  std::string_view permission_set_id);

    // The lifecycle (scheduling.cpp).
    /// Settles up to `max_rows` of the requests due by the scheduler's clock, oldest due first,
    /// in one savepoint of the shared transaction: all of them, or (store::sqlite_error) none,
    /// and they stay due. True when more are due: the caller lets other work run, then calls
    /// again (a backlog is settled in slices, so calls are not held up behind all of it). Cheap
    /// when nothing is due: the next due time is kept, so a call is one comparison.
    /// Settles nothing (and answers true) when the oldest due is more than `max_overdue_ms`
    /// overdue.
    bool settle_due(std::int64_t max_rows = std::numeric_limits<std::int64_t>::max(),
                    std::int64_t max_overdue_ms = std::numeric_limits<std::int64_t>::max());
    /// Before a call runs: settles the requests made due at once (a delay of 0, or nothing to
    /// do) since the last call, whatever else is due, so that each is settled before any later
    /// call is answered; then at most pre_call_rows more, the oldest due, unless it is more
    /// than pre_call_overdue_ms overdue. Such a backlog (more due than icemu settles as fast as
    /// calls come) is left to the scheduler timer's slices, and calls go first (else every call
    /// of a busy icemu would also pay for a settlement). A storage failure (a full or read-only
    /// store) leaves those requests due instead of failing the call, so reads keep working; the
    /// scheduler timer retries them and logs the failure.
    void settle_due_before_call();
    static constexpr std::int64_t pre_call_rows = 1;
    static constexpr std::int64_t pre_call_overdue_ms = 100;
    /// The earliest due time in wall-clock epoch ms (virtual time minus the offset), if any.
    std::optional<std::int64_t> next_due_wall_ms();
    /// The shared transaction was rolled back (a failed commit): requests it settled are in
    /// flight again with their old due times. Forgets the next due time and wakes the timer.
    void rolled_back();

    // The admin API (settle and advance_clock: scheduling.cpp; the rest: control.cpp).
    /// Settles an IN_PROGRESS request now; not_found if unknown, conflict if already settled.
    async_request settle(std::string_view id_text, request_status status,
                         std::optional<std::string> failure_reason);
    /// Moves the clock forward and settles what became due; returns their ids in due order.
    std::vector<request_id> advance_clock(std::int64_t ms);
    /// Erases requests and resources (of one instance when given), restores the configured
    /// scheduler settings, seed and clock (global reset only) and the initial state.
    void reset(std::optional<std::string> const& instance_id);
    /// Replaces the whole sandbox with `snapshot` (PUT /_icemu/state, a state document as
    /// fixtures; state_import.cpp): in one write scope, erases what a global reset erases and
    /// writes the snapshot's rows with their ids, dates, versions and statuses, then restores
    /// its clock offset and scheduler settings and plans its IN_PROGRESS requests again. A
    /// throw (invalid_argument, store::sqlite_error) leaves the old state whole. Fault rules and
    /// the journal are not part of the state: they stay.
    void replace_state(state_snapshot const& snapshot);
    std::vector<async_request> admin_requests(request_filter const& filter);
    scheduler_settings const& scheduler() const noexcept { return settings_; }
    /// Merges `update`; a new mode re-plans the requests in flight, a seed restarts the
    /// generator. Throws invalid_argument for out-of-range values.
    scheduler_settings const& update_scheduler(scheduler_update const& update);
    health_info health();
    /// The application family (applications, trusted token issuers), over the same store.
    applications& apps() noexcept { return apps_; }

    // Fault rules (faults.cpp). Outcome rules are applied as each request is created.
    /// The ordered rules: configured first, then run-time. A global reset erases the run-time
    /// rules and zeroes the hits of the configured ones.
    fault_rules const& faults() const noexcept { return faults_; }
    /// The operation names a fault rule may use (service_options::operations).
    operation_catalogue const& operations() const noexcept { return options_.operations; }
    /// Replaces the run-time rules (PUT /_icemu/faults).
    void replace_fault_rules(std::vector<fault_rule> rules);
    /// Erases the run-time rules (DELETE /_icemu/faults).
    void clear_fault_rules();
    /// The error a call about to run must answer instead, if an error rule matches `facts`
    /// (counted as a hit). Surfaces call it before the operation runs.
    std::optional<fault_error> check_call(call_facts const& facts);
    /// The size of the store in bytes (the metrics' icemu_store_bytes).
    std::int64_t store_bytes();
    /// How many requests there are of each kind and status (the metrics).
    std::vector<std::tuple<request_kind, request_status, std::int64_t>> request_counts();

private:
    instance require_instance(std::string_view instance_id);
    permission_set require_permission_set(std::string_view instance_id,
                                          std::string_view permission_set_id);
    /// As require_permission_set, as the store has it (to be written back).
    store::permission_set_row require_permission_set_row(std::string_view instance_id,
                                                         std::string_view permission_set_id);
    /// The permission set about to change content: not_found if unknown, conflict + in_flight
    /// while a request on it is IN_PROGRESS.
    permission_set require_changeable(std::string_view instance_id,
                                      std::string_view permission_set_id);
    /// Checks that the tag resource exists; returns its permission set id ("" for the instance).
    std::string_view require_taggable(std::string_view instance_id,
                                      std::optional<std::string_view> permission_set_id);
    /// The IAM name of the AWS managed policy `arn` names (see attach_managed_policy).
    std::string require_aws_managed_policy(std::string_view arn) const;
    /// Attaches a managed policy by id under `name`: conflict if attached, quota beyond 20.
    void insert_managed_policy(std::string_view instance_id, std::string_view permission_set_id,
                               std::string const& policy_id, std::string const& name);
    /// Stores `tags` on a resource, after checking the 50-tag quota.
    void put_tags(std::string_view instance_id, std::string_view permission_set_id,
                  std::vector<tag> const& tags);
    async_request start_request(caller const& who, async_request row, bool settle_now);
    /// Counts a describe of an IN_PROGRESS request that polls settle, settling it on the Nth.
    void count_poll(async_request& row);
    void plan(async_request& row, bool settle_now);
    /// The version of a permission set that a settlement records, looked up once per batch.
    struct version_memo {
        std::string instance_id;
        std::string permission_set_id;
        std::int64_t version = 0;
    };
    /// Settles `row` with `status` and applies its effects; `memo` (optional) carries the last
    /// permission set's version across the rows of one batch.
    void apply(async_request& row, request_status status, std::optional<std::string> reason,
               version_memo* memo = nullptr);
    /// Settles the requests due by `now`, in due order and in batches, inside the caller's
    /// write scope, up to `max_rows` of them; appends their ids to `settled` when given. True
    /// when it stopped at `max_rows` (more may be due).
    bool settle_due_by(std::int64_t now, std::vector<request_id>* settled = nullptr,
                       std::int64_t max_rows = std::numeric_limits<std::int64_t>::max());
    void schedule_changed();
    /// Forgets next_due_ when a transaction was rolled back since it was read (see rolled_back).
    void forget_stale_next_due() noexcept;
    /// A new request due at `due_ms` (none: not settled by time): wakes the timer only when it
    /// is due before every other, and keeps next_due_ known without a query.
    void schedule_added(std::optional<std::int64_t> due_ms);
    /// Applies the first matching outcome rule to a new request's plan; true if it is held.
    bool apply_outcome_rules(async_request& row);
    std::optional<std::string> permission_set_name(std::string_view instance_id,
                                                   std::string_view permission_set_id);
    /// The page size a list reads: the request's, capped by options_.max_page_size.
    std::int64_t page_limit(page_request const& page) const noexcept;

    store::database& db_;
    // The repositories, behind a pointer so that this header names no store type in full.
    struct repositories;
    std::unique_ptr<repositories> repos_;
    store::resources& resources_;
    store::requests& requests_;
    clock& clock_;
    service_options options_;
    scheduler_settings settings_;
    seeded_random random_;
    id_source ids_;
    // The earliest due time, when known (no more than the store's: settling never makes it
    // earlier): lets settle_due() skip SQL on every call.
    std::optional<std::optional<std::int64_t>> next_due_;
    std::uint64_t next_due_rollbacks_ = 0; // db_.rollbacks() when next_due_ was last checked
    // Requests made due at once since the last call (settle_due_before_call settles them).
    std::vector<request_id> due_at_once_;
    fault_rules faults_;
    // Error rules draw from their own stream, so calls never shift the requests' draws.
    seeded_random call_random_;
    applications apps_{db_, clock_, options_.max_page_size};
};

} // namespace icemu::api::core
