#pragma once

#include <span>

#include "api/huawei/routes.hpp"

// The Huawei identity store (`/v1/identity-stores/{identity_store_id}/...`): users, groups and
// group memberships over core::identity_store, the same data as AWS identitystore. Members
// are snake_case; one table maps them to the AWS members the store keeps.
namespace icemu::api::huawei {

/// The 23 endpoints of the store. Their handlers need route_context::identity.
std::span<route const> identity_routes() noexcept;

} // namespace icemu::api::huawei
