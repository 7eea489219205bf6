#pragma once

#include <string>
#include <string_view>

#include "api/json/writer.hpp"
#include "server/journal.hpp"

namespace icemu::api::admin {

/// `GET /_icemu/journal?surface=&operation=&status=&error=&since=&limit=`: writes
/// `{"calls":[...]}`, newest first. Throws core::error (invalid_argument) naming a bad or
/// unknown filter.
void render_journal(json::writer& out, server::journal const& calls, std::string_view target);

/// `POST /_icemu/journal/count`: `body` is a JSON object of the same filters (status and since
/// as integers) plus "request", an object every counted call's JSON request body must contain
/// (a subset match, at any depth). Answers the count. Throws core::error naming a bad member.
std::size_t count_journal(server::journal const& calls, std::string_view body);

} // namespace icemu::api::admin
