#pragma once

#include "store/database.hpp"
#include "store/records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace icemu::store {

/// Instances, permission sets, assignments and provisioned (permission set, account) pairs.
/// Lists are keyset pages in insertion order: `after` is the seq of the last row already seen.
/// Every call throws sqlite_error on failure.
class resources {
public:
    explicit resources(database& db) noexcept : db_(db) {}

    void insert_instance(instance_row const& row);
    std::optional<instance_row> find_instance(std::string_view id);
    std::optional<instance_row> find_instance_by_owner(std::string_view account);
    page<instance_row> list_instances(std::int64_t after, std::int64_t limit);
    std::int64_t count_instances();

    /// False when the instance already has a permission set of this name.
    [[nodiscard]] bool insert_permission_set(permission_set_row const& row);
    std::optional<permission_set_row> find_permission_set(std::string_view instance_id,
                                                          std::string_view id);
    page<permission_set_row> list_permission_sets(std::string_view instance_id,
                                                  std::int64_t after, std::int64_t limit);

    /// Rewrites the content members and bumps the version; false if it does not exist.
    bool update_permission_set(permission_set_row const& row);
    /// Deletes the permission set; false if it did not exist.
    bool erase_permission_set(std::string_view instance_id, std::string_view id);
    /// True if the permission set has any assignment.
    bool has_assignments(std::string_view permission_set_id);

    /// False when this exact assignment exists already.
    bool insert_assignment(assignment_row const& row);
    /// Removes one assignment; false if it did not exist.
    bool erase_assignment(assignment_row const& row);
    bool assignment_exists(assignment_row const& row);
    std::int64_t count_assignments(std::string_view permission_set_id, std::string_view account_id);
    page<assignment_row> list_assignments(std::string_view instance_id,
                                          std::string_view account_id,
                                          std::string_view permission_set_id, std::int64_t after,
                                          std::int64_t limit);

    /// Assignments of a principal in the instance, optionally in one account.
    page<assignment_row> list_assignments_for_principal(std::string_view instance_id,
                                                        std::string_view principal_type,
                                                        std::string_view principal_id,
                                                        std::optional<std::string> const& account,
                                                        std::int64_t after, std::int64_t limit);

    /// Records that `version` of the permission set is provisioned to the account.
    void set_provisioned(std::string_view instance_id, std::string_view permission_set_id,
                         std::string_view account_id, std::int64_t version);
    /// Provisions the account only if the permission set is not there yet.
    void provision_if_absent(std::string_view instance_id, std::string_view permission_set_id,
                             std::string_view account_id, std::int64_t version);
    /// Records `version` for every account where the permission set is provisioned.
    void set_provisioned_everywhere(std::string_view permission_set_id, std::int64_t version);
    void erase_provisioned(std::string_view permission_set_id, std::string_view account_id);
    bool is_provisioned_anywhere(std::string_view permission_set_id);
    /// Accounts where the permission set is provisioned; `latest`: only those at (true) or not at
    /// (false) the permission set's current version.
    page<std::string> list_provisioned_accounts(std::string_view permission_set_id,
                                                std::optional<bool> latest, std::int64_t after,
                                                std::int64_t limit);
    /// Permission sets (ids) provisioned to the account, filtered as above.
    page<std::string> list_provisioned_permission_sets(std::string_view instance_id,
                                                       std::string_view account_id,
                                                       std::optional<bool> latest,
                                                       std::int64_t after, std::int64_t limit);

    /// Deletes every resource of the instance (permission sets, assignments, provisioning) and,
    /// with `and_instance`, the instance itself.
    void erase_instance_resources(std::string_view instance_id, bool and_instance);
    /// Deletes every resource and instance.
    void erase_all();

private:
    database& db_;
};

} // namespace icemu::store
