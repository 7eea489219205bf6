#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/core/clock.hpp"
#include "api/core/model.hpp"

namespace icemu::api::core {

/// The FailureReason of an outcome rule that gives none (a real AWS text).
inline constexpr std::string_view default_rule_failure_reason =
    "An unexpected internal service exception was encountered";

/// The errors an error rule can make a call answer; each surface renders them in its dialect.
enum class fault_code { throttling, internal, access_denied, conflict };

/// The AWS exception name: "ThrottlingException", "InternalServerException", ...
std::string_view to_string(fault_code code) noexcept;
/// The fault_code of an AWS exception name; nullopt for any other text.
std::optional<fault_code> parse_fault_code(std::string_view text) noexcept;

/// True if `text` matches `pattern`, where `*` matches any run of characters (even none) and
/// `?` exactly one; every other character matches itself. Linear in practice, no recursion.
bool glob_match(std::string_view pattern, std::string_view text) noexcept;

/// What a rule requires of a call or request; unset members match anything, set ones must all
/// hold (a fact the call does not name does not hold). Ids are 16 lowercase hex.
struct fault_match {
    std::optional<std::string> operation;
    std::optional<request_kind> kind;
    std::optional<std::string> surface; // "aws" or "huawei"
    std::optional<std::string> instance_id;
    std::optional<std::string> permission_set_id;
    std::optional<std::string> permission_set_name; // a glob
    std::optional<std::string> account_id;
    std::optional<std::string> principal_type;
    std::optional<std::string> principal_id;
    std::optional<double> probability; // in [0, 1]; drawn from a seeded generator
};

/// How a matching request ends: FAILED with `failure_reason`, or stuck IN_PROGRESS.
struct fault_outcome {
    request_status status = request_status::failed;
    std::string failure_reason{default_rule_failure_reason};
};

/// The error a matching call answers, after `latency_ms` (spent on an asynchronous timer).
struct fault_error {
    fault_code code = fault_code::throttling;
    std::int64_t latency_ms = 0;
};

enum class rule_source { config, runtime };

/// One fault rule: exactly one of `outcome` and `error` is set.
struct fault_rule {
    fault_match match;
    std::optional<fault_outcome> outcome;
    std::optional<fault_error> error;
    std::optional<std::int64_t> times; // the rule applies to its next N matches only
    std::int64_t hits = 0;
    rule_source source = rule_source::runtime;
};

/// What a call or a new request tells the rules about itself; empty views are facts unknown.
struct call_facts {
    std::string_view operation;
    std::string_view surface;
    std::optional<request_kind> kind;
    std::string_view instance_id;       // 16 hex
    std::string_view permission_set_id; // 16 hex
    std::string_view account_id;
    std::string_view principal_type;
    std::string_view principal_id;
};

/// The kind of request an operation creates (ProvisionPermissionSet, Create/Delete-
/// AccountAssignment, UpdateInstance), if it creates one (core::request_kinds).
std::optional<request_kind> kind_of_operation(std::string_view operation) noexcept;
/// The operation that creates requests of `kind`.
std::string_view operation_of_kind(request_kind kind) noexcept;

/// The seed of the generator that error rules draw from: derived from scheduler.seed, a stream
/// apart from the delays and outcome draws, so calls never shift the requests' sequence.
constexpr std::uint64_t call_stream_seed(std::uint64_t seed) noexcept {
    return seed ^ 0x6a09e667f3bcc909ULL;
}

/// The ordered fault rules: configured ones (kept across resets) first, then run-time ones.
/// The first rule of the right kind whose `times` is not used up and whose match holds wins;
/// its hits count up. Single-threaded.
class fault_rules {
public:
    /// Looks a permission set's name up, only when a rule needs it: (instance, permission set).
    using name_lookup =
        std::function<std::optional<std::string>(std::string_view, std::string_view)>;

    /// Replaces the configured rules (at start-up); their source becomes `config`.
    void set_configured(std::vector<fault_rule> rules);
    /// Replaces the run-time rules; their source becomes `runtime`, their hits 0.
    void replace_runtime(std::vector<fault_rule> rules);
    /// Erases the run-time rules.
    void clear_runtime();
    /// A global reset: erases the run-time rules and zeroes the configured rules' hits.
    void reset();
    /// Every rule, configured first.
    std::vector<fault_rule> const& all() const noexcept { return rules_; }

    /// The outcome of the first matching outcome rule, if any. Draws from `random` once for
    /// each rule with a probability whose other conditions hold, in rule order.
    std::optional<fault_outcome> match_outcome(call_facts const& facts, seeded_random& random,
                                               name_lookup const& lookup);
    /// The error of the first matching error rule, if any (draws as match_outcome does).
    std::optional<fault_error> match_error(call_facts const& facts, seeded_random& random,
                                           name_lookup const& lookup);
    /// True if any rule could make a call answer an error (the surfaces' fast path).
    bool has_error_rules() const noexcept { return error_rules_ > 0; }

private:
    fault_rule* first_match(bool outcome, call_facts const& facts, seeded_random& random,
                            name_lookup const& lookup);
    void count();

    std::vector<fault_rule> rules_;
    std::size_t configured_ = 0;
    std::size_t error_rules_ = 0;
};

} // namespace icemu::api::core
