#pragma once

#include "api/core/operations.hpp"

namespace icemu::api::huawei {

/// Adds the operation of every route of the Huawei surface to `to`.
void add_operations(core::operation_catalogue& to);

} // namespace icemu::api::huawei
