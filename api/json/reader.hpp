#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace icemu::api::json {

/// Parses `text` into `doc` (an empty text is an empty object). Returns false, leaving a
/// message in `problem`, if it is not one JSON object.
bool parse_object(std::string_view text, rapidjson::Document& doc, std::string& problem);

/// The member `name` of `obj` if it is present, not null and of the type asked for.
rapidjson::Value const* find(rapidjson::Value const& obj, std::string_view name) noexcept;
std::optional<std::string> optional_string(rapidjson::Value const& obj, std::string_view name);
std::optional<std::int64_t> optional_int(rapidjson::Value const& obj, std::string_view name);
/// The string member, or "" when absent (for members validated as required beforehand).
std::string_view string_or_empty(rapidjson::Value const& obj, std::string_view name) noexcept;

} // namespace icemu::api::json
