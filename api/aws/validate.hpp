#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <string>
#include <string_view>

// Input validation of the AWS surface against the botocore model (api/aws/model.hpp), with the
// messages of the AWS Coral framework. String lengths are counted in UTF-16 code units, as Java's
// String.length() does on the real service: a character outside the BMP counts as 2.
namespace icemu::api::aws {

namespace model {
struct operation;
}

/// True if `operation` is one of the model's 79 operations.
bool is_modelled_operation(std::string_view operation) noexcept;

/// True if `operation` is one of the identitystore model's 19 operations.
bool is_identitystore_operation(std::string_view operation) noexcept;

/// Validates a parsed request body (a JSON object) against the model's input shape of `operation`.
/// Throws core::error{errc::serialization} when a member has the wrong JSON type or invalid UTF-8
/// (the message names the member), core::error{errc::invalid_argument} with Coral's text
/// ("1 validation error detected: Value 'abc' at 'instanceArn' failed to satisfy constraint: ...")
/// for constraint violations, core::error{errc::internal} for an operation not in the model.
/// JSON null counts as absent; unknown members are ignored; values in messages are cut at 256
/// characters. Patterns are full matches, compiled once per process.
void validate_input(std::string_view operation, rapidjson::Value const& body);
/// As validate_input, against the identitystore model's input shape of `operation`.
void validate_identitystore_input(std::string_view operation, rapidjson::Value const& body);

/// Validates `body` against the input shape of `op` (nullptr: errc::internal naming `operation`).
void validate_input(model::operation const* op, std::string_view operation,
                    rapidjson::Value const& body);

/// True if `text` (UTF-8) fully matches model::patterns()[index]. Throws
/// core::error{errc::internal} if a model pattern does not compile,
/// core::error{errc::serialization} for invalid UTF-8.
bool matches_pattern(std::size_t index, std::string_view text);

/// Compiles model::patterns()[index] as validate_input() does; returns PCRE2's error text with
/// the offset, or an empty string when it compiles. For tests and start-up checks.
std::string pattern_compile_error(std::size_t index);

} // namespace icemu::api::aws
