#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace icemu::api::core {

// The core's own model: what the surfaces read and write. The store's rows (store/records.hpp)
// carry what only storage needs (the keyset position `seq`); api/core/model_convert.hpp turns one
// into the other, inside the core.

/// An instance's encryption (UpdateInstance's EncryptionConfiguration): the key type and, for a
/// customer managed key, its KMS key ARN.
struct encryption_config {
    std::string key_type = "AWS_OWNED_KMS_KEY"; // or CUSTOMER_MANAGED_KEY
    std::optional<std::string> kms_key_arn;
};

struct instance {
    std::string id; // 16 lowercase hex
    std::string owner_account;
    std::string identity_store_id;
    std::optional<std::string> name;
    std::string status = "ACTIVE";
    std::int64_t created_ms = 0;
    encryption_config encryption{}; // the configuration in force
};

struct permission_set {
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

struct assignment {
    std::string instance_id;
    std::string permission_set_id;
    std::string account_id;
    std::string principal_type; // USER | GROUP
    std::string principal_id;
};

/// The kinds of asynchronous request. A new kind is an enumerator here and in the store's
/// request_kind (the same number) and a row of request_kinds below.
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

/// A request's id: a UUID's 16 bytes.
using request_id = std::array<unsigned char, 16>;

/// An asynchronous request (provisioning, an assignment, an instance's encryption, ...) and how
/// it is planned to settle.
struct async_request {
    request_id id{};
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
    std::string surface;  // "aws" or "huawei": where it was created
    std::int64_t seq = 0; // the store's creation order (0 until stored)
};

/// What a list of requests shows of each.
struct request_summary {
    request_id id{};
    request_status status = request_status::in_progress;
    std::int64_t created_ms = 0;
};

/// Filters of the admin listing of requests; unset members match everything.
struct request_filter {
    std::optional<request_status> status;
    std::optional<request_kind> kind;
    std::optional<std::string> instance_id; // 16 hex
};

/// What a list call asks for: at most `limit` items, continuing after `token` if given.
struct page_request {
    std::int64_t limit = 100;
    std::optional<std::string> token;
};

/// One page of a list; `next_token` is absent on the last page.
template <typename T>
struct page_result {
    std::vector<T> items;
    std::optional<std::string> next_token;
};

/// Who makes a call and through which surface (recorded on the requests it creates); `account`
/// is the caller's 12-digit account (the owner of an instance it creates).
struct caller {
    std::string_view surface = "aws";
    std::string account;
};

struct permission_set_input {
    std::string name;
    std::optional<std::string> description;
    std::optional<std::string> session_duration;
    std::optional<std::string> relay_state;
};

/// UpdatePermissionSet's members; an absent member keeps its value, except relay_state, which
/// an absent member clears unless `keep_absent_relay_state` (AWS clears it; Huawei keeps it).
struct permission_set_update {
    std::optional<std::string> description;
    std::optional<std::string> session_duration;
    std::optional<std::string> relay_state;
    bool keep_absent_relay_state = false;
};

/// Filters of a permission-set list (Huawei's ListPermissionSets); each given one must match.
struct permission_set_filter {
    std::optional<std::string> permission_set_id; // 16 hex
    std::optional<std::string> name;
};

/// How many permission sets an instance has, and the quotas that apply to them.
struct permission_set_summary {
    std::int64_t permission_sets = 0;
    std::int64_t permission_sets_quota = 0;
    std::int64_t policies_per_permission_set_quota = 0; // managed policies (or managed roles)
    std::int64_t policy_size_quota = 0;                 // characters of a custom policy or role
};

/// An assignment's identity: create and delete name all four.
struct assignment_target {
    std::string permission_set_id;
    std::string account_id;
    std::string principal_type; // USER | GROUP
    std::string principal_id;
};

enum class scheduler_mode { automatic, polls, manual };

struct scheduler_settings {
    scheduler_mode mode = scheduler_mode::automatic;
    std::int64_t delay_min_ms = 1000;
    std::int64_t delay_max_ms = 3000;
    std::int64_t polls = 1;
    std::uint64_t seed = 0;
};

/// A partial update of the scheduler settings (PUT /_icemu/scheduler merges it).
struct scheduler_update {
    std::optional<scheduler_mode> mode;
    std::optional<std::int64_t> delay_min_ms;
    std::optional<std::int64_t> delay_max_ms;
    std::optional<std::int64_t> polls;
    std::optional<std::uint64_t> seed;
};

/// An instance of the initial state.
struct instance_seed {
    std::string owner_account_id;
    std::string instance_id; // 16 lowercase hex; empty: derived from the owner account
    std::string identity_store_id;
    std::string name;
};

/// An instance's encryption as DescribeInstance reports it: the configuration (the one being put
/// in force while an update is IN_PROGRESS, else the one in force), the status of the latest
/// update (SUCCEEDED when there was none) and, when it FAILED, why.
struct encryption_details {
    encryption_config config;
    request_status status = request_status::succeeded;
    std::optional<std::string> reason;
};

/// What DescribeInstance answers.
struct instance_description {
    instance row;
    encryption_details encryption;
};

struct health_info {
    scheduler_mode mode = scheduler_mode::automatic;
    std::int64_t clock_offset_ms = 0;
    std::int64_t in_flight = 0;
};

/// One kind of asynchronous request as the core knows it. Adding a kind is an enumerator of
/// request_kind (and of the store's), a row below, and its effect at settlement (lifecycle::apply).
struct request_kind_info {
    request_kind kind;
    std::string_view name;      // as the admin API, fault rules, logs and metrics show it
    std::string_view operation; // the operation that creates it (fault rules' `operation`)
};

/// Every kind, in the order lists and metrics show them.
inline constexpr std::array<request_kind_info, 6> request_kinds{{
    {request_kind::provision, "PROVISION", "ProvisionPermissionSet"},
    {request_kind::assignment_create, "ASSIGNMENT_CREATE", "CreateAccountAssignment"},
    {request_kind::assignment_delete, "ASSIGNMENT_DELETE", "DeleteAccountAssignment"},
    {request_kind::instance_encryption, "INSTANCE_ENCRYPTION", "UpdateInstance"},
    {request_kind::access_control_attributes, "ACCESS_CONTROL_ATTRIBUTES",
     "CreateInstanceAccessControlAttributeConfiguration"},
    {request_kind::region, "REGION", "AddRegion"},
}};

/// "PROVISION, ASSIGNMENT_CREATE, ... or INSTANCE_ENCRYPTION", for messages that list the kinds.
std::string request_kind_names();

std::string_view to_string(request_kind kind) noexcept;
std::string_view to_string(request_status status) noexcept;
std::string_view to_string(scheduler_mode mode) noexcept;
std::optional<request_kind> parse_request_kind(std::string_view text) noexcept;
std::optional<request_status> parse_request_status(std::string_view text) noexcept;
std::optional<scheduler_mode> parse_scheduler_mode(std::string_view text) noexcept;

} // namespace icemu::api::core
