#include "api/aws/render.hpp"

#include "api/core/ids.hpp"

namespace icemu::api::aws {

std::string instance_arn(std::string_view instance_id) {
    std::string out = "arn:aws:sso:::instance/ssoins-";
    out += instance_id;
    return out;
}

std::string permission_set_arn(std::string_view instance_id, std::string_view permission_set_id) {
    std::string out = "arn:aws:sso:::permissionSet/ssoins-";
    out += instance_id;
    out += "/ps-";
    out += permission_set_id;
    return out;
}

std::string_view instance_id_of(std::string_view arn) noexcept {
    auto const at = arn.find("ins-");
    if (at == std::string_view::npos)
        return {};
    auto id = arn.substr(at + 4);
    return id.substr(0, id.find('/'));
}

std::pair<std::string_view, std::string_view> permission_set_ids_of(std::string_view arn) noexcept {
    auto const ps = arn.rfind("/ps-");
    if (ps == std::string_view::npos)
        return {};
    return {instance_id_of(arn.substr(0, ps)), arn.substr(ps + 4)};
}

namespace {

void render_members(json::writer& out, core::instance const& row) {
    out.member("InstanceArn", instance_arn(row.id));
    out.member("IdentityStoreId", row.identity_store_id);
    out.member("OwnerAccountId", row.owner_account);
    out.member("Name", row.name);
    out.key("CreatedDate").epoch_seconds(row.created_ms);
    out.member("Status", row.status);
}

// KmsKeyStatus: the generic request status as an encryption update's.
std::string_view encryption_status(core::request_status status) noexcept {
    switch (status) {
    case core::request_status::in_progress: return "UPDATING";
    case core::request_status::failed: return "UPDATE_FAILED";
    case core::request_status::succeeded: break;
    }
    return "ENABLED";
}

} // namespace

void render(json::writer& out, core::instance const& row) {
    out.start_object();
    render_members(out, row);
    out.end_object();
}

void render(json::writer& out, core::instance_description const& described) {
    auto const& encryption = described.encryption;
    out.start_object();
    render_members(out, described.row);
    out.key("EncryptionConfigurationDetails").start_object();
    out.member("KeyType", encryption.config.key_type);
    out.member("KmsKeyArn", encryption.config.kms_key_arn);
    out.member("EncryptionStatus", encryption_status(encryption.status));
    out.member("EncryptionStatusReason", encryption.reason);
    out.end_object();
    out.end_object();
}

void render(json::writer& out, core::permission_set const& row) {
    out.start_object();
    out.member("Name", row.name);
    out.member("PermissionSetArn", permission_set_arn(row.instance_id, row.id));
    out.member("Description", row.description);
    out.key("CreatedDate").epoch_seconds(row.created_ms);
    out.member("SessionDuration", row.session_duration);
    out.member("RelayState", row.relay_state);
    out.end_object();
}

void render_attached_managed_policy(json::writer& out, core::named_policy const& policy) {
    out.start_object();
    out.member("Name", policy.name);
    out.member("Arn", policy.id);
    out.end_object();
}

void render_policy_reference(json::writer& out, core::customer_policy_ref const& ref) {
    out.start_object().member("Name", ref.name).member("Path", ref.path).end_object();
}

void render(json::writer& out, core::permissions_boundary const& boundary) {
    out.start_object();
    if (boundary.customer_managed) {
        out.key("CustomerManagedPolicyReference");
        render_policy_reference(out, *boundary.customer_managed);
    }
    out.member("ManagedPolicyArn", boundary.managed_arn);
    out.end_object();
}

void render_provisioning_status(json::writer& out, core::async_request const& row) {
    out.start_object();
    out.member("Status", core::to_string(row.status));
    out.member("RequestId", core::uuid_chars(row.id).view());
    out.member("AccountId", row.account_id);
    out.member("PermissionSetArn", permission_set_arn(row.instance_id, row.permission_set_id));
    out.member("FailureReason", row.failure_reason);
    out.key("CreatedDate").epoch_seconds(row.created_ms);
    out.end_object();
}

void render_assignment_status(json::writer& out, core::async_request const& row) {
    out.start_object();
    out.member("Status", core::to_string(row.status));
    out.member("RequestId", core::uuid_chars(row.id).view());
    out.member("FailureReason", row.failure_reason);
    out.member("TargetId", row.account_id);
    out.member("TargetType", "AWS_ACCOUNT");
    out.member("PermissionSetArn", permission_set_arn(row.instance_id, row.permission_set_id));
    out.member("PrincipalType", row.principal_type);
    out.member("PrincipalId", row.principal_id);
    out.key("CreatedDate").epoch_seconds(row.created_ms);
    out.end_object();
}

void render_status_metadata(json::writer& out, core::request_summary const& row) {
    out.start_object();
    out.member("Status", core::to_string(row.status));
    out.member("RequestId", core::uuid_chars(row.id).view());
    out.key("CreatedDate").epoch_seconds(row.created_ms);
    out.end_object();
}

} // namespace icemu::api::aws
