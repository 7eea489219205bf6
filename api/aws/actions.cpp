#include "api/aws/actions.hpp"

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "api/aws/app_actions.hpp"
#include "api/aws/region_actions.hpp"
#include "api/aws/render.hpp"
#include "api/core/error.hpp"
#include "api/json/reader.hpp"

namespace icemu::api::aws {

namespace {

using json::optional_string;
using json::string_or_empty;

std::string_view instance_of(action_context const& ctx) {
    return instance_id_of(string_or_empty(ctx.in, "InstanceArn"));
}

// The permission set id of PermissionSetArn; one embedded in another instance's ARN is not found.
std::string_view permission_set_of(action_context const& ctx, std::string_view instance_id,
                                   std::string_view member = "PermissionSetArn") {
    auto const [owner, id] = permission_set_ids_of(string_or_empty(ctx.in, member));
    if (owner != instance_id)
        throw core::error(core::errc::not_found,
                          "Could not find PermissionSet with id ps-" + std::string(id),
                          core::reason::permission_set_not_found);
    return id;
}

std::optional<core::request_status> status_filter(action_context const& ctx) {
    auto const* filter = json::find(ctx.in, "Filter");
    if (filter == nullptr)
        return std::nullopt;
    auto const status = optional_string(*filter, "Status");
    return status ? core::parse_request_status(*status) : std::nullopt;
}

std::optional<bool> provisioning_filter(action_context const& ctx) {
    auto const status = optional_string(ctx.in, "ProvisioningStatus");
    if (!status)
        return std::nullopt;
    return *status == "LATEST_PERMISSION_SET_PROVISIONED";
}

void list_instances(action_context& ctx) {
    auto const page = ctx.svc.instances.list(ctx.who, page_of(ctx));
    write_page(ctx.out, "Instances", page,
               [](json::writer& out, core::instance const& row) { render(out, row); });
}

void describe_instance(action_context& ctx) {
    // DescribeInstance's output is the instance's members at top level, with its encryption.
    render(ctx.out, ctx.svc.instances.describe(instance_of(ctx)));
}

void create_instance(action_context& ctx) {
    auto const row = ctx.svc.instances.create(ctx.who, optional_string(ctx.in, "Name"),
                                              tags_of(ctx), optional_string(ctx.in, "ClientToken"));
    ctx.out.start_object().member("InstanceArn", instance_arn(row.id)).end_object();
}

void update_instance(action_context& ctx) {
    std::optional<core::encryption_config> encryption;
    if (auto const* in = json::find(ctx.in, "EncryptionConfiguration"))
        encryption = core::encryption_config{std::string(string_or_empty(*in, "KeyType")),
                                             optional_string(*in, "KmsKeyArn")};
    ctx.svc.instances.update(instance_of(ctx), optional_string(ctx.in, "Name"), encryption,
                             ctx.who);
    ctx.out.start_object().end_object();
}

void delete_instance(action_context& ctx) {
    ctx.svc.instances.remove(instance_of(ctx));
    ctx.out.start_object().end_object();
}

void create_permission_set(action_context& ctx) {
    auto const row = ctx.svc.permission_sets.create(
        instance_of(ctx),
        {std::string(string_or_empty(ctx.in, "Name")), optional_string(ctx.in, "Description"),
         optional_string(ctx.in, "SessionDuration"), optional_string(ctx.in, "RelayState")},
        tags_of(ctx));
    ctx.out.start_object().key("PermissionSet");
    render(ctx.out, row);
    ctx.out.end_object();
}

void describe_permission_set(action_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const row = ctx.svc.permission_sets.describe(instance, permission_set_of(ctx, instance));
    ctx.out.start_object().key("PermissionSet");
    render(ctx.out, row);
    ctx.out.end_object();
}

void list_permission_sets(action_context& ctx) {
    auto const page = ctx.svc.permission_sets.list(instance_of(ctx), page_of(ctx));
    write_page(ctx.out, "PermissionSets", page,
               [](json::writer& out, core::permission_set const& row) {
                   out.string(permission_set_arn(row.instance_id, row.id));
               });
}

void update_permission_set(action_context& ctx) {
    auto const instance = instance_of(ctx);
    ctx.svc.permission_sets.update(
        instance, permission_set_of(ctx, instance),
        {optional_string(ctx.in, "Description"), optional_string(ctx.in, "SessionDuration"),
         optional_string(ctx.in, "RelayState")});
    ctx.out.start_object().end_object();
}

void delete_permission_set(action_context& ctx) {
    auto const instance = instance_of(ctx);
    ctx.svc.permission_sets.remove(instance, permission_set_of(ctx, instance));
    ctx.out.start_object().end_object();
}

void provision_permission_set(action_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const ps = permission_set_of(ctx, instance);
    std::optional<std::string> account;
    if (string_or_empty(ctx.in, "TargetType") == "AWS_ACCOUNT") {
        account = optional_string(ctx.in, "TargetId");
        // The model leaves TargetId optional; an AWS_ACCOUNT target needs one (icemu's choice).
        if (!account)
            throw core::error(core::errc::invalid_argument,
                              "1 validation error detected: Value null at 'targetId' failed to "
                              "satisfy constraint: Member must not be null");
    }
    auto const row = ctx.svc.provisioning.provision(ctx.who, instance, ps, account);
    ctx.out.start_object().key("PermissionSetProvisioningStatus");
    render_provisioning_status(ctx.out, row);
    ctx.out.end_object();
}

void describe_permission_set_provisioning_status(action_context& ctx) {
    auto const row = ctx.svc.provisioning.describe_request(
        instance_of(ctx), string_or_empty(ctx.in, "ProvisionPermissionSetRequestId"),
        core::request_kind::provision);
    ctx.out.start_object().key("PermissionSetProvisioningStatus");
    render_provisioning_status(ctx.out, row);
    ctx.out.end_object();
}

void list_status(action_context& ctx, core::request_kind kind, std::string_view key) {
    auto const page = ctx.svc.provisioning.list_requests(instance_of(ctx), kind, status_filter(ctx),
                                                         page_of(ctx));
    write_page(ctx.out, key, page, render_status_metadata);
}

void list_permission_set_provisioning_status(action_context& ctx) {
    list_status(ctx, core::request_kind::provision, "PermissionSetsProvisioningStatus");
}

void list_accounts_for_provisioned_permission_set(action_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const page = ctx.svc.provisioning.list_accounts_for_provisioned_permission_set(
        instance, permission_set_of(ctx, instance), provisioning_filter(ctx), page_of(ctx));
    write_page(ctx.out, "AccountIds", page,
               [](json::writer& out, std::string const& account) { out.string(account); });
}

void list_permission_sets_provisioned_to_account(action_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const page = ctx.svc.provisioning.list_permission_sets_provisioned_to_account(
        instance, string_or_empty(ctx.in, "AccountId"), provisioning_filter(ctx), page_of(ctx));
    write_page(ctx.out, "PermissionSets", page,
               [instance](json::writer& out, std::string const& ps) {
                   out.string(permission_set_arn(instance, ps));
               });
}

core::assignment_target assignment_of(action_context const& ctx, std::string_view instance) {
    return {std::string(permission_set_of(ctx, instance)),
            std::string(string_or_empty(ctx.in, "TargetId")),
            std::string(string_or_empty(ctx.in, "PrincipalType")),
            std::string(string_or_empty(ctx.in, "PrincipalId"))};
}

void create_account_assignment(action_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const row = ctx.svc.assignments.create(ctx.who, instance, assignment_of(ctx, instance));
    ctx.out.start_object().key("AccountAssignmentCreationStatus");
    render_assignment_status(ctx.out, row);
    ctx.out.end_object();
}

void describe_account_assignment_creation_status(action_context& ctx) {
    auto const row = ctx.svc.provisioning.describe_request(
        instance_of(ctx), string_or_empty(ctx.in, "AccountAssignmentCreationRequestId"),
        core::request_kind::assignment_create);
    ctx.out.start_object().key("AccountAssignmentCreationStatus");
    render_assignment_status(ctx.out, row);
    ctx.out.end_object();
}

void list_account_assignment_creation_status(action_context& ctx) {
    list_status(ctx, core::request_kind::assignment_create, "AccountAssignmentsCreationStatus");
}

void delete_account_assignment(action_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const row = ctx.svc.assignments.remove(ctx.who, instance, assignment_of(ctx, instance));
    ctx.out.start_object().key("AccountAssignmentDeletionStatus");
    render_assignment_status(ctx.out, row);
    ctx.out.end_object();
}

void describe_account_assignment_deletion_status(action_context& ctx) {
    auto const row = ctx.svc.provisioning.describe_request(
        instance_of(ctx), string_or_empty(ctx.in, "AccountAssignmentDeletionRequestId"),
        core::request_kind::assignment_delete);
    ctx.out.start_object().key("AccountAssignmentDeletionStatus");
    render_assignment_status(ctx.out, row);
    ctx.out.end_object();
}

void list_account_assignment_deletion_status(action_context& ctx) {
    list_status(ctx, core::request_kind::assignment_delete, "AccountAssignmentsDeletionStatus");
}

void render_assignment(json::writer& out, core::assignment const& row) {
    out.start_object();
    out.member("AccountId", row.account_id);
    out.member("PermissionSetArn", permission_set_arn(row.instance_id, row.permission_set_id));
    out.member("PrincipalType", row.principal_type);
    out.member("PrincipalId", row.principal_id);
    out.end_object();
}

void list_account_assignments_for_principal(action_context& ctx) {
    std::optional<std::string> account;
    if (auto const* filter = json::find(ctx.in, "Filter"))
        account = optional_string(*filter, "AccountId");
    auto const page = ctx.svc.assignments.list_for_principal(
        instance_of(ctx), string_or_empty(ctx.in, "PrincipalType"),
        string_or_empty(ctx.in, "PrincipalId"), account, page_of(ctx));
    write_page(ctx.out, "AccountAssignments", page, render_assignment);
}

void list_account_assignments(action_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const page = ctx.svc.assignments.list(instance, string_or_empty(ctx.in, "AccountId"),
                                               permission_set_of(ctx, instance), page_of(ctx));
    write_page(ctx.out, "AccountAssignments", page, render_assignment);
}

void put_inline_policy(action_context& ctx) {
    auto const instance = instance_of(ctx);
    ctx.svc.policies.put_inline(instance, permission_set_of(ctx, instance),
                                std::string(string_or_empty(ctx.in, "InlinePolicy")));
    ctx.out.start_object().end_object();
}

void get_inline_policy(action_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const policy = ctx.svc.policies.get_inline(instance, permission_set_of(ctx, instance));
    // Without an inline policy AWS answers an empty string (the model's note on InlinePolicy;
    // the CLI prints "InlinePolicy": ""): clients read the member without checking for it.
    ctx.out.start_object().member("InlinePolicy", policy.value_or("")).end_object();
}

void delete_inline_policy(action_context& ctx) {
    auto const instance = instance_of(ctx);
    ctx.svc.policies.remove_inline(instance, permission_set_of(ctx, instance));
    ctx.out.start_object().end_object();
}

void attach_managed_policy(action_context& ctx) {
    auto const instance = instance_of(ctx);
    ctx.svc.policies.attach_managed(instance, permission_set_of(ctx, instance),
                                    std::string(string_or_empty(ctx.in, "ManagedPolicyArn")));
    ctx.out.start_object().end_object();
}

void detach_managed_policy(action_context& ctx) {
    auto const instance = instance_of(ctx);
    ctx.svc.policies.detach_managed(instance, permission_set_of(ctx, instance),
                                    std::string(string_or_empty(ctx.in, "ManagedPolicyArn")));
    ctx.out.start_object().end_object();
}

void list_managed_policies(action_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const page =
        ctx.svc.policies.list_managed(instance, permission_set_of(ctx, instance), page_of(ctx));
    write_page(ctx.out, "AttachedManagedPolicies", page, render_attached_managed_policy);
}

// A CustomerManagedPolicyReference object ({Name, Path}); Path defaults to "/".
core::customer_policy_ref policy_ref_of(rapidjson::Value const& obj) {
    return {std::string(string_or_empty(obj, "Name")), optional_string(obj, "Path").value_or("/")};
}

core::customer_policy_ref policy_ref_of(action_context const& ctx) {
    auto const* ref = json::find(ctx.in, "CustomerManagedPolicyReference");
    return ref != nullptr ? policy_ref_of(*ref) : core::customer_policy_ref{};
}

void attach_customer_managed_policy(action_context& ctx) {
    auto const instance = instance_of(ctx);
    ctx.svc.policies.attach_customer_managed(instance, permission_set_of(ctx, instance),
                                             policy_ref_of(ctx));
    ctx.out.start_object().end_object();
}

void detach_customer_managed_policy(action_context& ctx) {
    auto const instance = instance_of(ctx);
    ctx.svc.policies.detach_customer_managed(instance, permission_set_of(ctx, instance),
                                             policy_ref_of(ctx));
    ctx.out.start_object().end_object();
}

void list_customer_managed_policies(action_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const page = ctx.svc.policies.list_customer_managed(
        instance, permission_set_of(ctx, instance), page_of(ctx));
    write_page(ctx.out, "CustomerManagedPolicyReferences", page, render_policy_reference);
}

void put_permissions_boundary(action_context& ctx) {
    auto const instance = instance_of(ctx);
    core::permissions_boundary boundary;
    if (auto const* in = json::find(ctx.in, "PermissionsBoundary")) {
        if (auto const* ref = json::find(*in, "CustomerManagedPolicyReference"))
            boundary.customer_managed = policy_ref_of(*ref);
        boundary.managed_arn = optional_string(*in, "ManagedPolicyArn");
    }
    ctx.svc.policies.put_boundary(instance, permission_set_of(ctx, instance), boundary);
    ctx.out.start_object().end_object();
}

void get_permissions_boundary(action_context& ctx) {
    auto const instance = instance_of(ctx);
    auto const boundary = ctx.svc.policies.get_boundary(instance, permission_set_of(ctx, instance));
    // The real answer for a permission set without a boundary is unknown (perhaps
    // ResourceNotFoundException); icemu answers {} without the member, as
    // GetInlinePolicyForPermissionSet does for a missing inline policy.
    ctx.out.start_object();
    if (boundary) {
        ctx.out.key("PermissionsBoundary");
        render(ctx.out, *boundary);
    }
    ctx.out.end_object();
}

void delete_permissions_boundary(action_context& ctx) {
    auto const instance = instance_of(ctx);
    ctx.svc.policies.remove_boundary(instance, permission_set_of(ctx, instance));
    ctx.out.start_object().end_object();
}

// The resource a TaggableResourceArn names: an instance, or a permission set (then
// `permission_set` is set). Applications and trusted token issuers are app_tags' (app_actions).
struct tag_target {
    std::string_view instance;
    std::optional<std::string_view> permission_set;
};

tag_target tag_target_of(action_context const& ctx) {
    auto const arn = string_or_empty(ctx.in, "ResourceArn");
    tag_target out;
    if (arn.find(":permissionSet/") != std::string_view::npos) {
        auto const [instance, ps] = permission_set_ids_of(arn);
        out = {instance, ps};
    } else if (arn.find(":instance/") != std::string_view::npos) {
        out.instance = instance_id_of(arn);
    } else {
        throw core::error(core::errc::not_found,
                          "Could not find resource " + std::string(arn) + ".");
    }
    // The optional InstanceArn must be the resource's own instance.
    if (auto const instance = optional_string(ctx.in, "InstanceArn");
        instance && instance_id_of(*instance) != out.instance)
        throw core::error(core::errc::not_found, "Could not find resource " + std::string(arn) +
                                                     " in instance " + *instance + ".");
    return out;
}

void tag_resource(action_context& ctx) {
    if (app_tags(ctx, tag_operation::tag))
        return;
    auto const target = tag_target_of(ctx);
    ctx.svc.tags.add(target.instance, target.permission_set, tags_of(ctx));
    ctx.out.start_object().end_object();
}

void untag_resource(action_context& ctx) {
    if (app_tags(ctx, tag_operation::untag))
        return;
    auto const target = tag_target_of(ctx);
    std::vector<std::string> keys;
    if (auto const* in = json::find(ctx.in, "TagKeys"); in != nullptr && in->IsArray())
        for (auto const& key : in->GetArray())
            if (key.IsString())
                keys.emplace_back(key.GetString(), key.GetStringLength());
    ctx.svc.tags.remove(target.instance, target.permission_set, keys);
    ctx.out.start_object().end_object();
}

void list_tags_for_resource(action_context& ctx) {
    if (app_tags(ctx, tag_operation::list))
        return;
    auto const target = tag_target_of(ctx);
    // The operation has no MaxResults member: pages of 100.
    auto const page = ctx.svc.tags.list(target.instance, target.permission_set,
                                        {100, optional_string(ctx.in, "NextToken")});
    write_page(ctx.out, "Tags", page, [](json::writer& out, core::tag const& item) {
        out.start_object().member("Key", item.key).member("Value", item.value).end_object();
    });
}

constexpr std::array<std::pair<std::string_view, action>, 38> actions{{
    {"AttachCustomerManagedPolicyReferenceToPermissionSet", attach_customer_managed_policy},
    {"AttachManagedPolicyToPermissionSet", attach_managed_policy},
    {"CreateAccountAssignment", create_account_assignment},
    {"CreateInstance", create_instance},
    {"CreatePermissionSet", create_permission_set},
    {"DeleteAccountAssignment", delete_account_assignment},
    {"DeleteInlinePolicyFromPermissionSet", delete_inline_policy},
    {"DeleteInstance", delete_instance},
    {"DeletePermissionSet", delete_permission_set},
    {"DeletePermissionsBoundaryFromPermissionSet", delete_permissions_boundary},
    {"DescribeAccountAssignmentCreationStatus", describe_account_assignment_creation_status},
    {"DescribeAccountAssignmentDeletionStatus", describe_account_assignment_deletion_status},
    {"DescribeInstance", describe_instance},
    {"DescribePermissionSet", describe_permission_set},
    {"DescribePermissionSetProvisioningStatus", describe_permission_set_provisioning_status},
    {"DetachCustomerManagedPolicyReferenceFromPermissionSet", detach_customer_managed_policy},
    {"DetachManagedPolicyFromPermissionSet", detach_managed_policy},
    {"GetInlinePolicyForPermissionSet", get_inline_policy},
    {"GetPermissionsBoundaryForPermissionSet", get_permissions_boundary},
    {"ListAccountAssignmentCreationStatus", list_account_assignment_creation_status},
    {"ListAccountAssignmentDeletionStatus", list_account_assignment_deletion_status},
    {"ListAccountAssignments", list_account_assignments},
    {"ListAccountAssignmentsForPrincipal", list_account_assignments_for_principal},
    {"ListAccountsForProvisionedPermissionSet", list_accounts_for_provisioned_permission_set},
    {"ListCustomerManagedPolicyReferencesInPermissionSet", list_customer_managed_policies},
    {"ListInstances", list_instances},
    {"ListManagedPoliciesInPermissionSet", list_managed_policies},
    {"ListPermissionSetProvisioningStatus", list_permission_set_provisioning_status},
    {"ListPermissionSets", list_permission_sets},
    {"ListPermissionSetsProvisionedToAccount", list_permission_sets_provisioned_to_account},
    {"ListTagsForResource", list_tags_for_resource},
    {"ProvisionPermissionSet", provision_permission_set},
    {"PutInlinePolicyToPermissionSet", put_inline_policy},
    {"PutPermissionsBoundaryToPermissionSet", put_permissions_boundary},
    {"TagResource", tag_resource},
    {"UntagResource", untag_resource},
    {"UpdateInstance", update_instance},
    {"UpdatePermissionSet", update_permission_set},
}};

} // namespace

core::page_request page_of(action_context const& ctx) {
    return {json::optional_int(ctx.in, "MaxResults").value_or(100),
            optional_string(ctx.in, "NextToken")};
}

// The Tags member ([{Key, Value}], validated against the model) as core tags.
std::vector<core::tag> tags_of(action_context const& ctx) {
    std::vector<core::tag> out;
    auto const* tags = json::find(ctx.in, "Tags");
    if (tags == nullptr || !tags->IsArray())
        return out;
    for (auto const& item : tags->GetArray())
        out.push_back({std::string(string_or_empty(item, "Key")),
                       std::string(string_or_empty(item, "Value"))});
    return out;
}

found_action find_action(std::string_view operation) noexcept {
    for (auto const& [name, fn] : actions)
        if (name == operation)
            return {name, fn};
    if (auto const found = find_app_action(operation); found.fn != nullptr)
        return found;
    return find_region_action(operation);
}

} // namespace icemu::api::aws
