#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/core/model.hpp"

namespace icemu::api::core {

struct context;

/// A permission set's policies and permissions boundary (policies.cpp). Every change below bumps
/// the permission set's version, and throws conflict + in_flight while a request on it is
/// IN_PROGRESS; all throw not_found for an unknown instance or permission set.
class policies {
public:
    explicit policies(context& ctx);

    void put_inline(std::string_view instance_id, std::string_view permission_set_id,
                    std::string const& document);
    /// None when the permission set has no inline policy.
    std::optional<std::string> get_inline(std::string_view instance_id,
                                          std::string_view permission_set_id);
    /// Removes the inline policy; without one it changes nothing (icemu's choice).
    void remove_inline(std::string_view instance_id, std::string_view permission_set_id);
    /// Attaches an AWS managed policy (any partition) under the name IAM gives it. not_found
    /// "Policy does not exist with ARN: <arn>" if the catalogue (with the configured extras) does
    /// not know it; invalid_argument if IAM marks it not attachable; conflict + duplicate_policy
    /// if attached already; quota_exceeded beyond 20 policies (AWS managed + customer managed).
    void attach_managed(std::string_view instance_id, std::string_view permission_set_id,
                        std::string const& arn);
    /// As attach_managed for a Huawei policy id (no AWS catalogue applies), recording `name`;
    /// without one, the name icemu knows for the id (from another attachment), else the id
    /// itself (icemu's choice).
    void attach_managed(std::string_view instance_id, std::string_view permission_set_id,
                        std::string const& policy_id, std::optional<std::string> const& name);
    /// not_found if the policy is not attached.
    void detach_managed(std::string_view instance_id, std::string_view permission_set_id,
                        std::string const& arn);
    /// The attached managed policies (AWS ARNs or Huawei policy ids) with their names, in
    /// attachment order. Every item has a name (see attach_managed).
    page_result<named_policy> list_managed(std::string_view instance_id,
                                           std::string_view permission_set_id,
                                           page_request const& page);
    /// As attach_managed, for a reference (name, path) to a customer managed policy.
    void attach_customer_managed(std::string_view instance_id, std::string_view permission_set_id,
                                 customer_policy_ref const& ref);
    /// not_found if the reference is not attached.
    void detach_customer_managed(std::string_view instance_id, std::string_view permission_set_id,
                                 customer_policy_ref const& ref);
    page_result<customer_policy_ref> list_customer_managed(std::string_view instance_id,
                                                           std::string_view permission_set_id,
                                                           page_request const& page);
    /// invalid_argument unless exactly one of its two members is set; a managed policy ARN is
    /// checked as attach_managed checks it.
    void put_boundary(std::string_view instance_id, std::string_view permission_set_id,
                      permissions_boundary const& boundary);
    /// None when the permission set has no boundary.
    std::optional<permissions_boundary> get_boundary(std::string_view instance_id,
                                                     std::string_view permission_set_id);
    /// Removes the boundary; without one it changes nothing (icemu's choice).
    void remove_boundary(std::string_view instance_id, std::string_view permission_set_id);

private:
    /// The IAM name of the AWS managed policy `arn` names (see attach_managed).
    std::string require_aws_managed_policy(std::string_view arn) const;
    /// Attaches a managed policy by id under `name`: conflict if attached, quota beyond 20.
    void insert_managed_policy(std::string_view instance_id, std::string_view permission_set_id,
                               std::string const& policy_id, std::string const& name);

    context& ctx_;
};

} // namespace icemu::api::core
