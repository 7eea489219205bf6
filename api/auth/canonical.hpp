#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/message.hpp"

namespace icemu::api::auth {


/// Percent-encodes every byte except the unreserved `A-Z a-z 0-9 - _ . ~` (and `/` when
/// `keep_slash`), with uppercase hex digits, as both signing schemes do.
std::string uri_encode(std::string_view text, bool keep_slash);

/// The name=value pairs of a raw query string (the part after `?`), decoded; a pair without
/// `=` has an empty value; empty pairs are skipped.
std::vector<std::pair<std::string, std::string>> query_pairs(std::string_view query,
                                                             bool plus_is_space);

/// The path and the query of a request target (`/a/b?x=1` → `/a/b`, `x=1`).
std::pair<std::string_view, std::string_view> split_target(std::string_view target) noexcept;

/// Lowercase ASCII copy of `text`.
std::string lower(std::string_view text);

/// `text` without leading and trailing spaces and tabs.
std::string_view trim(std::string_view text) noexcept;

/// Whether the request has a header field named `name` (case-insensitive).
bool has_header(server::request const& req, std::string_view name);

/// The values of every header field named `name` (case-insensitive), in arrival order, each
/// trimmed (and with runs of spaces and tabs collapsed to one space when `collapse`), joined
/// with `,`: a signed header's canonical value.
std::string header_values(server::request const& req, std::string_view name, bool collapse);

/// The entries of a `;`-separated list (SignedHeaders), empty entries skipped.
std::vector<std::string_view> split_list(std::string_view text, char separator);

} // namespace icemu::api::auth
