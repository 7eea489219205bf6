#pragma once

#include <string>
#include <string_view>

namespace icemu::api::json {

/// True when `text` is strict UTF-8 (no overlong forms, surrogates or code points above
/// U+10FFFF), as every JSON client decodes it.
bool is_utf8(std::string_view text) noexcept;

/// `text` with each byte that does not start a valid UTF-8 sequence replaced by U+FFFD, so that
/// echoing a header or path never makes an answer invalid JSON.
std::string to_utf8(std::string_view text);

} // namespace icemu::api::json
