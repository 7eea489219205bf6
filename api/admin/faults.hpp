#pragma once

#include <stdexcept>
#include <string_view>
#include <vector>

#include "api/core/operations.hpp"
#include "api/core/rules.hpp"
#include "api/json/writer.hpp"

namespace icemu::api::admin {

/// A fault-rule document that cannot be accepted; what() names the rule and the field, e.g.
/// `rules[1].match.operation: "Foo" is not an operation of either surface`.
class rules_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Parses the fault-rule JSON (docs/lifecycle.md), `{"rules": [...]}`, into typed rules (source
/// `runtime`, hits 0). A rule's `operation` must be one `operations` knows (the surfaces add
/// theirs). Ids in `instance_id` and `permission_set_id` may be ARNs or prefixed
/// (ssoins-/ins-/ps-); they are kept as 16 hex. Throws rules_error for anything it refuses.
std::vector<core::fault_rule> parse_fault_rules(std::string_view text,
                                                core::operation_catalogue const& operations);

/// Writes `{"rules": [...]}`: each rule as parsed, with its "hits" and "source".
void render_fault_rules(json::writer& out, std::vector<core::fault_rule> const& rules);

} // namespace icemu::api::admin
