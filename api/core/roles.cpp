// The service's Huawei-only content (managed roles, the custom role, named managed policies) and
// the lookups the Huawei surface's filters need. Same rules as the AWS policies: content changes
// bump the version and wait for requests in flight.

#include "store/roles.hpp"

#include "api/core/error.hpp"
#include "api/core/pagination.hpp"
#include "api/core/service.hpp"
#include "api/core/service_detail.hpp"
#include "store/database.hpp"
#include "store/requests.hpp"
#include "store/resources.hpp"

namespace icemu::api::core {

using namespace detail;

namespace {

// icemu's choices (the real quotas are not documented): AWS's default of permission sets per
// instance, the core's 20 managed policies per permission set (and as many managed roles), and
// the documented maximum length of a custom policy.
constexpr std::int64_t permission_sets_quota = 2000;
constexpr std::int64_t max_managed_roles = 20;
constexpr std::int64_t max_policy_chars = 131072;

} // namespace

void service::attach_managed_policy(std::string_view instance_id,
                                    std::string_view permission_set_id,
                                    std::string const& policy_id,
                                    std::optional<std::string> const& name) {
    require_changeable(instance_id, permission_set_id);
    // Huawei lists always name a policy: the name given, else one another attachment gave the
    // same id, else the id itself (icemu's choice: it knows no catalogue of Huawei policies).
    insert_managed_policy(
        instance_id, permission_set_id, policy_id,
        name ? *name : resources_.known_managed_policy_name(policy_id).value_or(policy_id));
}

void service::attach_managed_role(std::string_view instance_id, std::string_view permission_set_id,
                                  named_policy const& role) {
    require_changeable(instance_id, permission_set_id);
    store::roles roles(db_);
    std::int64_t const attached = roles.count_managed_roles(permission_set_id);
    named_policy named = role;
    if (!named.name) // named as a policy without a name is (attach_managed_policy)
        named.name = roles.known_managed_role_name(role.id).value_or(role.id);
    store::write_scope scope(db_);
    if (!roles.insert_managed_role(instance_id, permission_set_id, to_store(named)))
        throw error(errc::conflict,
                    "Permission set ps-" + std::string(permission_set_id) +
                        " already has the managed role " + role.id + ".",
                    reason::duplicate_policy);
    if (attached >= max_managed_roles)
        throw error(errc::quota_exceeded, "The permission set ps-" +
                                              std::string(permission_set_id) +
                                              " already has the maximum of 20 managed roles.");
    resources_.bump_version(permission_set_id);
    scope.release();
}

void service::detach_managed_role(std::string_view instance_id, std::string_view permission_set_id,
                                  std::string const& role_id) {
    require_changeable(instance_id, permission_set_id);
    store::write_scope scope(db_);
    if (!store::roles(db_).erase_managed_role(permission_set_id, role_id))
        throw error(errc::not_found,
                    "Managed role " + role_id + " is not attached to permission set ps-" +
                        std::string(permission_set_id) + ".",
                    reason::policy_not_found);
    resources_.bump_version(permission_set_id);
    scope.release();
}

page_result<named_policy> service::list_managed_roles(std::string_view instance_id,
                                                      std::string_view permission_set_id,
                                                      page_request const& page) {
    require_permission_set(instance_id, permission_set_id);
    page_token const token{"ListManagedRolesInPermissionSet", instance_id, permission_set_id};
    auto out = page_of(token, store::roles(db_).list_managed_roles(
                                  permission_set_id, after(token, page), page_limit(page)));
    for (auto& item : out.items)
        if (!item.name) // attached without a name before names were always recorded
            item.name = item.id;
    return out;
}

void service::put_custom_role(std::string_view instance_id, std::string_view permission_set_id,
                              std::string const& document) {
    require_changeable(instance_id, permission_set_id);
    store::write_scope scope(db_);
    store::roles(db_).set_custom_role(permission_set_id, document);
    resources_.bump_version(permission_set_id);
    scope.release();
}

std::optional<std::string> service::get_custom_role(std::string_view instance_id,
                                                    std::string_view permission_set_id) {
    require_permission_set(instance_id, permission_set_id);
    return store::roles(db_).custom_role(permission_set_id);
}

void service::delete_custom_role(std::string_view instance_id, std::string_view permission_set_id) {
    require_changeable(instance_id, permission_set_id);
    store::roles roles(db_);
    if (!roles.custom_role(permission_set_id))
        return;
    store::write_scope scope(db_);
    roles.set_custom_role(permission_set_id, std::nullopt);
    resources_.bump_version(permission_set_id);
    scope.release();
}

page_result<permission_set> service::find_permission_sets(std::string_view instance_id,
                                                          permission_set_filter const& filter,
                                                          page_request const& page) {
    if (!filter.permission_set_id && !filter.name)
        return list_permission_sets(instance_id, page);
    require_instance(instance_id);
    // Ids and names are unique in an instance: a filtered list has at most one item.
    auto row = filter.permission_set_id
                   ? resources_.find_permission_set(instance_id, *filter.permission_set_id)
                   : resources_.find_permission_set_by_name(instance_id, *filter.name);
    page_result<permission_set> out;
    if (row && (!filter.name || row->name == *filter.name))
        out.items.push_back(to_core(std::move(*row)));
    return out;
}

page_result<assignment> service::list_account_assignments(
    std::string_view instance_id, std::string_view account_id,
    std::optional<std::string_view> permission_set_id, page_request const& page) {
    if (permission_set_id)
        return list_assignments(instance_id, account_id, *permission_set_id, page);
    require_instance(instance_id);
    page_token const token{"ListAccountAssignments", instance_id, account_id, "*"};
    return page_of(token, resources_.list_account_assignments(
                              instance_id, account_id, after(token, page), page_limit(page)));
}

core::permission_set_summary service::permission_set_summary(std::string_view instance_id) {
    require_instance(instance_id);
    return {resources_.count_permission_sets(instance_id), permission_sets_quota, 20,
            max_policy_chars};
}

permission_set service::locate_permission_set(std::string_view permission_set_id) {
    auto row = resources_.find_permission_set_anywhere(permission_set_id);
    if (!row)
        throw error(errc::not_found,
                    "Could not find PermissionSet with id ps-" + std::string(permission_set_id),
                    reason::permission_set_not_found);
    return to_core(std::move(*row));
}

} // namespace icemu::api::core
