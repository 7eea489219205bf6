#pragma once

#include <string_view>

#include "api/core/model.hpp"

namespace icemu::api::core {

struct context;

/// Tenancy (tenancy.cpp; the verify auth mode): an instance answers only its owner account. The
/// call pipeline asks before an operation that names an instance (or a permission set alone),
/// once its input is valid.
class tenancy {
public:
    explicit tenancy(context& ctx);

    bool enforced() const noexcept;
    /// access_denied + not_owner when tenancy is enforced and the instance exists but `who`
    /// does not own it; the message names `operation` (e.g. "DescribePermissionSet") and the
    /// instance as AWS IAM would. An unknown instance passes: the operation answers not_found.
    /// Does nothing when tenancy is not enforced.
    void authorize(caller const& who, std::string_view operation, std::string_view instance_id);
    /// As authorize, for the instance of a permission set known by its id alone (Huawei's tag
    /// paths); an unknown permission set passes.
    void authorize_permission_set(caller const& who, std::string_view operation,
                                  std::string_view permission_set_id);

private:
    context& ctx_;
};

} // namespace icemu::api::core
