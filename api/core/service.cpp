#include "api/core/service.hpp"

#include <algorithm>
#include <iterator>
#include <limits>
#include <utility>

#include "api/core/error.hpp"
#include "api/core/pagination.hpp"
#include "ids/ids.hpp"
#include "store/error.hpp"

namespace icemu::api::core {

namespace {

constexpr std::int64_t max_position = std::numeric_limits<std::int64_t>::max();
constexpr std::string_view conflicting_operation = "There is a conflicting operation in process.";
// IAM Identity Center quotas: AWS + customer managed policies per permission set, tags per
// resource.
constexpr std::int64_t max_policies = 20;
constexpr std::int64_t max_tags = 50;
// The configuration's one-day delay limit keeps due times (now + offset + delay) far from int64
// overflow.
constexpr std::int64_t max_delay_ms = 24LL * 60 * 60 * 1000;

// Keyset position of an ascending list: after the token's row, or from the start.
std::int64_t after(page_token const& token, page_request const& page) {
    return page.token ? token.decode(*page.token) : 0;
}

// Keyset position of a newest-first list: before the token's row, or from the newest.
std::int64_t before(page_token const& token, page_request const& page) {
    return page.token ? token.decode(*page.token) : max_position;
}

template <typename Row>
std::optional<std::string> next_of(page_token const& token, store::page<Row> const& rows) {
    if (!rows.next_after)
        return std::nullopt;
    return token.encode(*rows.next_after);
}

std::string_view as_view(std::optional<bool> latest) noexcept {
    if (!latest)
        return "any";
    return *latest ? "latest" : "behind";
}

} // namespace

service::service(store::database& db, clock& time, service_options options)
    : db_(db),
      resources_(db),
      requests_(db),
      clock_(time),
      options_(std::move(options)),
      settings_(options_.scheduler),
      random_(settings_.seed) {
    faults_.set_configured(options_.faults);
    call_random_.reseed(call_stream_seed(settings_.seed));
    clock_.set_offset_ms(requests_.clock_offset_ms());
}

void service::ensure_initial_state() {
    if (resources_.count_instances() > 0)
        return;
    store::write_scope scope(db_);
    for (auto const& seed : options_.instances) {
        instance row;
        row.id = seed.instance_id.empty()
                     ? derived_hex("icemu-instance:" + seed.owner_account_id, 16)
                     : seed.instance_id;
        row.owner_account = seed.owner_account_id;
        row.identity_store_id = seed.identity_store_id.empty()
                                    ? "d-" + derived_hex("icemu-store:" + row.id, 10)
                                    : seed.identity_store_id;
        if (!seed.name.empty())
            row.name = seed.name;
        row.created_ms = clock_.now_ms();
        resources_.insert_instance(row);
    }
    scope.release();
}

page_result<instance> service::list_instances(page_request const& page) {
    page_token const token{"ListInstances"};
    auto rows = resources_.list_instances(after(token, page), page_limit(page));
    return {std::move(rows.rows), next_of(token, rows)};
}

page_result<instance> service::list_instances(caller const& who, page_request const& page) {
    if (!options_.enforce_tenancy)
        return list_instances(page);
    // One instance per owner account: the caller's list has one item at most, so it never has
    // a next page. A token (from an open-mode list) is still checked, and ends the list.
    page_token const token{"ListInstances"};
    if (page.token) {
        token.decode(*page.token);
        return {};
    }
    page_result<instance> out;
    if (auto mine = resources_.find_instance_by_owner(who.account))
        out.items.push_back(std::move(*mine));
    return out;
}

void service::authorize(caller const& who, std::string_view operation,
                        std::string_view instance_id) {
    if (!options_.enforce_tenancy)
        return;
    auto const row = resources_.find_instance(instance_id);
    if (!row || row->owner_account == who.account)
        return;
    // The text of an IAM denial across accounts (AWS's AccessDeniedException text); the Huawei
    // surface renders its own.
    std::string const action = "sso:" + std::string(operation);
    throw error(errc::access_denied,
                "User: arn:aws:iam::" + who.account +
                    ":root is not authorized to perform: " + action +
                    " on resource: arn:aws:sso:::instance/ssoins-" + std::string(instance_id) +
                    " because no resource-based policy allows the " + action + " action",
                reason::not_owner);
}

void service::authorize_permission_set(caller const& who, std::string_view operation,
                                       std::string_view permission_set_id) {
    if (!options_.enforce_tenancy)
        return;
    if (auto const row = resources_.find_permission_set_anywhere(permission_set_id))
        authorize(who, operation, row->instance_id);
}

instance_description service::describe_instance(std::string_view instance_id) {
    instance_description out{require_instance(instance_id), {}};
    out.encryption.config = out.row.encryption;
    // The latest encryption update says how the instance stands (none: as created, ENABLED).
    auto const latest = requests_.list(instance_id, request_kind::instance_encryption, std::nullopt,
                                       max_position, 1);
    if (latest.rows.empty() || latest.rows.front().status == request_status::succeeded)
        return out;
    auto row = requests_.find(latest.rows.front().id);
    if (!row)
        return out;
    count_poll(*row);
    out.encryption.status = row->status;
    if (row->status == request_status::failed) {
        out.encryption.reason = row->failure_reason;
        return out;
    }
    // In progress, or settled by this very describe: the configuration it puts in force.
    if (auto pending = resources_.pending_encryption(instance_id))
        out.encryption.config = std::move(*pending);
    return out;
}

instance service::create_instance(caller const& who, std::optional<std::string> const& name,
                                  std::vector<tag> const& tags,
                                  std::optional<std::string> const& client_token) {
    if (who.account.empty())
        throw error(errc::invalid_argument, "The caller's account is unknown.");
    // One instance per owner account, as the model says; the real text is unknown. A retry with
    // the ClientToken that created it (SDKs fill one in and resend it) answers that instance.
    if (auto existing = resources_.find_instance_by_owner(who.account)) {
        if (client_token && resources_.instance_client_token(existing->id) == client_token)
            return std::move(*existing);
        throw error(
            errc::conflict,
            "An instance of IAM Identity Center already exists for account " + who.account + ".",
            reason::instance_exists);
    }
    instance row;
    row.id = ids_.hex16();
    row.owner_account = who.account;
    row.identity_store_id = "d-" + ids_.hex16().substr(0, 10);
    row.name = name;
    row.created_ms = clock_.now_ms();
    store::write_scope scope(db_);
    resources_.insert_instance(row);
    if (client_token)
        resources_.set_instance_client_token(row.id, *client_token);
    put_tags(row.id, "", tags);
    scope.release();
    return row;
}

void service::update_instance(std::string_view instance_id, std::optional<std::string> const& name,
                              std::optional<encryption_config> const& encryption,
                              caller const& who) {
    require_instance(instance_id);
    if (encryption) {
        // The model's rules for KmsKeyArn (the texts are icemu's).
        bool const customer = encryption->key_type == "CUSTOMER_MANAGED_KEY";
        if (customer && !encryption->kms_key_arn)
            throw error(errc::invalid_argument,
                        "KmsKeyArn is required when KeyType is CUSTOMER_MANAGED_KEY.");
        if (!customer && encryption->kms_key_arn)
            throw error(errc::invalid_argument,
                        "KmsKeyArn cannot be specified when KeyType is AWS_OWNED_KMS_KEY.");
        if (!requests_
                 .list(instance_id, request_kind::instance_encryption, request_status::in_progress,
                       max_position, 1)
                 .rows.empty())
            throw error(errc::conflict, std::string(conflicting_operation), reason::in_flight);
    }
    if (!name && !encryption)
        return;
    store::write_scope scope(db_); // the name, the pending configuration and its request
    if (name)
        resources_.set_instance_name(instance_id, name);
    if (encryption) {
        resources_.set_pending_encryption(instance_id, *encryption);
        async_request row;
        row.kind = request_kind::instance_encryption;
        row.instance_id = std::string(instance_id);
        start_request(who, std::move(row), false);
    }
    scope.release();
}

void service::delete_instance(std::string_view instance_id) {
    require_instance(instance_id);
    if (requests_.in_flight_in_instance(instance_id))
        throw error(errc::conflict, std::string(conflicting_operation), reason::in_flight);
    store::write_scope scope(db_);
    requests_.erase_instance(instance_id);
    resources_.erase_instance_resources(instance_id, true);
    scope.release();
    schedule_changed();
}

permission_set service::create_permission_set(std::string_view instance_id,
                                              permission_set_input const& input,
                                              std::vector<tag> const& tags) {
    require_instance(instance_id);
    permission_set row;
    row.id = ids_.hex16();
    row.instance_id = std::string(instance_id);
    row.name = input.name;
    row.description = input.description;
    row.session_duration = input.session_duration.value_or("PT1H");
    row.relay_state = input.relay_state;
    row.created_ms = clock_.now_ms();
    store::write_scope scope(db_);
    if (!resources_.insert_permission_set(row))
        throw error(errc::conflict, "PermissionSet with name " + input.name + " already exists.",
                    reason::duplicate_name);
    put_tags(instance_id, row.id, tags);
    scope.release();
    return row;
}

permission_set service::describe_permission_set(std::string_view instance_id,
                                                std::string_view permission_set_id) {
    return require_permission_set(instance_id, permission_set_id);
}

page_result<permission_set> service::list_permission_sets(std::string_view instance_id,
                                                          page_request const& page) {
    require_instance(instance_id);
    page_token const token{"ListPermissionSets", instance_id};
    auto rows = resources_.list_permission_sets(instance_id, after(token, page), page_limit(page));
    return {std::move(rows.rows), next_of(token, rows)};
}

permission_set service::update_permission_set(std::string_view instance_id,
                                              std::string_view permission_set_id,
                                              permission_set_update const& update) {
    auto row = require_permission_set(instance_id, permission_set_id);
    if (requests_.in_flight(permission_set_id, std::nullopt))
        throw error(errc::conflict, std::string(conflicting_operation), reason::in_flight);
    if (update.description)
        row.description = update.description;
    if (update.session_duration)
        row.session_duration = update.session_duration;
    // The real service clears RelayState when an update omits it (terraform always resends it).
    if (update.relay_state || !update.keep_absent_relay_state)
        row.relay_state = update.relay_state;
    store::write_scope scope(db_);
    resources_.update_permission_set(row);
    scope.release();
    row.version += 1;
    return row;
}

void service::delete_permission_set(std::string_view instance_id,
                                    std::string_view permission_set_id) {
    require_permission_set(instance_id, permission_set_id);
    if (resources_.has_assignments(permission_set_id) ||
        resources_.is_provisioned_anywhere(permission_set_id) ||
        requests_.in_flight(permission_set_id, std::nullopt))
        throw error(errc::conflict,
                    "Could not delete because PermissionSet has ApplicationProfile associated "
                    "with it.",
                    reason::still_attached);
    store::write_scope scope(db_);
    resources_.erase_permission_set(instance_id, permission_set_id);
    scope.release();
}

void service::put_inline_policy(std::string_view instance_id, std::string_view permission_set_id,
                                std::string const& document) {
    require_changeable(instance_id, permission_set_id);
    store::write_scope scope(db_);
    resources_.set_inline_policy(permission_set_id, document);
    resources_.bump_version(permission_set_id);
    scope.release();
}

std::optional<std::string> service::get_inline_policy(std::string_view instance_id,
                                                      std::string_view permission_set_id) {
    require_permission_set(instance_id, permission_set_id);
    return resources_.inline_policy(permission_set_id);
}

void service::delete_inline_policy(std::string_view instance_id,
                                   std::string_view permission_set_id) {
    require_changeable(instance_id, permission_set_id);
    if (!resources_.inline_policy(permission_set_id))
        return;
    store::write_scope scope(db_);
    resources_.set_inline_policy(permission_set_id, std::nullopt);
    resources_.bump_version(permission_set_id);
    scope.release();
}

void service::attach_managed_policy(std::string_view instance_id,
                                    std::string_view permission_set_id, std::string const& arn) {
    require_changeable(instance_id, permission_set_id);
    insert_managed_policy(instance_id, permission_set_id, arn, require_aws_managed_policy(arn));
}

std::string service::require_aws_managed_policy(std::string_view arn) const {
    auto const known = options_.managed_policies.find(arn);
    // AWS's text for an ARN IAM does not know (clients match on "Policy does not exist").
    if (!known)
        throw error(errc::not_found, "Policy does not exist with ARN: " + std::string(arn));
    // IAM refuses to attach the few policies it marks so; icemu refuses them up front (its
    // choice: AWS's own answer to attaching one to a permission set is unknown).
    if (!known->attachable)
        throw error(errc::invalid_argument, "Policy " + std::string(arn) + " is not attachable.");
    return std::string(known->name);
}

void service::insert_managed_policy(std::string_view instance_id,
                                    std::string_view permission_set_id,
                                    std::string const& policy_id, std::string const& name) {
    std::int64_t const attached = resources_.count_policies(permission_set_id);
    store::write_scope scope(db_);
    // AWS's text, typo included ("manged"): clients match on it.
    if (!resources_.insert_managed_policy(instance_id, permission_set_id, policy_id, name))
        throw error(errc::conflict,
                    "Permission set with id ps-" + std::string(permission_set_id) +
                        " already has a typed link attachment to a manged policy with " + policy_id,
                    reason::duplicate_policy);
    if (attached >= max_policies)
        throw error(errc::quota_exceeded,
                    "The permission set ps-" + std::string(permission_set_id) +
                        " already has the maximum of 20 managed and customer managed policies "
                        "attached.");
    resources_.bump_version(permission_set_id);
    scope.release();
}

void service::detach_managed_policy(std::string_view instance_id,
                                    std::string_view permission_set_id, std::string const& arn) {
    require_changeable(instance_id, permission_set_id);
    store::write_scope scope(db_);
    if (!resources_.erase_managed_policy(permission_set_id, arn))
        throw error(errc::not_found,
                    "Could not find managed policy " + arn +
                        " attached to PermissionSet with id ps-" + std::string(permission_set_id),
                    reason::policy_not_found);
    resources_.bump_version(permission_set_id);
    scope.release();
}

page_result<named_policy> service::list_managed_policies(std::string_view instance_id,
                                                         std::string_view permission_set_id,
                                                         page_request const& page) {
    require_permission_set(instance_id, permission_set_id);
    // Both surfaces' lists: a token of either continues the other's.
    page_token const token{"ListManagedPoliciesInPermissionSet", instance_id, permission_set_id};
    auto rows =
        resources_.list_managed_policies(permission_set_id, after(token, page), page_limit(page));
    for (auto& item : rows.rows)
        if (!item.name) // attached before names were recorded: an ARN's last segment is its name
            item.name = item.id.substr(item.id.rfind('/') + 1);
    return {std::move(rows.rows), next_of(token, rows)};
}

void service::attach_customer_managed_policy(std::string_view instance_id,
                                             std::string_view permission_set_id,
                                             customer_policy_ref const& ref) {
    require_changeable(instance_id, permission_set_id);
    std::int64_t const attached = resources_.count_policies(permission_set_id);
    store::write_scope scope(db_);
    // The exact AWS text is unconfirmed: this is moto's (two spaces before "and" included),
    // which says "already attached" as the clients that match on it expect.
    if (!resources_.insert_customer_policy(instance_id, permission_set_id, ref))
        throw error(errc::conflict,
                    "Given customer managed policy with name: " + ref.name + "  and path " +
                        ref.path + " already attached",
                    reason::duplicate_policy);
    if (attached >= max_policies)
        throw error(errc::quota_exceeded,
                    "The permission set ps-" + std::string(permission_set_id) +
                        " already has the maximum of 20 managed and customer managed policies "
                        "attached.");
    resources_.bump_version(permission_set_id);
    scope.release();
}

void service::detach_customer_managed_policy(std::string_view instance_id,
                                             std::string_view permission_set_id,
                                             customer_policy_ref const& ref) {
    require_changeable(instance_id, permission_set_id);
    store::write_scope scope(db_);
    if (!resources_.erase_customer_policy(permission_set_id, ref))
        throw error(errc::not_found,
                    "Could not find customer managed policy reference with name " + ref.name +
                        " and path " + ref.path + " attached to PermissionSet with id ps-" +
                        std::string(permission_set_id),
                    reason::policy_not_found);
    resources_.bump_version(permission_set_id);
    scope.release();
}

page_result<customer_policy_ref> service::list_customer_managed_policies(
    std::string_view instance_id, std::string_view permission_set_id, page_request const& page) {
    require_permission_set(instance_id, permission_set_id);
    page_token const token{"ListCustomerManagedPolicyReferencesInPermissionSet", instance_id,
                           permission_set_id};
    auto rows =
        resources_.list_customer_policies(permission_set_id, after(token, page), page_limit(page));
    return {std::move(rows.rows), next_of(token, rows)};
}

void service::put_permissions_boundary(std::string_view instance_id,
                                       std::string_view permission_set_id,
                                       permissions_boundary const& boundary) {
    // Checked before the permission set: a malformed input is a ValidationException first.
    if (boundary.customer_managed.has_value() == boundary.managed_arn.has_value())
        throw error(errc::invalid_argument,
                    "PermissionsBoundary must specify exactly one of "
                    "CustomerManagedPolicyReference and ManagedPolicyArn.");
    require_changeable(instance_id, permission_set_id);
    if (boundary.managed_arn)
        require_aws_managed_policy(*boundary.managed_arn);
    store::write_scope scope(db_);
    resources_.set_boundary(permission_set_id, boundary);
    resources_.bump_version(permission_set_id);
    scope.release();
}

std::optional<permissions_boundary> service::get_permissions_boundary(
    std::string_view instance_id, std::string_view permission_set_id) {
    require_permission_set(instance_id, permission_set_id);
    return resources_.boundary(permission_set_id);
}

void service::delete_permissions_boundary(std::string_view instance_id,
                                          std::string_view permission_set_id) {
    require_changeable(instance_id, permission_set_id);
    if (!resources_.boundary(permission_set_id))
        return;
    store::write_scope scope(db_);
    resources_.set_boundary(permission_set_id, std::nullopt);
    resources_.bump_version(permission_set_id);
    scope.release();
}

void service::tag_resource(std::string_view instance_id,
                           std::optional<std::string_view> permission_set_id,
                           std::vector<tag> const& tags) {
    auto const ps = require_taggable(instance_id, permission_set_id);
    store::write_scope scope(db_);
    put_tags(instance_id, ps, tags);
    scope.release();
}

void service::untag_resource(std::string_view instance_id,
                             std::optional<std::string_view> permission_set_id,
                             std::vector<std::string> const& keys) {
    auto const ps = require_taggable(instance_id, permission_set_id);
    store::write_scope scope(db_);
    for (auto const& key : keys)
        resources_.erase_tag(instance_id, ps, key);
    scope.release();
}

page_result<tag> service::list_tags(std::string_view instance_id,
                                    std::optional<std::string_view> permission_set_id,
                                    page_request const& page) {
    auto const ps = require_taggable(instance_id, permission_set_id);
    page_token const token{"ListTagsForResource", instance_id, ps};
    auto rows = resources_.list_tags(instance_id, ps, after(token, page), page_limit(page));
    return {std::move(rows.rows), next_of(token, rows)};
}

async_request service::provision(caller const& who, std::string_view instance_id,
                                 std::string_view permission_set_id,
                                 std::optional<std::string> const& account_id) {
    require_permission_set(instance_id, permission_set_id);
    std::optional<std::string_view> account;
    if (account_id)
        account = *account_id;
    // An ALL_PROVISIONED_ACCOUNTS request touches every account of the permission set, so any
    // request in flight on it conflicts; an account request conflicts with its own pair only.
    if (requests_.in_flight(permission_set_id, account))
        throw error(errc::conflict, std::string(conflicting_operation), reason::in_flight);
    async_request row;
    row.kind = request_kind::provision;
    row.instance_id = std::string(instance_id);
    row.permission_set_id = std::string(permission_set_id);
    row.account_id = account_id;
    // With nothing provisioned there is nothing to do: it settles SUCCEEDED at once.
    bool const nothing_to_do =
        !account_id && !resources_.is_provisioned_anywhere(permission_set_id);
    return start_request(who, std::move(row), nothing_to_do);
}

async_request service::describe_request(std::string_view instance_id, std::string_view id_text,
                                        request_kind kind) {
    auto const id = ids::parse_uuid(id_text);
    auto row = id ? requests_.find(*id) : std::nullopt;
    // The row names its instance, and deleting an instance erases its requests: the instance
    // is looked up only to say which of the two is missing (the hot read path is one query).
    if (!row || row->kind != kind || row->instance_id != instance_id) {
        require_instance(instance_id);
        throw error(errc::not_found, "Request with id " + std::string(id_text) + " does not exist.",
                    reason::request_not_found);
    }
    count_poll(*row);
    return std::move(*row); // the hot read path: no copy of its strings
}

void service::count_poll(async_request& row) {
    // A read-only store cannot count polls: the request answers as it stands.
    if (row.status != request_status::in_progress || row.settle_by != store::settle_mode::polls ||
        db_.read_only())
        return;
    store::write_scope scope(db_);
    if (row.polls_left <= 1) {
        apply(row, row.planned_status, row.planned_reason);
    } else {
        row.polls_left -= 1;
        requests_.set_polls_left(row.id, row.polls_left);
    }
    scope.release();
}

page_result<request_summary> service::list_requests(std::string_view instance_id, request_kind kind,
                                                    std::optional<request_status> status,
                                                    page_request const& page) {
    require_instance(instance_id);
    page_token const token{"ListRequests", to_string(kind), instance_id,
                           status ? to_string(*status) : "any"};
    auto rows = requests_.list(instance_id, kind, status, before(token, page), page_limit(page));
    return {std::move(rows.rows), next_of(token, rows)};
}

page_result<std::string> service::list_accounts_for_provisioned_permission_set(
    std::string_view instance_id, std::string_view permission_set_id, std::optional<bool> latest,
    page_request const& page) {
    require_permission_set(instance_id, permission_set_id);
    page_token const token{"ListAccountsForProvisionedPermissionSet", instance_id,
                           permission_set_id, as_view(latest)};
    auto rows = resources_.list_provisioned_accounts(permission_set_id, latest, after(token, page),
                                                     page_limit(page));
    return {std::move(rows.rows), next_of(token, rows)};
}

page_result<std::string> service::list_permission_sets_provisioned_to_account(
    std::string_view instance_id, std::string_view account_id, std::optional<bool> latest,
    page_request const& page) {
    require_instance(instance_id);
    page_token const token{"ListPermissionSetsProvisionedToAccount", instance_id, account_id,
                           as_view(latest)};
    auto rows = resources_.list_provisioned_permission_sets(instance_id, account_id, latest,
                                                            after(token, page), page_limit(page));
    return {std::move(rows.rows), next_of(token, rows)};
}

async_request service::create_assignment(caller const& who, std::string_view instance_id,
                                         assignment_target const& target) {
    require_permission_set(instance_id, target.permission_set_id);
    if (requests_.in_flight(target.permission_set_id, std::string_view(target.account_id)))
        throw error(errc::conflict, std::string(conflicting_operation), reason::in_flight);
    async_request row;
    row.kind = request_kind::assignment_create;
    row.instance_id = std::string(instance_id);
    row.permission_set_id = target.permission_set_id;
    row.account_id = target.account_id;
    row.principal_type = target.principal_type;
    row.principal_id = target.principal_id;
    return start_request(who, std::move(row), false);
}

async_request service::delete_assignment(caller const& who, std::string_view instance_id,
                                         assignment_target const& target) {
    require_permission_set(instance_id, target.permission_set_id);
    if (requests_.in_flight(target.permission_set_id, std::string_view(target.account_id)))
        throw error(errc::conflict, std::string(conflicting_operation), reason::in_flight);
    if (!resources_.assignment_exists({0, std::string(instance_id), target.permission_set_id,
                                       target.account_id, target.principal_type,
                                       target.principal_id}))
        throw error(errc::not_found, "Assignment not found.", reason::assignment_not_found);
    async_request row;
    row.kind = request_kind::assignment_delete;
    row.instance_id = std::string(instance_id);
    row.permission_set_id = target.permission_set_id;
    row.account_id = target.account_id;
    row.principal_type = target.principal_type;
    row.principal_id = target.principal_id;
    return start_request(who, std::move(row), false);
}

page_result<assignment> service::list_assignments_for_principal(
    std::string_view instance_id, std::string_view principal_type, std::string_view principal_id,
    std::optional<std::string> const& account_id, page_request const& page) {
    require_instance(instance_id);
    page_token const token{"ListAccountAssignmentsForPrincipal", instance_id, principal_type,
                           principal_id, account_id.value_or("")};
    auto rows =
        resources_.list_assignments_for_principal(instance_id, principal_type, principal_id,
                                                  account_id, after(token, page), page_limit(page));
    return {std::move(rows.rows), next_of(token, rows)};
}

page_result<assignment> service::list_assignments(std::string_view instance_id,
                                                  std::string_view account_id,
                                                  std::string_view permission_set_id,
                                                  page_request const& page) {
    require_permission_set(instance_id, permission_set_id);
    page_token const token{"ListAccountAssignments", instance_id, account_id, permission_set_id};
    auto rows = resources_.list_assignments(instance_id, account_id, permission_set_id,
                                            after(token, page), page_limit(page));
    return {std::move(rows.rows), next_of(token, rows)};
}

void service::reset(std::optional<std::string> const& instance_id) {
    store::write_scope scope(db_);
    if (instance_id) {
        require_instance(*instance_id);
        requests_.erase_instance(*instance_id);
        resources_.erase_instance_resources(*instance_id, false);
    } else {
        requests_.erase_all();
        resources_.erase_all();
        clock_.set_offset_ms(0);
        requests_.set_clock_offset_ms(0);
        settings_ = options_.scheduler;
        random_.reseed(settings_.seed);
        call_random_.reseed(call_stream_seed(settings_.seed));
        faults_.reset();
    }
    scope.release();
    ensure_initial_state();
    schedule_changed();
}

std::vector<async_request> service::admin_requests(request_filter const& filter) {
    return requests_.list_all({filter.status, filter.kind, filter.instance_id});
}

scheduler_settings const& service::update_scheduler(scheduler_update const& update) {
    scheduler_settings next = settings_;
    if (update.mode)
        next.mode = *update.mode;
    if (update.delay_min_ms)
        next.delay_min_ms = *update.delay_min_ms;
    if (update.delay_max_ms)
        next.delay_max_ms = *update.delay_max_ms;
    if (update.polls)
        next.polls = *update.polls;
    if (update.seed)
        next.seed = *update.seed;
    if (next.delay_min_ms < 0 || next.delay_max_ms < next.delay_min_ms)
        throw error(errc::invalid_argument, "delay_ms needs 0 <= min <= max (got min " +
                                                std::to_string(next.delay_min_ms) + ", max " +
                                                std::to_string(next.delay_max_ms) + ")");
    if (next.delay_max_ms > max_delay_ms)
        throw error(errc::invalid_argument,
                    "delay_ms is limited to " + std::to_string(max_delay_ms) + " ms (one day)");
    if (next.polls < 1)
        throw error(errc::invalid_argument, "polls must be at least 1");
    bool const mode_changed = next.mode != settings_.mode;
    settings_ = next;
    if (update.seed) {
        random_.reseed(settings_.seed);
        call_random_.reseed(call_stream_seed(settings_.seed));
    }
    if (mode_changed) {
        store::write_scope scope(db_);
        auto const now = clock_.now_ms();
        requests_.for_each_schedulable([&](async_request const& row) {
            // Already due (e.g. an ALL_PROVISIONED_ACCOUNTS request with nothing to do): it
            // settles at the next call whatever the mode.
            if (row.due_ms && *row.due_ms <= now)
                return;
            async_request copy = row;
            plan(copy, false);
            requests_.reschedule(copy.id, copy.settle_by, copy.due_ms, copy.polls_left);
        });
        scope.release();
        schedule_changed();
    }
    return settings_;
}

std::int64_t service::page_limit(page_request const& page) const noexcept {
    return std::min(page.limit, options_.max_page_size);
}

health_info service::health() {
    return {settings_.mode, clock_.offset_ms(), requests_.count_in_flight()};
}

instance service::require_instance(std::string_view instance_id) {
    auto row = resources_.find_instance(instance_id);
    if (!row)
        throw error(errc::not_found,
                    "Instance ssoins-" + std::string(instance_id) + " does not exist.",
                    reason::instance_not_found);
    return std::move(*row);
}

permission_set service::require_permission_set(std::string_view instance_id,
                                               std::string_view permission_set_id) {
    auto row = resources_.find_permission_set(instance_id, permission_set_id);
    if (!row) {
        // A permission set names its instance, and an instance is erased with its permission
        // sets: the instance is looked up only to say which of the two is missing (one query
        // on the hot write path instead of two).
        require_instance(instance_id);
        throw error(errc::not_found,
                    "Could not find PermissionSet with id ps-" + std::string(permission_set_id),
                    reason::permission_set_not_found);
    }
    return std::move(*row);
}

permission_set service::require_changeable(std::string_view instance_id,
                                           std::string_view permission_set_id) {
    auto row = require_permission_set(instance_id, permission_set_id);
    if (requests_.in_flight(permission_set_id, std::nullopt))
        throw error(errc::conflict, std::string(conflicting_operation), reason::in_flight);
    return row;
}

std::string_view service::require_taggable(std::string_view instance_id,
                                           std::optional<std::string_view> permission_set_id) {
    require_instance(instance_id);
    // Not a default string_view: its null data() would bind SQL NULL, not ''.
    if (!permission_set_id)
        return "";
    require_permission_set(instance_id, *permission_set_id);
    return *permission_set_id;
}

void service::put_tags(std::string_view instance_id, std::string_view permission_set_id,
                       std::vector<tag> const& tags) {
    // Keys new to the resource, each counted once even if the call repeats it.
    std::vector<std::string_view> added;
    for (auto const& item : tags)
        if (std::find(added.begin(), added.end(), item.key) == added.end() &&
            !resources_.has_tag(instance_id, permission_set_id, item.key))
            added.push_back(item.key);
    auto const total = resources_.count_tags(instance_id, permission_set_id) +
                       static_cast<std::int64_t>(added.size());
    if (total > max_tags)
        throw error(errc::quota_exceeded,
                    "A resource can have at most 50 tags; this request would give it " +
                        std::to_string(total) + ".");
    for (auto const& item : tags)
        resources_.put_tag(instance_id, permission_set_id, item);
}

} // namespace icemu::api::core
