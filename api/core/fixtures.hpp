#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/core/clock.hpp"

namespace icemu::store {
class database;
} // namespace icemu::store

namespace icemu::api::core {

// Fixtures (`ICEMU_FIXTURES`, docs/docker.md): a known starting state for a CI job. Parsed from
// JSON by api/admin/fixtures.hpp; applied here. Every item carries `origin` ("<file>: <field
// path>"), which errors quote so that a bad reference names the file and item it came from.

struct fixture_instance {
    std::string origin;
    std::string owner_account_id;
    std::string name; // may be empty
};

struct fixture_permission_set {
    std::string origin;
    std::optional<std::string> owner_account_id; // none: the default instance (see apply_fixtures)
    std::string name;
    std::optional<std::string> description;
    std::optional<std::string> session_duration; // none: PT1H
    std::optional<std::string> relay_state;
};

struct fixture_assignment {
    std::string origin;
    std::optional<std::string> owner_account_id; // none: the default instance
    std::string permission_set;                  // a permission set's name in that instance
    std::string account_id;
    std::string principal_type; // USER | GROUP
    std::string principal_id;
};

/// A user of an instance's identity store.
struct fixture_user {
    std::string origin;
    std::optional<std::string> owner_account_id; // none: the default instance
    std::string user_name;
    std::optional<std::string> user_id; // none: derived from the store and the user name
    std::optional<std::string> display_name;
    std::optional<std::string> given_name;
    std::optional<std::string> family_name;
    std::optional<std::string> email;
};

/// A group of an instance's identity store.
struct fixture_group {
    std::string origin;
    std::optional<std::string> owner_account_id; // none: the default instance
    std::string display_name;
    std::optional<std::string> group_id; // none: derived from the store and the display name
    std::optional<std::string> description;
};

/// A user (by user name) in a group (by display name) of the same store.
struct fixture_group_membership {
    std::string origin;
    std::optional<std::string> owner_account_id; // none: the default instance
    std::string group;
    std::string user;
};

struct fixture_set {
    std::vector<fixture_instance> instances;
    std::vector<fixture_permission_set> permission_sets;
    std::vector<fixture_assignment> assignments;
    std::vector<fixture_user> users;
    std::vector<fixture_group> groups;
    std::vector<fixture_group_membership> group_memberships;

    bool empty() const noexcept {
        return instances.empty() && permission_sets.empty() && assignments.empty() &&
               users.empty() && groups.empty() && group_memberships.empty();
    }
};

/// What apply_fixtures did: `applied` is false when the store was not fresh (nothing written).
struct fixture_report {
    bool applied = false;
    std::int64_t instances = 0; // created (an instance that already existed is not counted)
    std::int64_t permission_sets = 0;
    std::int64_t assignments = 0;
    std::int64_t users = 0; // created (a user name the store has already is not counted)
    std::int64_t groups = 0;
    std::int64_t group_memberships = 0;
};

/// Applies the fixtures when the store holds no permission set yet (a first start: the initial
/// state alone does not count), else does nothing. In one write scope, so all or nothing:
/// - an instance is created unless its owner account has one; its id is derived from the owner
///   account exactly as the initial state's (instances::ensure_initial_state);
/// - a permission set goes to the instance of its `owner_account_id`, by default to the first
///   fixture instance, or to the store's first instance when the fixtures declare none; its id
///   is derived from its instance and name, so its ARN is the same on every machine;
/// - an assignment is created settled: listed, and its permission set provisioned (at version 1)
///   to the account; no request is recorded. An identical assignment twice is created once;
/// - users, groups and group memberships go to the identity store of their instance (default
///   as above); ids are given or derived from the store and the name ("<10 hex>-<UUID>"); a
///   user name or group display name the store has already is kept as it is; a membership
///   names its group and user by display name and user name.
/// Throws core::error(invalid_argument) quoting the item's origin for an unknown owner account
/// or permission set name and for a duplicate permission set name; store::sqlite_error for
/// storage failures. Writes join the shared transaction (the caller commits).
fixture_report apply_fixtures(store::database& db, fixture_set const& fixtures, clock const& time);

} // namespace icemu::api::core
