#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "api/core/state_import.hpp"

namespace icemu::api::admin {

/// A state document that cannot be loaded: what() is "<member path>: <reason>", e.g.
/// "permission_sets[2].managed_policies[0].arn: expected a string".
class state_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Decodes the document of `GET /_icemu/state` (docs/lifecycle.md, Save the sandbox) into a
/// snapshot for core::service::replace_state, checking it whole first: every member known and
/// of its type, every id well formed and declared once, every reference resolved (an assignment's
/// permission set, a membership's group and user, a request's instance, an item's identity
/// store). Members the export derives (a user's user_name, a membership's group and user names)
/// are checked for their type and otherwise read from what they derive from. Throws state_error.
core::state_snapshot decode_state(std::string_view text);

/// True when a fixtures document (a JSON object) is a state document: it has one of the members
/// `clock_offset_ms`, `requests` or `scheduler`, or an instance with an `instance_id`.
bool is_state_document(std::string_view text);

/// `--fixtures` with a state document: the snapshot of the file `path` (or of the one `*.json`
/// file of the folder `path`) when it holds a state document; none for plain fixtures (read them
/// with load_fixtures). Throws std::runtime_error naming the file and the member: "fixtures
/// s.json: requests[0].status: ...", also for a state document beside other fixtures files.
std::optional<core::state_snapshot> load_state_fixtures(std::string const& path);

} // namespace icemu::api::admin
