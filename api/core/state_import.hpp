#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/core/identity.hpp"
#include "api/core/model.hpp"

namespace icemu::api::core {

struct service;

// The sandbox as `GET /_icemu/state` exports it, decoded (api/admin/state_load.hpp) and checked
// (every reference resolves, no id twice) so that service::replace_state only writes it. Ids are
// as the core has them: 16 hex for instances and permission sets (no "ssoins-" / "ps-").

struct state_instance {
    instance row; // id, owner, identity store id, name, status, created_ms, encryption in force
    std::vector<tag> tags;
};

/// An account the permission set is provisioned to: at its current version, or an earlier one.
struct state_provisioned {
    std::string account_id;
    bool current = true;
};

struct state_permission_set {
    permission_set row; // id, instance_id, name, ..., created_ms, version
    std::optional<std::string> inline_policy;
    std::vector<named_policy> managed_policies; // AWS ARNs or Huawei policy ids, with names
    std::vector<customer_policy_ref> customer_managed_policies;
    std::optional<permissions_boundary> boundary;
    std::vector<named_policy> managed_roles;
    std::optional<std::string> custom_role;
    std::vector<tag> tags;
    std::vector<state_provisioned> provisioned_accounts;
};

/// A user as the identity store has it, with the user name its attributes hold (the store's
/// unique key of a user; the decoder reads it from `attributes`).
struct state_user {
    identity_user row;
    std::optional<std::string> user_name;
};

/// A group, with the display name its attributes hold (likewise a unique key).
struct state_group {
    identity_group row;
    std::optional<std::string> display_name;
};

struct state_snapshot {
    std::vector<state_instance> instances;
    std::vector<state_permission_set> permission_sets;
    std::vector<assignment> assignments;
    std::vector<state_user> users;
    std::vector<state_group> groups;
    std::vector<identity_membership> memberships;
    /// Oldest first. An IN_PROGRESS request is planned again by replace_state: due at its
    /// `due_ms` when it has one, else settled as the snapshot's scheduler mode settles
    /// (polls, by hand), or held (auto mode) until settled by hand.
    std::vector<async_request> requests;
    std::int64_t clock_offset_ms = 0;
    /// None: the configured settings (as a global reset restores them).
    std::optional<scheduler_settings> scheduler;

    // Sections of other modules: the application family (applications, trusted token issuers,
    // ABAC attributes) and the instances' added Regions (api/admin/state_apps.hpp). Each module's
    // decoder appends its restore function here; replace_state calls them in order inside its write
    // scope, after the rows above are written (so an instance they name exists), and a throw rolls
    // back the whole.
    std::vector<std::function<void(service&)>> other_sections;
};

} // namespace icemu::api::core
