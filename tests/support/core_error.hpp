#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "api/core/error.hpp"

namespace icemu::test {

/// Matches a core::error with exactly this category, reason and text; for
/// REQUIRE_THROWS_MATCHES(expr, api::core::error, core_error(...)).
inline auto core_error(api::core::errc code, api::core::reason why, std::string text) {
    std::string description = "core::error(" + std::to_string(static_cast<int>(code)) + ", " +
                              std::to_string(static_cast<int>(why)) + ", \"" + text + "\")";
    return Catch::Predicate<api::core::error>(
        [code, why, text = std::move(text)](api::core::error const& e) {
            return e.code() == code && e.why() == why && std::string(e.what()) == text;
        },
        description);
}

} // namespace icemu::test
