#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace icemu::store {

/// An instance's encryption (UpdateInstance's EncryptionConfiguration): the key type and, for a
/// customer managed key, its KMS key ARN.
struct encryption_config {
    std::string key_type = "AWS_OWNED_KMS_KEY"; // or CUSTOMER_MANAGED_KEY
    std::optional<std::string> kms_key_arn;
};

struct instance_row {
    std::int64_t seq = 0;
    std::string id; // 16 lowercase hex
    std::string owner_account;
    std::string identity_store_id;
    std::optional<std::string> name;
    std::string status = "ACTIVE";
    std::int64_t created_ms = 0;
    encryption_config encryption{}; // the configuration in force
};

struct permission_set_row {
    std::int64_t seq = 0;
    std::string id; // 16 lowercase hex
    std::string instance_id;
    std::string name;
    std::optional<std::string> description;
    std::optional<std::string> session_duration;
    std::optional<std::string> relay_state;
    std::int64_t created_ms = 0;
    std::int64_t version = 1; // bumped by every content change
};

/// A customer managed policy reference: the policy `name` at `path` in each target account.
struct customer_policy_ref {
    std::string name;
    std::string path = "/";
};

/// A permission set's permissions boundary: exactly one member is set.
struct permissions_boundary {
    std::optional<customer_policy_ref> customer_managed;
    std::optional<std::string> managed_arn;
};

/// A managed policy or managed role as Huawei lists it: its id and, if given, its name.
struct named_policy {
    std::string id;
    std::optional<std::string> name;
};

/// One tag of an instance or a permission set.
struct tag {
    std::string key;
    std::string value;
};

struct assignment_row {
    std::int64_t seq = 0;
    std::string instance_id;
    std::string permission_set_id;
    std::string account_id;
    std::string principal_type;
    std::string principal_id;
};

/// Stored as its integer: a new kind takes the next number (and a row of core::request_kinds).
enum class request_kind : int {
    provision = 0,
    assignment_create = 1,
    assignment_delete = 2,
    instance_encryption = 3, // UpdateInstance's EncryptionConfiguration: names no permission set
    access_control_attributes = 4, // CreateInstanceAccessControlAttributeConfiguration: likewise
    region = 5,                    // AddRegion / RemoveRegion: likewise
};
enum class request_status : int { in_progress = 0, succeeded = 1, failed = 2 };
/// How an IN_PROGRESS request will end: at its due time, on its Nth describe, by the admin API
/// only (manual mode), or held by an outcome rule until settled by hand.
enum class settle_mode : int { at_due = 0, polls = 1, manual = 2, held = 3 };

using request_id = std::array<unsigned char, 16>;

struct request_row {
    request_id id{};
    std::int64_t seq = 0;
    request_kind kind = request_kind::provision;
    request_status status = request_status::in_progress;
    std::string instance_id;
    std::string permission_set_id;
    std::optional<std::string> account_id; // none: ALL_PROVISIONED_ACCOUNTS
    std::optional<std::string> principal_type;
    std::optional<std::string> principal_id;
    std::optional<std::string> failure_reason;
    std::int64_t created_ms = 0;
    std::optional<std::int64_t> due_ms;
    settle_mode settle_by = settle_mode::at_due;
    std::int64_t polls_left = 0;
    request_status planned_status = request_status::succeeded;
    std::optional<std::string> planned_reason;
    std::string surface; // "aws" or "huawei": where it was created
};

/// What a list of requests shows of each: read from a covering index, never from the table.
struct request_summary {
    request_id id{};
    std::int64_t seq = 0;
    request_status status = request_status::in_progress;
    std::int64_t created_ms = 0;
};

/// One page of a keyset-paginated list: `next_after` is the key to continue from, if any.
template <typename Row>
struct page {
    std::vector<Row> rows;
    std::optional<std::int64_t> next_after;
};

} // namespace icemu::store
