// A permission set's policies: inline, AWS managed, customer managed and the permissions
// boundary. Every change bumps the version and waits for requests in flight.
#include "api/core/policies.hpp"

#include <algorithm>
#include <utility>

#include "api/core/context.hpp"
#include "api/core/error.hpp"
#include "api/core/service_detail.hpp"
#include "store/database.hpp"
#include "store/requests.hpp"
#include "store/resources.hpp"

namespace icemu::api::core {

using namespace detail;

policies::policies(context& ctx) : ctx_(ctx) {}

void policies::put_inline(std::string_view instance_id, std::string_view permission_set_id,
                          std::string const& document) {
    ctx_.require_changeable(instance_id, permission_set_id);
    store::write_scope scope(ctx_.db);
    ctx_.resources.set_inline_policy(permission_set_id, document);
    ctx_.resources.bump_version(permission_set_id);
    scope.release();
}

std::optional<std::string> policies::get_inline(std::string_view instance_id,
                                                std::string_view permission_set_id) {
    ctx_.require_permission_set(instance_id, permission_set_id);
    return ctx_.resources.inline_policy(permission_set_id);
}

void policies::remove_inline(std::string_view instance_id, std::string_view permission_set_id) {
    ctx_.require_changeable(instance_id, permission_set_id);
    if (!ctx_.resources.inline_policy(permission_set_id))
        return;
    store::write_scope scope(ctx_.db);
    ctx_.resources.set_inline_policy(permission_set_id, std::nullopt);
    ctx_.resources.bump_version(permission_set_id);
    scope.release();
}

void policies::attach_managed(std::string_view instance_id, std::string_view permission_set_id,
                              std::string const& arn) {
    ctx_.require_changeable(instance_id, permission_set_id);
    insert_managed_policy(instance_id, permission_set_id, arn, require_aws_managed_policy(arn));
}

void policies::attach_managed(std::string_view instance_id, std::string_view permission_set_id,
                              std::string const& policy_id,
                              std::optional<std::string> const& name) {
    ctx_.require_changeable(instance_id, permission_set_id);
    // Huawei lists always name a policy: the name given, else one another attachment gave the
    // same id, else the id itself (icemu's choice: it knows no catalogue of Huawei policies).
    insert_managed_policy(
        instance_id, permission_set_id, policy_id,
        name ? *name : ctx_.resources.known_managed_policy_name(policy_id).value_or(policy_id));
}

std::string policies::require_aws_managed_policy(std::string_view arn) const {
    auto const known = ctx_.options.managed_policies.find(arn);
    // AWS's text for an ARN IAM does not know (clients match on "Policy does not exist").
    if (!known)
        throw error(errc::not_found, "Policy does not exist with ARN: " + std::string(arn));
    // IAM refuses to attach the few policies it marks so; icemu refuses them up front (its
    // choice: AWS's own answer to attaching one to a permission set is unknown).
    if (!known->attachable)
        throw error(errc::invalid_argument, "Policy " + std::string(arn) + " is not attachable.");
    return std::string(known->name);
}

void policies::insert_managed_policy(std::string_view instance_id,
                                     std::string_view permission_set_id,
                                     std::string const& policy_id, std::string const& name) {
    std::int64_t const attached = ctx_.resources.count_policies(permission_set_id);
    store::write_scope scope(ctx_.db);
    // AWS's text, typo included ("manged"): clients match on it.
    if (!ctx_.resources.insert_managed_policy(instance_id, permission_set_id, policy_id, name))
        throw error(errc::conflict,
                    "Permission set with id ps-" + std::string(permission_set_id) +
                        " already has a typed link attachment to a manged policy with " + policy_id,
                    reason::duplicate_policy);
    if (attached >= max_policies)
        throw error(errc::quota_exceeded,
                    "The permission set ps-" + std::string(permission_set_id) +
                        " already has the maximum of 20 managed and customer managed policies "
                        "attached.");
    ctx_.resources.bump_version(permission_set_id);
    scope.release();
}

void policies::detach_managed(std::string_view instance_id, std::string_view permission_set_id,
                              std::string const& arn) {
    ctx_.require_changeable(instance_id, permission_set_id);
    store::write_scope scope(ctx_.db);
    if (!ctx_.resources.erase_managed_policy(permission_set_id, arn))
        throw error(errc::not_found,
                    "Could not find managed policy " + arn +
                        " attached to PermissionSet with id ps-" + std::string(permission_set_id),
                    reason::policy_not_found);
    ctx_.resources.bump_version(permission_set_id);
    scope.release();
}

page_result<named_policy> policies::list_managed(std::string_view instance_id,
                                                 std::string_view permission_set_id,
                                                 page_request const& page) {
    ctx_.require_permission_set(instance_id, permission_set_id);
    // Both surfaces' lists: a token of either continues the other's.
    page_token const token{"ListManagedPoliciesInPermissionSet", instance_id, permission_set_id};
    auto out = page_of(token, ctx_.resources.list_managed_policies(
                                  permission_set_id, after(token, page), ctx_.page_limit(page)));
    for (auto& item : out.items)
        if (!item.name) // attached before names were recorded: an ARN's last segment is its name
            item.name = item.id.substr(item.id.rfind('/') + 1);
    return out;
}

void policies::attach_customer_managed(std::string_view instance_id,
                                       std::string_view permission_set_id,
                                       customer_policy_ref const& ref) {
    ctx_.require_changeable(instance_id, permission_set_id);
    std::int64_t const attached = ctx_.resources.count_policies(permission_set_id);
    store::write_scope scope(ctx_.db);
    // The exact AWS text is unconfirmed: this is moto's (two spaces before "and" included),
    // which says "already attached" as the clients that match on it expect.
    if (!ctx_.resources.insert_customer_policy(instance_id, permission_set_id, to_store(ref)))
        throw error(errc::conflict,
                    "Given customer managed policy with name: " + ref.name + "  and path " +
                        ref.path + " already attached",
                    reason::duplicate_policy);
    if (attached >= max_policies)
        throw error(errc::quota_exceeded,
                    "The permission set ps-" + std::string(permission_set_id) +
                        " already has the maximum of 20 managed and customer managed policies "
                        "attached.");
    ctx_.resources.bump_version(permission_set_id);
    scope.release();
}

void policies::detach_customer_managed(std::string_view instance_id,
                                       std::string_view permission_set_id,
                                       customer_policy_ref const& ref) {
    ctx_.require_changeable(instance_id, permission_set_id);
    store::write_scope scope(ctx_.db);
    if (!ctx_.resources.erase_customer_policy(permission_set_id, to_store(ref)))
        throw error(errc::not_found,
                    "Could not find customer managed policy reference with name " + ref.name +
                        " and path " + ref.path + " attached to PermissionSet with id ps-" +
                        std::string(permission_set_id),
                    reason::policy_not_found);
    ctx_.resources.bump_version(permission_set_id);
    scope.release();
}

page_result<customer_policy_ref> policies::list_customer_managed(std::string_view instance_id,
                                                                 std::string_view permission_set_id,
                                                                 page_request const& page) {
    ctx_.require_permission_set(instance_id, permission_set_id);
    page_token const token{"ListCustomerManagedPolicyReferencesInPermissionSet", instance_id,
                           permission_set_id};
    return page_of(token, ctx_.resources.list_customer_policies(
                              permission_set_id, after(token, page), ctx_.page_limit(page)));
}

void policies::put_boundary(std::string_view instance_id, std::string_view permission_set_id,
                            permissions_boundary const& boundary) {
    // Checked before the permission set: a malformed input is a ValidationException first.
    if (boundary.customer_managed.has_value() == boundary.managed_arn.has_value())
        throw error(errc::invalid_argument,
                    "PermissionsBoundary must specify exactly one of "
                    "CustomerManagedPolicyReference and ManagedPolicyArn.");
    ctx_.require_changeable(instance_id, permission_set_id);
    if (boundary.managed_arn)
        require_aws_managed_policy(*boundary.managed_arn);
    store::write_scope scope(ctx_.db);
    ctx_.resources.set_boundary(permission_set_id, to_store(boundary));
    ctx_.resources.bump_version(permission_set_id);
    scope.release();
}

std::optional<permissions_boundary> policies::get_boundary(std::string_view instance_id,
                                                           std::string_view permission_set_id) {
    ctx_.require_permission_set(instance_id, permission_set_id);
    auto found = ctx_.resources.boundary(permission_set_id);
    if (!found)
        return std::nullopt;
    return to_core(std::move(*found));
}

void policies::remove_boundary(std::string_view instance_id, std::string_view permission_set_id) {
    ctx_.require_changeable(instance_id, permission_set_id);
    if (!ctx_.resources.boundary(permission_set_id))
        return;
    store::write_scope scope(ctx_.db);
    ctx_.resources.set_boundary(permission_set_id, std::nullopt);
    ctx_.resources.bump_version(permission_set_id);
    scope.release();
}

} // namespace icemu::api::core
