#pragma once

#include <string>
#include <string_view>

#include "api/core/fixtures.hpp"

namespace icemu::api::admin {

/// Reads `ICEMU_FIXTURES` (docs/docker.md, Fixtures): one JSON file, or a folder whose `*.json`
/// files are read in name order (byte order; names starting with '.' are skipped) and concatenated.
/// A path that does not exist is an empty folder, unless it names a `.json` file. Each file is
///   {"instances": [{"owner_account_id": "123456789012", "name": "..."}],
///    "permission_sets": [{"owner_account_id": "...", "name": "ReadOnly", "description": "...",
///                         "session_duration": "PT1H", "relay_state": "..."}],
///    "assignments": [{"owner_account_id": "...", "permission_set": "ReadOnly",
///                     "account_id": "111122223333", "principal_type": "USER",
///                     "principal_id": "..."}]}
/// with every key optional except the ones the item needs (owner_account_id of an instance; name
/// of a permission set; permission_set, account_id, principal_type and principal_id of an
/// assignment). Values are checked against the AWS constraints. Throws std::runtime_error with one
/// line naming the file and the field: "fixtures a.json: permission_sets[0].name: ...".
core::fixture_set load_fixtures(std::string const& path);

/// The fixtures' value rules, which the state document's decoder (state_load.hpp) applies too.
namespace fixture_rules {
/// A character of AWS names: [\w+=,.@-].
bool is_name_char(char c);
/// An ISO 8601 duration as AWS writes them: PT1H, PT12H, PT1H30M, ...
bool is_duration(std::string_view text);
/// A principal id as AWS's ResourceId pattern has it: an optional "<10 hex>-", then a UUID.
bool is_principal_id(std::string_view id);
} // namespace fixture_rules

/// Reads one fixtures file's JSON `text` (named `file` in messages) into `out`, as
/// load_fixtures does for each file. Throws as load_fixtures.
void read_fixtures_text(std::string_view text, std::string const& file, core::fixture_set& out);

} // namespace icemu::api::admin
