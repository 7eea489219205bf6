#include "api/huawei/routes.hpp"

#include <array>
#include <string>
#include <utility>

#include "api/huawei/render.hpp"
#include "api/json/reader.hpp"

namespace icemu::api::huawei {

namespace {

namespace http = server::http;

// ---- inputs shared by several routes ----------------------------------------------------------

std::string instance_of(route_context const& ctx) {
    return instance_id_of(ctx.params["instance_id"]);
}

std::string permission_set_of(route_context const& ctx) {
    return permission_set_id_of(ctx.params["permission_set_id"]);
}

std::optional<core::request_status> status_filter(route_context const& ctx) {
    auto const status = ctx.query.get("status");
    if (!status)
        return std::nullopt;
    return core::parse_request_status(
        one_of(*status, "status", {"IN_PROGRESS", "SUCCEEDED", "FAILED"}));
}

std::optional<bool> provisioning_filter(route_context const& ctx) {
    auto const status = ctx.query.get("provisioning_status");
    if (!status)
        return std::nullopt;
    return one_of(*status, "provisioning_status",
                  {"LATEST_PERMISSION_SET_PROVISIONED", "LATEST_PERMISSION_SET_NOT_PROVISIONED"}) ==
           "LATEST_PERMISSION_SET_PROVISIONED";
}

std::string principal_type_of(std::string_view text) {
    return one_of(text, "principal_type", {"USER", "GROUP"});
}

void write_ids(json::writer& out, std::string const& id) {
    out.string(permission_set_text(id));
}

void write_named(json::writer& out, core::named_policy const& item, std::string_view id_key,
                 std::string_view name_key) {
    out.start_object().member(id_key, item.id).member(name_key, item.name).end_object();
}

// ---- instances and permission sets -------------------------------------------------------------

void list_instances(route_context& ctx) {
    auto const page = ctx.svc.instances.list(ctx.who, page_of(ctx.query));
    render_page(ctx.out, "instances", page,
                [](json::writer& out, core::instance const& row) { render(out, row); });
}

void create_permission_set(route_context& ctx) {
    auto const instance = instance_of(ctx);
    core::permission_set_input input{*body_string(ctx.body, "name", 1, 32, true),
                                     body_string(ctx.body, "description", 0, 1024),
                                     body_string(ctx.body, "session_duration", 1, 100),
                                     body_string(ctx.body, "relay_state", 0, 240)};
    auto const row = ctx.svc.permission_sets.create(instance, input, body_tags(ctx.body, false));
    ctx.out.start_object().key("permission_set");
    render(ctx.out, row);
    ctx.out.end_object();
}

void list_permission_sets(route_context& ctx) {
    auto const instance = instance_of(ctx);
    core::permission_set_filter filter;
    if (auto const id = ctx.query.get("permission_set_id"))
        filter.permission_set_id = permission_set_id_of(*id);
    if (auto const name = ctx.query.get("name"))
        filter.name = *name;
    if (auto const urn = ctx.query.get("permission_urn")) {
        // A URN of another instance, not one of icemu's, or naming another permission set than
        // the permission_set_id filter matches nothing: an id no permission set has.
        auto const id = permission_set_of_urn(*urn, instance);
        bool const contradicts = filter.permission_set_id && id != filter.permission_set_id;
        filter.permission_set_id = id && !contradicts ? *id : std::string("none");
    }
    auto const page = ctx.svc.permission_sets.find(instance, filter, page_of(ctx.query));
    render_page(ctx.out, "permission_sets", page,
                [](json::writer& out, core::permission_set const& row) { render(out, row); });
}

void describe_permission_set(route_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const row = ctx.svc.permission_sets.describe(instance, permission_set_of(ctx));
    ctx.out.start_object().key("permission_set");
    render(ctx.out, row);
    ctx.out.end_object();
}

void update_permission_set(route_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const ps = permission_set_of(ctx);
    core::permission_set_update update{body_string(ctx.body, "description", 0, 1024),
                                       body_string(ctx.body, "session_duration", 1, 100),
                                       body_string(ctx.body, "relay_state", 0, 240), true};
    ctx.svc.permission_sets.update(instance, ps, update);
}

void delete_permission_set(route_context& ctx) {
    auto const instance = instance_of(ctx);
    ctx.svc.permission_sets.remove(instance, permission_set_of(ctx));
}

void get_permission_set_summary(route_context& ctx) {
    auto const summary = ctx.svc.permission_sets.summary(instance_of(ctx));
    ctx.out.start_object();
    ctx.out.member("permission_sets", summary.permission_sets);
    ctx.out.member("permission_sets_quota", summary.permission_sets_quota);
    ctx.out.member("permission_policy_count_quota", summary.policies_per_permission_set_quota);
    ctx.out.member("permission_policy_quota", summary.policy_size_quota);
    ctx.out.end_object();
}

// ---- policies and roles
// --------------------------------------------------------------------------

void attach_managed_policy(route_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const ps = permission_set_of(ctx);
    auto const id = *body_string(ctx.body, "managed_policy_id", 1, 64, true);
    ctx.svc.policies.attach_managed(instance, ps, id,
                                    body_string(ctx.body, "managed_policy_name", 1, 128));
}

void detach_managed_policy(route_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const ps = permission_set_of(ctx);
    ctx.svc.policies.detach_managed(instance, ps,
                                    *body_string(ctx.body, "managed_policy_id", 1, 64, true));
}

void list_managed_policies(route_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const ps = permission_set_of(ctx);
    auto const page = ctx.svc.policies.list_managed(instance, ps, page_of(ctx.query));
    render_page(ctx.out, "attached_managed_policies", page,
                [](json::writer& out, core::named_policy const& item) {
                    write_named(out, item, "policy_id", "policy_name");
                });
}

void attach_managed_role(route_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const ps = permission_set_of(ctx);
    core::named_policy role{*body_string(ctx.body, "managed_role_id", 1, 64, true),
                            body_string(ctx.body, "managed_role_name", 1, 128)};
    ctx.svc.roles.attach_managed(instance, ps, role);
}

void detach_managed_role(route_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const ps = permission_set_of(ctx);
    ctx.svc.roles.detach_managed(instance, ps,
                                 *body_string(ctx.body, "managed_role_id", 1, 64, true));
}

void list_managed_roles(route_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const ps = permission_set_of(ctx);
    auto const page = ctx.svc.roles.list_managed(instance, ps, page_of(ctx.query));
    render_page(ctx.out, "attached_managed_roles", page,
                [](json::writer& out, core::named_policy const& item) {
                    write_named(out, item, "role_id", "role_name");
                });
}

// The custom policy is the core's inline policy: the same document on both surfaces.
void put_custom_policy(route_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const ps = permission_set_of(ctx);
    ctx.svc.policies.put_inline(instance, ps,
                                *body_string(ctx.body, "custom_policy", 1, 131072, true));
}

void get_custom_policy(route_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const policy = ctx.svc.policies.get_inline(instance, permission_set_of(ctx));
    ctx.out.start_object().member("custom_policy", policy).end_object(); // {} without one
}

void delete_custom_policy(route_context& ctx) {
    auto const instance = instance_of(ctx);
    ctx.svc.policies.remove_inline(instance, permission_set_of(ctx));
}

void put_custom_role(route_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const ps = permission_set_of(ctx);
    ctx.svc.roles.put_custom(instance, ps, *body_string(ctx.body, "custom_role", 1, 131072, true));
}

void get_custom_role(route_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const role = ctx.svc.roles.get_custom(instance, permission_set_of(ctx));
    ctx.out.start_object().member("custom_role", role).end_object(); // {} without one
}

void delete_custom_role(route_context& ctx) {
    auto const instance = instance_of(ctx);
    ctx.svc.roles.remove_custom(instance, permission_set_of(ctx));
}

// ---- provisioning ------------------------------------------------------------------------------

void provision_permission_set(route_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const ps = permission_set_of(ctx);
    auto const type = one_of(body_string(ctx.body, "target_type", 0, 64, true).value_or(""),
                             "target_type", {"ACCOUNT", "ALL_PROVISIONED_ACCOUNTS"});
    std::optional<std::string> account;
    if (type == "ACCOUNT") {
        // The SDKs leave target_id optional; an ACCOUNT target needs one (icemu's choice).
        auto const target = body_string(ctx.body, "target_id", 0, 64, true);
        account = account_of(*target, "target_id");
    }
    auto const row = ctx.svc.provisioning.provision(ctx.who, instance, ps, account);
    ctx.out.start_object().key("permission_set_provisioning_status");
    render_provisioning_status(ctx.out, row);
    ctx.out.end_object();
}

void describe_provisioning_status(route_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const row = ctx.svc.provisioning.describe_request(
        instance, request_id_of(ctx.params["request_id"]), core::request_kind::provision);
    ctx.out.start_object().key("permission_set_provisioning_status");
    render_provisioning_status(ctx.out, row);
    ctx.out.end_object();
}

void list_status(route_context& ctx, core::request_kind kind, std::string_view key) {
    auto const instance = instance_of(ctx);
    auto const status = status_filter(ctx);
    auto const page =
        ctx.svc.provisioning.list_requests(instance, kind, status, page_of(ctx.query));
    render_page(ctx.out, key, page, render_status_metadata);
}

void list_provisioning_statuses(route_context& ctx) {
    list_status(ctx, core::request_kind::provision, "permission_sets_provisioning_status");
}

void list_accounts_for_provisioned_permission_set(route_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const ps = permission_set_of(ctx);
    auto const latest = provisioning_filter(ctx);
    auto const page = ctx.svc.provisioning.list_accounts_for_provisioned_permission_set(
        instance, ps, latest, page_of(ctx.query));
    render_page(ctx.out, "account_ids", page,
                [](json::writer& out, std::string const& account) { out.string(account); });
}

void list_permission_sets_provisioned_to_account(route_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const account = account_of(required_param(ctx.query, "account_id"), "account_id");
    auto const latest = provisioning_filter(ctx);
    auto const page = ctx.svc.provisioning.list_permission_sets_provisioned_to_account(
        instance, account, latest, page_of(ctx.query));
    render_page(ctx.out, "permission_sets", page, write_ids);
}

// ---- assignments -------------------------------------------------------------------------------

core::assignment_target assignment_of(route_context const& ctx) {
    auto const ps = body_string(ctx.body, "permission_set_id", 0, 64, true);
    auto const principal_id = body_string(ctx.body, "principal_id", 1, 47, true);
    auto const principal_type = body_string(ctx.body, "principal_type", 0, 64, true);
    auto const target = body_string(ctx.body, "target_id", 0, 64, true);
    one_of(*body_string(ctx.body, "target_type", 0, 64, true), "target_type", {"ACCOUNT"});
    return {permission_set_id_of(*ps), account_of(*target, "target_id"),
            principal_type_of(*principal_type), *principal_id};
}

void create_account_assignment(route_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const target = assignment_of(ctx);
    auto const row = ctx.svc.assignments.create(ctx.who, instance, target);
    ctx.out.start_object().key("account_assignment_creation_status");
    render_assignment_status(ctx.out, row);
    ctx.out.end_object();
}

void delete_account_assignment(route_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const target = assignment_of(ctx);
    auto const row = ctx.svc.assignments.remove(ctx.who, instance, target);
    ctx.out.start_object().key("account_assignment_deletion_status");
    render_assignment_status(ctx.out, row);
    ctx.out.end_object();
}

void write_assignment(json::writer& out, core::assignment const& row) {
    render(out, row);
}

void list_account_assignments(route_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const account = account_of(required_param(ctx.query, "account_id"), "account_id");
    std::optional<std::string> ps;
    if (auto const id = ctx.query.get("permission_set_id"))
        ps = permission_set_id_of(*id);
    auto const page = ctx.svc.assignments.list_in_account(
        instance, account, ps ? std::optional<std::string_view>(*ps) : std::nullopt,
        page_of(ctx.query));
    render_page(ctx.out, "account_assignments", page, write_assignment);
}

void list_account_assignments_for_principal(route_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const principal_id = principal_id_of(required_param(ctx.query, "principal_id"));
    auto const principal_type = principal_type_of(required_param(ctx.query, "principal_type"));
    std::optional<std::string> account;
    if (auto const id = ctx.query.get("account_id"))
        account = account_of(*id, "account_id");
    auto const page = ctx.svc.assignments.list_for_principal(instance, principal_type, principal_id,
                                                             account, page_of(ctx.query));
    render_page(ctx.out, "account_assignments", page, write_assignment);
}

void describe_assignment_status(route_context& ctx, core::request_kind kind, std::string_view key) {
    auto const instance = instance_of(ctx);
    auto const row = ctx.svc.provisioning.describe_request(
        instance, request_id_of(ctx.params["request_id"]), kind);
    ctx.out.start_object().key(key);
    render_assignment_status(ctx.out, row);
    ctx.out.end_object();
}

void describe_creation_status(route_context& ctx) {
    describe_assignment_status(ctx, core::request_kind::assignment_create,
                               "account_assignment_creation_status");
}

void describe_deletion_status(route_context& ctx) {
    describe_assignment_status(ctx, core::request_kind::assignment_delete,
                               "account_assignment_deletion_status");
}

void list_creation_statuses(route_context& ctx) {
    list_status(ctx, core::request_kind::assignment_create, "account_assignments_creation_status");
}

void list_deletion_statuses(route_context& ctx) {
    list_status(ctx, core::request_kind::assignment_delete, "account_assignments_deletion_status");
}

// ---- tags --------------------------------------------------------------------------------------

// The permission set a tag path names (resource_type identitycenter:permissionset, the only
// taggable type of the API; the SDKs percent-encode its colon, which the router decodes).
core::permission_set tag_target_of(route_context const& ctx) {
    one_of(ctx.params["resource_type"], "resource_type", {"identitycenter:permissionset"});
    return ctx.svc.permission_sets.locate(
        permission_set_id_of(ctx.params["resource_id"], "resource_id"));
}

void create_tags(route_context& ctx) {
    auto const tags = body_tags(ctx.body, true);
    auto const ps = tag_target_of(ctx);
    ctx.svc.tags.add(ps.instance_id, ps.id, tags);
}

void delete_tags(route_context& ctx) {
    // Each item names a key; a value, if sent, is not compared (icemu's choice).
    auto const* tags = json::find(ctx.body, "tags");
    if (tags == nullptr)
        bad_request("tags is required");
    if (!tags->IsArray())
        bad_request("tags must be an array");
    std::vector<std::string> keys;
    std::size_t i = 0;
    for (auto const& item : tags->GetArray()) {
        std::string const at = "tags[" + std::to_string(i++) + "]";
        if (!item.IsObject())
            bad_request(at + " must be an object");
        keys.push_back(*body_string(item, "key", 1, 128, true, at + ".key"));
    }
    auto const ps = tag_target_of(ctx);
    ctx.svc.tags.remove(ps.instance_id, ps.id, keys);
}

void list_tags(route_context& ctx) {
    auto const ps = tag_target_of(ctx);
    auto const page = ctx.svc.tags.list(ps.instance_id, ps.id, page_of(ctx.query));
    render_page(ctx.out, "tags", page, [](json::writer& out, core::tag const& item) {
        out.start_object().member("key", item.key).member("value", item.value).end_object();
    });
}

constexpr auto get = http::verb::get;
constexpr auto post = http::verb::post;
constexpr auto put = http::verb::put;
constexpr auto del = http::verb::delete_;

#define ICEMU_PS "/v1/instances/{instance_id}/permission-sets/{permission_set_id}"
#define ICEMU_AA "/v1/instances/{instance_id}/account-assignments"

constexpr std::array<route, 35> table{{
    {get, "/v1/instances", "ListInstances", list_instances, false},
    {post, "/v1/instances/{instance_id}/permission-sets", "CreatePermissionSet",
     create_permission_set, true},
    {get, "/v1/instances/{instance_id}/permission-sets", "ListPermissionSets", list_permission_sets,
     false},
    {get, ICEMU_PS, "DescribePermissionSet", describe_permission_set, false},
    {put, ICEMU_PS, "UpdatePermissionSet", update_permission_set, true},
    {del, ICEMU_PS, "DeletePermissionSet", delete_permission_set, false},
    {get, "/v1/instances/{instance_id}/permission-set-summary", "GetPermissionSetSummary",
     get_permission_set_summary, false},
    {post, ICEMU_PS "/attach-managed-policy", "AttachManagedPolicyToPermissionSet",
     attach_managed_policy, true},
    {post, ICEMU_PS "/detach-managed-policy", "DetachManagedPolicyFromPermissionSet",
     detach_managed_policy, true},
    {get, ICEMU_PS "/managed-policies", "ListManagedPoliciesInPermissionSet", list_managed_policies,
     false},
    {post, ICEMU_PS "/attach-managed-role", "AttachManagedRoleToPermissionSet", attach_managed_role,
     true},
    {post, ICEMU_PS "/detach-managed-role", "DetachManagedRoleFromPermissionSet",
     detach_managed_role, true},
    {get, ICEMU_PS "/managed-roles", "ListManagedRolesInPermissionSet", list_managed_roles, false},
    {put, ICEMU_PS "/custom-policy", "PutCustomPolicyToPermissionSet", put_custom_policy, true},
    {get, ICEMU_PS "/custom-policy", "GetCustomPolicyForPermissionSet", get_custom_policy, false},
    {del, ICEMU_PS "/custom-policy", "DeleteCustomPolicyFromPermissionSet", delete_custom_policy,
     false},
    {put, ICEMU_PS "/custom-role", "PutCustomRoleToPermissionSet", put_custom_role, true},
    {get, ICEMU_PS "/custom-role", "GetCustomRoleForPermissionSet", get_custom_role, false},
    {del, ICEMU_PS "/custom-role", "DeleteCustomRoleFromPermissionSet", delete_custom_role, false},
    {post, ICEMU_PS "/provision", "ProvisionPermissionSet", provision_permission_set, true},
    {get, "/v1/instances/{instance_id}/permission-sets/provisioning-status/{request_id}",
     "DescribePermissionSetProvisioningStatus", describe_provisioning_status, false},
    {get, "/v1/instances/{instance_id}/permission-sets/provisioning-statuses",
     "ListPermissionSetProvisioningStatus", list_provisioning_statuses, false},
    {get, ICEMU_PS "/accounts", "ListAccountsForProvisionedPermissionSet",
     list_accounts_for_provisioned_permission_set, false},
    {get, "/v1/instances/{instance_id}/permission-sets/provisioned-to-accounts",
     "ListPermissionSetsProvisionedToAccount", list_permission_sets_provisioned_to_account, false},
    {post, ICEMU_AA "/create", "CreateAccountAssignment", create_account_assignment, true},
    {post, ICEMU_AA "/delete", "DeleteAccountAssignment", delete_account_assignment, true},
    {get, ICEMU_AA, "ListAccountAssignments", list_account_assignments, false},
    {get, "/v1/instances/{instance_id}/account-assignments-for-principals",
     "ListAccountAssignmentsForPrincipal", list_account_assignments_for_principal, false},
    {get, ICEMU_AA "/creation-status/{request_id}", "DescribeAccountAssignmentCreationStatus",
     describe_creation_status, false},
    {get, ICEMU_AA "/deletion-status/{request_id}", "DescribeAccountAssignmentDeletionStatus",
     describe_deletion_status, false},
    {get, ICEMU_AA "/creation-statuses", "ListAccountAssignmentCreationStatus",
     list_creation_statuses, false},
    {get, ICEMU_AA "/deletion-statuses", "ListAccountAssignmentDeletionStatus",
     list_deletion_statuses, false},
    {post, "/v1/instances/{resource_type}/{resource_id}/tags/create", "CreateTagResource",
     create_tags, true},
    {post, "/v1/instances/{resource_type}/{resource_id}/tags/delete", "DeleteTagResource",
     delete_tags, true},
    {get, "/v1/instances/{resource_type}/{resource_id}/tags", "ListTagResources", list_tags, false},
}};

#undef ICEMU_PS
#undef ICEMU_AA

} // namespace

std::span<route const> routes() noexcept {
    return table;
}

} // namespace icemu::api::huawei
