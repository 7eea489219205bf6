#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/records.hpp"

namespace icemu::api::core {

using instance = store::instance_row;
using permission_set = store::permission_set_row;
using assignment = store::assignment_row;
using async_request = store::request_row;
using request_summary = store::request_summary;
using request_kind = store::request_kind;
using request_status = store::request_status;
using request_id = store::request_id;
using customer_policy_ref = store::customer_policy_ref;
using permissions_boundary = store::permissions_boundary;
using tag = store::tag;
using named_policy = store::named_policy;
using encryption_config = store::encryption_config;

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
/// store::request_kind, a row below, and its effect at settlement (service::apply).
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
