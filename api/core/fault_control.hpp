#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/core/model.hpp"
#include "api/core/operations.hpp"
#include "api/core/rules.hpp"

namespace icemu::api::core {

struct context;

/// Fault rules (fault_control.cpp): outcome rules are applied as each request is created, error rules
/// as each call is about to run.
class fault_control {
public:
    explicit fault_control(context& ctx);

    /// The ordered rules: configured first, then run-time. A global reset erases the run-time
    /// rules and zeroes the hits of the configured ones.
    fault_rules const& rules() const noexcept { return rules_; }
    /// The operation names a fault rule may use (service_options::operations).
    operation_catalogue const& operations() const noexcept;
    /// Replaces the run-time rules (PUT /_icemu/faults).
    void replace_rules(std::vector<fault_rule> rules);
    /// Erases the run-time rules (DELETE /_icemu/faults).
    void clear_rules();
    /// The error a call about to run must answer instead, if an error rule matches `facts`
    /// (counted as a hit). Surfaces call it before the operation runs.
    std::optional<fault_error> check_call(call_facts const& facts);
    /// Applies the first matching outcome rule to a new request's plan; true if it is held.
    bool apply_outcome_rules(async_request& row);
    /// The global reset: erases the run-time rules, zeroes the configured ones' hits.
    void reset();

private:
    std::optional<std::string> permission_set_name(std::string_view instance_id,
                                                   std::string_view permission_set_id);

    context& ctx_;
    fault_rules rules_;
};

} // namespace icemu::api::core
