#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.hpp"
#include "store/records.hpp"

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
    page<permission_set_row> list_permission_sets(std::string_view instance_id, std::int64_t after,
                                                  std::int64_t limit);

    /// Rewrites the content members and bumps the version; false if it does not exist.
    bool update_permission_set(permission_set_row const& row);
    /// Deletes the permission set with its policies and tags; false if it did not exist.
    bool erase_permission_set(std::string_view instance_id, std::string_view id);
    /// Bumps the permission set's version (a content change).
    void bump_version(std::string_view permission_set_id);

    /// The permission set's inline policy document, if it has one.
    std::optional<std::string> inline_policy(std::string_view permission_set_id);
    /// Sets (or, with none, removes) the inline policy document.
    void set_inline_policy(std::string_view permission_set_id,
                           std::optional<std::string> const& document);
    /// The permission set's permissions boundary, if it has one.
    std::optional<permissions_boundary> boundary(std::string_view permission_set_id);
    /// Sets (or, with none, removes) the permissions boundary.
    void set_boundary(std::string_view permission_set_id,
                      std::optional<permissions_boundary> const& boundary);

    /// Attaches a managed policy (an AWS ARN or a Huawei policy id) under `name`; false when
    /// it is attached already.
    [[nodiscard]] bool insert_managed_policy(std::string_view instance_id,
                                             std::string_view permission_set_id,
                                             std::string_view arn, std::string_view name);
    /// Detaches it; false when it was not attached.
    bool erase_managed_policy(std::string_view permission_set_id, std::string_view arn);
    /// The policies attached with their names (none in rows older than names), in attachment
    /// order.
    page<named_policy> list_managed_policies(std::string_view permission_set_id, std::int64_t after,
                                             std::int64_t limit);
    /// The name some attachment of the policy `arn` records, if any does.
    std::optional<std::string> known_managed_policy_name(std::string_view arn);
    /// Attaches a customer managed policy reference; false when it is attached already.
    [[nodiscard]] bool insert_customer_policy(std::string_view instance_id,
                                              std::string_view permission_set_id,
                                              customer_policy_ref const& ref);
    /// Detaches it; false when it was not attached.
    bool erase_customer_policy(std::string_view permission_set_id, customer_policy_ref const& ref);
    page<customer_policy_ref> list_customer_policies(std::string_view permission_set_id,
                                                     std::int64_t after, std::int64_t limit);
    /// AWS managed plus customer managed policies attached to the permission set.
    std::int64_t count_policies(std::string_view permission_set_id);

    // Tags of a resource: the instance itself (`permission_set_id` empty) or a permission set.
    /// Sets the tag's value, adding the tag if the resource does not have it.
    void put_tag(std::string_view instance_id, std::string_view permission_set_id, tag const& item);
    /// Removes the tag if present.
    void erase_tag(std::string_view instance_id, std::string_view permission_set_id,
                   std::string_view key);
    bool has_tag(std::string_view instance_id, std::string_view permission_set_id,
                 std::string_view key);
    std::int64_t count_tags(std::string_view instance_id, std::string_view permission_set_id);
    /// Tags in the order they were first set.
    page<tag> list_tags(std::string_view instance_id, std::string_view permission_set_id,
                        std::int64_t after, std::int64_t limit);

    /// Records the encryption an INSTANCE_ENCRYPTION request in flight would put in force.
    void set_pending_encryption(std::string_view id, encryption_config const& config);
    /// The encryption last recorded by set_pending_encryption, if any.
    std::optional<encryption_config> pending_encryption(std::string_view id);
    /// Puts the pending encryption in force (the request succeeded).
    void apply_pending_encryption(std::string_view id);
    /// Sets the instance's name (none: no name).
    void set_instance_name(std::string_view id, std::optional<std::string> const& name);
    /// The ClientToken the instance was created with, if any.
    std::optional<std::string> instance_client_token(std::string_view id);
    void set_instance_client_token(std::string_view id, std::string_view token);
    /// True if the permission set has any assignment.
    bool has_assignments(std::string_view permission_set_id);

    /// False when this exact assignment exists already.
    bool insert_assignment(assignment_row const& row);
    /// Removes one assignment; false if it did not exist.
    bool erase_assignment(assignment_row const& row);
    bool assignment_exists(assignment_row const& row);
    std::int64_t count_assignments(std::string_view permission_set_id, std::string_view account_id);
    page<assignment_row> list_assignments(std::string_view instance_id, std::string_view account_id,
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

    /// Deletes every resource of the instance (permission sets with their policies, assignments,
    /// provisioning, tags) and, with `and_instance`, the instance itself.
    void erase_instance_resources(std::string_view instance_id, bool and_instance);
    /// Deletes every resource and instance.
    void erase_all();

    // Lookups of the Huawei surface's filters.
    /// A permission set by id in any instance (ids are unique across instances).
    std::optional<permission_set_row> find_permission_set_anywhere(std::string_view id);
    /// A permission set of the instance by name.
    std::optional<permission_set_row> find_permission_set_by_name(std::string_view instance_id,
                                                                  std::string_view name);
    std::int64_t count_permission_sets(std::string_view instance_id);
    /// Assignments in one account of the instance, of every permission set.
    page<assignment_row> list_account_assignments(std::string_view instance_id,
                                                  std::string_view account_id, std::int64_t after,
                                                  std::int64_t limit);

private:
    database& db_;
};

} // namespace icemu::store
