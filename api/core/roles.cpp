// A permission set's Huawei-only content: managed roles and the custom role. Same rules as the
// AWS policies: content changes bump the version and wait for requests in flight.

#include "store/roles.hpp"

#include "api/core/context.hpp"
#include "api/core/error.hpp"
#include "api/core/pagination.hpp"
#include "api/core/roles.hpp"
#include "api/core/service_detail.hpp"
#include "store/database.hpp"
#include "store/requests.hpp"
#include "store/resources.hpp"

namespace icemu::api::core {

using namespace detail;

namespace {

// icemu's choice (the real quota is not documented): as many managed roles as the core's 20
// managed policies per permission set.
constexpr std::int64_t max_managed_roles = 20;

} // namespace

roles::roles(context& ctx) : ctx_(ctx) {}

void roles::attach_managed(std::string_view instance_id, std::string_view permission_set_id,
                           named_policy const& role) {
    ctx_.require_changeable(instance_id, permission_set_id);
    store::roles stored(ctx_.db);
    std::int64_t const attached = stored.count_managed_roles(permission_set_id);
    named_policy named = role;
    if (!named.name) // named as a policy without a name is (policies::attach_managed)
        named.name = stored.known_managed_role_name(role.id).value_or(role.id);
    store::write_scope scope(ctx_.db);
    if (!stored.insert_managed_role(instance_id, permission_set_id, to_store(named)))
        throw error(errc::conflict,
                    "Permission set ps-" + std::string(permission_set_id) +
                        " already has the managed role " + role.id + ".",
                    reason::duplicate_policy);
    if (attached >= max_managed_roles)
        throw error(errc::quota_exceeded, "The permission set ps-" +
                                              std::string(permission_set_id) +
                                              " already has the maximum of 20 managed roles.");
    ctx_.resources.bump_version(permission_set_id);
    scope.release();
}

void roles::detach_managed(std::string_view instance_id, std::string_view permission_set_id,
                           std::string const& role_id) {
    ctx_.require_changeable(instance_id, permission_set_id);
    store::write_scope scope(ctx_.db);
    if (!store::roles(ctx_.db).erase_managed_role(permission_set_id, role_id))
        throw error(errc::not_found,
                    "Managed role " + role_id + " is not attached to permission set ps-" +
                        std::string(permission_set_id) + ".",
                    reason::policy_not_found);
    ctx_.resources.bump_version(permission_set_id);
    scope.release();
}

page_result<named_policy> roles::list_managed(std::string_view instance_id,
                                              std::string_view permission_set_id,
                                              page_request const& page) {
    ctx_.require_permission_set(instance_id, permission_set_id);
    page_token const token{"ListManagedRolesInPermissionSet", instance_id, permission_set_id};
    auto out = page_of(token, store::roles(ctx_.db).list_managed_roles(
                                  permission_set_id, after(token, page), ctx_.page_limit(page)));
    for (auto& item : out.items)
        if (!item.name) // attached without a name before names were always recorded
            item.name = item.id;
    return out;
}

void roles::put_custom(std::string_view instance_id, std::string_view permission_set_id,
                       std::string const& document) {
    ctx_.require_changeable(instance_id, permission_set_id);
    store::write_scope scope(ctx_.db);
    store::roles(ctx_.db).set_custom_role(permission_set_id, document);
    ctx_.resources.bump_version(permission_set_id);
    scope.release();
}

std::optional<std::string> roles::get_custom(std::string_view instance_id,
                                             std::string_view permission_set_id) {
    ctx_.require_permission_set(instance_id, permission_set_id);
    return store::roles(ctx_.db).custom_role(permission_set_id);
}

void roles::remove_custom(std::string_view instance_id, std::string_view permission_set_id) {
    ctx_.require_changeable(instance_id, permission_set_id);
    store::roles stored(ctx_.db);
    if (!stored.custom_role(permission_set_id))
        return;
    store::write_scope scope(ctx_.db);
    stored.set_custom_role(permission_set_id, std::nullopt);
    ctx_.resources.bump_version(permission_set_id);
    scope.release();
}

} // namespace icemu::api::core
