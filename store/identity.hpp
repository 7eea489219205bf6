#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.hpp"
#include "store/records.hpp"

namespace icemu::store {

/// A user of an identity store. `attributes` is a JSON object (see the schema).
struct identity_user_row {
    std::string identity_store_id;
    std::string id;
    std::optional<std::string> user_name;
    std::string attributes;
    std::string status;
    std::int64_t created_ms = 0;
    std::string created_by;
    std::int64_t updated_ms = 0;
    std::string updated_by;
};

/// A group of an identity store. `attributes` is a JSON object (see the schema).
struct identity_group_row {
    std::string identity_store_id;
    std::string id;
    std::optional<std::string> display_name;
    std::string attributes;
    std::int64_t created_ms = 0;
    std::string created_by;
    std::int64_t updated_ms = 0;
    std::string updated_by;
};

struct identity_membership_row {
    std::string identity_store_id;
    std::string id;
    std::string group_id;
    std::string user_id;
    std::int64_t created_ms = 0;
    std::string created_by;
};

/// The instance an identity store belongs to.
struct identity_store_owner {
    std::string instance_id;
    std::string owner_account;
};

/// Users, groups and group memberships of the identity stores. Lists are keyset pages in
/// creation order. Throws sqlite_error.
class identity {
public:
    explicit identity(database& db) noexcept : db_(db) {}

    std::optional<identity_store_owner> find_store(std::string_view identity_store_id);
    /// The identity store id of an instance.
    std::optional<std::string> store_of_instance(std::string_view instance_id);

    void insert_user(identity_user_row const& row);
    std::optional<identity_user_row> find_user(std::string_view identity_store_id,
                                               std::string_view user_id);
    std::optional<identity_user_row> find_user_by_name(std::string_view identity_store_id,
                                                       std::string_view user_name);
    /// The user one of whose ExternalIds is {issuer, id}, if any.
    std::optional<identity_user_row> find_user_by_external_id(std::string_view identity_store_id,
                                                              std::string_view issuer,
                                                              std::string_view id);
    page<identity_user_row> list_users(std::string_view identity_store_id,
                                       std::optional<std::string> const& user_name,
                                       std::int64_t after, std::int64_t limit);
    void update_user(identity_user_row const& row);
    /// False when it does not exist. Its memberships go with it.
    bool erase_user(std::string_view identity_store_id, std::string_view user_id);

    void insert_group(identity_group_row const& row);
    std::optional<identity_group_row> find_group(std::string_view identity_store_id,
                                                 std::string_view group_id);
    std::optional<identity_group_row> find_group_by_name(std::string_view identity_store_id,
                                                         std::string_view display_name);
    std::optional<identity_group_row> find_group_by_external_id(std::string_view identity_store_id,
                                                                std::string_view issuer,
                                                                std::string_view id);
    page<identity_group_row> list_groups(std::string_view identity_store_id,
                                         std::optional<std::string> const& display_name,
                                         std::int64_t after, std::int64_t limit);
    void update_group(identity_group_row const& row);
    /// False when it does not exist. Its memberships go with it.
    bool erase_group(std::string_view identity_store_id, std::string_view group_id);

    void insert_membership(identity_membership_row const& row);
    std::optional<identity_membership_row> find_membership(std::string_view identity_store_id,
                                                           std::string_view membership_id);
    std::optional<identity_membership_row> find_membership_of(std::string_view identity_store_id,
                                                              std::string_view group_id,
                                                              std::string_view user_id);
    page<identity_membership_row> list_memberships(std::string_view identity_store_id,
                                                   std::string_view group_id, std::int64_t after,
                                                   std::int64_t limit);
    page<identity_membership_row> list_memberships_for_user(std::string_view identity_store_id,
                                                            std::string_view user_id,
                                                            std::int64_t after, std::int64_t limit);
    bool erase_membership(std::string_view identity_store_id, std::string_view membership_id);

    /// True if the store has a principal of `type` (USER or GROUP) with this id.
    bool has_principal(std::string_view identity_store_id, std::string_view type,
                       std::string_view id);

private:
    database& db_;
};

} // namespace icemu::store
