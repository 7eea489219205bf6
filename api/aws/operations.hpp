#pragma once

#include "api/core/operations.hpp"

namespace icemu::api::aws {

/// Adds every operation of the AWS models (sso-admin, identitystore), implemented or not, to
/// `to`.
void add_operations(core::operation_catalogue& to);

} // namespace icemu::api::aws
