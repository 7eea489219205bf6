#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/core/clock.hpp"
#include "api/core/error.hpp"
#include "api/core/ids.hpp"
#include "api/core/model.hpp"

namespace icemu::store {
class database;
class identity;
} // namespace icemu::store

namespace icemu::api::core {

/// The instance an identity store belongs to, and that instance's owner account.
struct identity_store_owner {
    std::string instance_id;
    std::string owner_account;
};

/// A user of an identity store. `attributes` is a JSON object of the AWS user members (UserName,
/// Name, DisplayName, Emails, ExternalIds, ...), as stored and as read back.
struct identity_user {
    std::string identity_store_id;
    std::string id;
    std::string attributes;
    std::string status; // ENABLED or DISABLED
    std::int64_t created_ms = 0;
    std::string created_by;
    std::int64_t updated_ms = 0;
    std::string updated_by;
};

/// A group; `attributes` holds DisplayName, Description and ExternalIds as a JSON object.
struct identity_group {
    std::string identity_store_id;
    std::string id;
    std::string attributes;
    std::int64_t created_ms = 0;
    std::string created_by;
    std::int64_t updated_ms = 0;
    std::string updated_by;
};

struct identity_membership {
    std::string identity_store_id;
    std::string id;
    std::string group_id;
    std::string user_id;
    std::int64_t created_ms = 0;
    std::string created_by;
};

/// An alternate identifier: a unique attribute (`path`, e.g. "userName", with its value) or an
/// external id (issuer and id).
struct alternate_identifier {
    std::optional<std::string> attribute_path;
    std::optional<std::string> attribute_value;
    std::optional<std::string> issuer;
    std::optional<std::string> external_id;
};

/// One change of an update: the attribute at `path` ("displayName", "name.givenName", ...) is
/// set to `value` (JSON text), or removed when it has none.
struct attribute_operation {
    std::string path;
    std::optional<std::string> value;
};

/// The resource types of AWS identitystore's ResourceNotFoundException.
enum class identity_resource { user, group, group_membership, identity_store };
std::string_view to_string(identity_resource type) noexcept;

/// A core error about an identity store resource: not_found names the resource (type and id),
/// conflict its reason (UNIQUENESS_CONSTRAINT_VIOLATION).
class identity_error : public error {
public:
    identity_error(errc code, std::string const& message, identity_resource type, std::string id,
                   std::string conflict_reason = {})
        : error(code, message),
          type_(type),
          id_(std::move(id)),
          conflict_reason_(std::move(conflict_reason)) {}
    identity_resource resource_type() const noexcept { return type_; }
    std::string const& resource_id() const noexcept { return id_; }
    std::string const& conflict_reason() const noexcept { return conflict_reason_; }

private:
    identity_resource type_;
    std::string id_;
    std::string conflict_reason_;
};

/// The identity store of each instance (its IdentityStoreId): users, groups and memberships,
/// shared by every surface. Ids of users, groups and memberships are the store's 10 hex digits,
/// '-' and a UUID, as AWS's stores named d-<10 hex> give. Every call throws identity_error
/// (not_found, IDENTITY_STORE) for an unknown store, invalid_argument for input the model lets
/// through but the store refuses. Writes join the shared transaction. Single-threaded.
class identity_store {
public:
    identity_store(store::database& db, clock& time, std::int64_t max_page_size = 100);
    ~identity_store();
    identity_store(identity_store const&) = delete;
    identity_store& operator=(identity_store const&) = delete;

    /// The instance that owns the store (for tenancy); not_found if unknown.
    identity_store_owner require_store(std::string_view identity_store_id);

    /// `attributes`: a JSON object of the user's members. conflict if its UserName is taken,
    /// or one of its ExternalIds belongs to another user.
    identity_user create_user(std::string_view store_id, std::string const& attributes,
                              caller const& who);
    identity_user describe_user(std::string_view store_id, std::string_view user_id);
    /// `user_name`: only the user with that UserName.
    page_result<identity_user> list_users(std::string_view store_id,
                                          std::optional<std::string> const& user_name,
                                          page_request const& page);
    identity_user update_user(std::string_view store_id, std::string_view user_id,
                              std::vector<attribute_operation> const& operations,
                              caller const& who);
    /// Sets UserStatus (ENABLED or DISABLED).
    identity_user set_user_status(std::string_view store_id, std::string_view user_id,
                                  std::string_view status, caller const& who);
    /// Its memberships go with it; assignments naming it stay.
    void delete_user(std::string_view store_id, std::string_view user_id);
    /// By userName (unique attribute) or external id; not_found (USER) if none matches.
    std::string get_user_id(std::string_view store_id, alternate_identifier const& which);

    identity_group create_group(std::string_view store_id, std::string const& attributes,
                                caller const& who);
    identity_group describe_group(std::string_view store_id, std::string_view group_id);
    page_result<identity_group> list_groups(std::string_view store_id,
                                            std::optional<std::string> const& display_name,
                                            page_request const& page);
    identity_group update_group(std::string_view store_id, std::string_view group_id,
                                std::vector<attribute_operation> const& operations,
                                caller const& who);
    /// Its memberships go with it; assignments naming it stay.
    void delete_group(std::string_view store_id, std::string_view group_id);
    /// By displayName (unique attribute) or external id; not_found (GROUP) if none matches.
    std::string get_group_id(std::string_view store_id, alternate_identifier const& which);

    /// not_found for an unknown group or user; conflict if the user is a member already.
    identity_membership create_membership(std::string_view store_id, std::string_view group_id,
                                          std::string_view user_id, caller const& who);
    identity_membership describe_membership(std::string_view store_id,
                                            std::string_view membership_id);
    void delete_membership(std::string_view store_id, std::string_view membership_id);
    std::string get_membership_id(std::string_view store_id, std::string_view group_id,
                                  std::string_view user_id);
    /// not_found for an unknown group.
    page_result<identity_membership> list_memberships(std::string_view store_id,
                                                      std::string_view group_id,
                                                      page_request const& page);
    page_result<identity_membership> list_memberships_for_member(std::string_view store_id,
                                                                 std::string_view user_id,
                                                                 page_request const& page);
    /// For each group id in order: whether the user is a member of it.
    std::vector<bool> is_member_in_groups(std::string_view store_id, std::string_view user_id,
                                          std::vector<std::string> const& group_ids);

    /// None if the principal (USER or GROUP) is in the identity store of instance
    /// `instance_id`, else the FailureReason of an assignment naming it.
    std::optional<std::string> missing_principal(std::string_view instance_id,
                                                 std::string_view principal_type,
                                                 std::string_view principal_id);

private:
    std::string new_id(std::string_view store_id);
    std::int64_t page_limit(page_request const& page) const noexcept;

    store::database& db_;
    // The repository, behind a pointer so that this header names no store type in full.
    std::unique_ptr<store::identity> repo_ptr_;
    store::identity& repo_;
    clock& clock_;
    std::int64_t max_page_size_;
    id_source ids_;
};

} // namespace icemu::api::core
