#pragma once

#include <string>
#include <string_view>

#include "api/core/model.hpp"
#include "api/json/writer.hpp"

namespace icemu::api::aws {

/// "arn:aws:sso:::instance/ssoins-<id>".
std::string instance_arn(std::string_view instance_id);
/// "arn:aws:sso:::permissionSet/ssoins-<instance>/ps-<id>".
std::string permission_set_arn(std::string_view instance_id, std::string_view permission_set_id);
/// The id an instance ARN names (the text after "ins-"); the ARN has passed the model's pattern.
std::string_view instance_id_of(std::string_view arn) noexcept;
/// The instance and permission set ids a permission set ARN names.
std::pair<std::string_view, std::string_view> permission_set_ids_of(std::string_view arn) noexcept;

void render(json::writer& out, core::instance const& row);
/// DescribeInstance's output: the instance with its EncryptionConfigurationDetails.
void render(json::writer& out, core::instance_description const& described);
void render(json::writer& out, core::permission_set const& row);
/// AttachedManagedPolicy {Name, Arn}: Name as IAM gives it (the core names every item).
void render_attached_managed_policy(json::writer& out, core::named_policy const& policy);
/// CustomerManagedPolicyReference {Name, Path}.
void render_policy_reference(json::writer& out, core::customer_policy_ref const& ref);
/// PermissionsBoundary {CustomerManagedPolicyReference} or {ManagedPolicyArn}.
void render(json::writer& out, core::permissions_boundary const& boundary);
/// PermissionSetProvisioningStatus (with AccountId when the request names one).
void render_provisioning_status(json::writer& out, core::async_request const& row);
/// AccountAssignmentOperationStatus.
void render_assignment_status(json::writer& out, core::async_request const& row);
/// The slim {Status, RequestId, CreatedDate} form of the List*Status operations.
void render_status_metadata(json::writer& out, core::request_summary const& row);

} // namespace icemu::api::aws
