#pragma once

#include <stdexcept>
#include <string_view>
#include <vector>

#include "api/core/rules.hpp"
#include "api/json/writer.hpp"

namespace icemu::api::admin {

/// A fault-rule document that cannot be accepted; what() names the rule and the field, e.g.
/// `rules[1].match.operation: "Foo" is not an operation of either surface`.
class rules_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// True for an operation name a rule may use: one of the AWS model's operations or a
/// Huawei-only operation (core::huawei_only_operations).
bool is_known_operation(std::string_view operation) noexcept;

/// Parses the fault-rule JSON (docs/lifecycle.md), `{"rules": [...]}`, into typed rules (source
/// `runtime`, hits 0). Ids in `instance_id` and `permission_set_id` may be ARNs or prefixed
/// (ssoins-/ins-/ps-); they are kept as 16 hex. Throws rules_error for anything it refuses.
std::vector<core::fault_rule> parse_fault_rules(std::string_view text);

/// Writes `{"rules": [...]}`: each rule as parsed, with its "hits" and "source".
void render_fault_rules(json::writer& out, std::vector<core::fault_rule> const& rules);

} // namespace icemu::api::admin
