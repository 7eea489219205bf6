#pragma once

// What the service's source files share (not for the surfaces): the texts and quotas several
// resources use, and the one way a list turns a page token into a keyset position and a page of
// store rows into a page_result.

#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <utility>

#include "api/core/model.hpp"
#include "api/core/model_convert.hpp"
#include "api/core/pagination.hpp"
#include "store/records.hpp"

namespace icemu::api::core::detail {

inline constexpr std::int64_t max_position = std::numeric_limits<std::int64_t>::max();
inline constexpr std::string_view conflicting_operation =
    "There is a conflicting operation in process.";
// IAM Identity Center quotas: AWS + customer managed policies per permission set, tags per
// resource.
inline constexpr std::int64_t max_policies = 20;
inline constexpr std::int64_t max_tags = 50;

/// Keyset position of an ascending list: after the token's row, or from the start.
inline std::int64_t after(page_token const& token, page_request const& page) {
    return page.token ? token.decode(*page.token) : 0;
}

/// Keyset position of a newest-first list: before the token's row, or from the newest.
inline std::int64_t before(page_token const& token, page_request const& page) {
    return page.token ? token.decode(*page.token) : max_position;
}

/// The page a list answers: the store's rows (in the core's type), and a token (bound as `token`
/// is) for the position after the last of them when there are more.
template <typename Row>
auto page_of(page_token const& token, store::page<Row>&& rows) {
    page_result<decltype(to_core(std::declval<Row&&>()))> out{to_core(std::move(rows.rows)),
                                                              std::nullopt};
    if (rows.next_after)
        out.next_token = token.encode(*rows.next_after);
    return out;
}

} // namespace icemu::api::core::detail
