#pragma once

#include "api/core/identity.hpp"
#include "api/core/service.hpp"
#include "api/json/writer.hpp"

namespace icemu::api::admin {

/// The identity store section of `GET /_icemu/state` (docs/lifecycle.md, Save the sandbox):
/// members `users`, `groups` and `group_memberships`, each item in the fixtures file's shape
/// (owner_account_id, user_name, display_name, ...) extended with its ids, its whole stored
/// `attributes`, the user's status and the dates. Every instance's store, in instance order.
void render_identity_state(json::writer& out, core::service& svc, core::identity_store& identity);

} // namespace icemu::api::admin
