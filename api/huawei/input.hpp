#pragma once

#include <rapidjson/document.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/core/model.hpp"

namespace icemu::api::huawei {

/// Throws core::error{invalid_argument} with the text "Bad Request: <what>." (400 IIC.400).
[[noreturn]] void bad_request(std::string const& what);

/// The query string of a request target, percent-decoded (`+` as a space); the first value of
/// a repeated name wins.
class query {
public:
    explicit query(std::string_view target);
    std::optional<std::string> get(std::string_view name) const;

private:
    std::vector<std::pair<std::string, std::string>> items_;
};

/// `limit` (1–100, default 100) and `marker` (exactly 24 characters). Throws as bad_request.
core::page_request page_of(query const& q);

// Ids and values by the Huawei rules; each throws as bad_request naming `field`.
/// "ins-<16 lowercase hex>" → the 16 hex characters the core knows.
std::string instance_id_of(std::string_view text, std::string_view field = "instance_id");
/// "ps-<16 lowercase hex>" → the 16 hex characters the core knows.
std::string permission_set_id_of(std::string_view text,
                                 std::string_view field = "permission_set_id");
/// An operation's request id: 36 characters.
std::string_view request_id_of(std::string_view text);
/// A Huawei account (domain) id: 32 lowercase hex characters.
std::string account_of(std::string_view text, std::string_view field);
/// A user or group id: 1–47 characters.
std::string principal_id_of(std::string_view text, std::string_view field = "principal_id");
/// `text` when it is one of `values`.
std::string one_of(std::string_view text, std::string_view field,
                   std::initializer_list<std::string_view> values);

/// The number of characters (UTF-8 code points) of `text`.
std::size_t char_count(std::string_view text) noexcept;

/// A string member of the body: absent (or null) → none, unless `required`; another type or a
/// length outside [min, max] characters → bad_request, naming `name` (default: `field`).
std::optional<std::string> body_string(rapidjson::Value const& body, std::string_view field,
                                       std::size_t min, std::size_t max, bool required = false,
                                       std::string_view name = {});
/// A required query parameter (absent or empty → bad_request).
std::string required_param(query const& q, std::string_view field);
/// A `tags` array of {key 1–128, value 0–255} (at most 50), or none when absent.
std::vector<core::tag> body_tags(rapidjson::Value const& body, bool required);

} // namespace icemu::api::huawei
