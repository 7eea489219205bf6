#include "api/core/pagination.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <string>

#include "api/core/error.hpp"
#include "tests/support/core_error.hpp"

namespace {

namespace core = icemu::api::core;
using core::errc;
using core::reason;
using icemu::test::core_error;

constexpr char const* invalid_text = "The pagination token is not valid for this request.";

auto invalid_token() {
    return core_error(errc::invalid_argument, reason::invalid_token, invalid_text);
}

} // namespace

TEST_CASE("page_token decodes the position it encoded", "[core]") {
    core::page_token const token{"ListPermissionSets", "0123456789abcdef"};
    for (std::int64_t position :
         {std::int64_t{0}, std::int64_t{1}, std::int64_t{255}, std::int64_t{256},
          std::int64_t{1} << 40, std::numeric_limits<std::int64_t>::max()}) {
        CAPTURE(position);
        CHECK(token.decode(token.encode(position)) == position);
    }
    // The same binding in another object decodes it too: tokens survive a restart.
    core::page_token const again{"ListPermissionSets", "0123456789abcdef"};
    CHECK(again.decode(token.encode(77)) == 77);
}

TEST_CASE("page_token is 24 URL-safe characters", "[core]") {
    core::page_token const token{"ListInstances"};
    for (std::int64_t position :
         {std::int64_t{0}, std::int64_t{12345}, std::numeric_limits<std::int64_t>::max()}) {
        auto const text = token.encode(position);
        CAPTURE(text);
        CHECK(text.size() == 24);
        CHECK(text.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
              std::string::npos);
    }
    CHECK(token.encode(1) != token.encode(2));
}

TEST_CASE("page_token rejects a token with any character changed", "[core]") {
    core::page_token const token{"ListPermissionSets", "0123456789abcdef"};
    std::string const good = token.encode(100);
    for (std::size_t i = 0; i < good.size(); ++i) {
        std::string bad = good;
        bad[i] = bad[i] == 'A' ? 'B' : 'A';
        CAPTURE(i, bad);
        REQUIRE_THROWS_MATCHES(token.decode(bad), core::error, invalid_token());
    }
    // Characters outside the alphabet (standard base64's '+' and '/', padding).
    for (char c : {'+', '/', '=', ' ', '.'}) {
        std::string bad = good;
        bad[5] = c;
        CAPTURE(c);
        REQUIRE_THROWS_MATCHES(token.decode(bad), core::error, invalid_token());
    }
}

TEST_CASE("page_token rejects a token bound to another operation or other parameters", "[core]") {
    core::page_token const issued{"ListPermissionSets", "0123456789abcdef"};
    std::string const text = issued.encode(3);
    core::page_token const other_operation{"ListInstances"};
    core::page_token const other_instance{"ListPermissionSets", "fedcba9876543210"};
    // The parts are separated: "ab"+"c" is not "a"+"bc".
    core::page_token const split_ab{"List", "ab", "c"};
    core::page_token const split_a{"List", "a", "bc"};
    REQUIRE_THROWS_MATCHES(other_operation.decode(text), core::error, invalid_token());
    REQUIRE_THROWS_MATCHES(other_instance.decode(text), core::error, invalid_token());
    REQUIRE_THROWS_MATCHES(split_a.decode(split_ab.encode(3)), core::error, invalid_token());
    CHECK(issued.decode(text) == 3);
}

TEST_CASE("page_token rejects a token of the wrong length", "[core]") {
    core::page_token const token{"ListInstances"};
    std::string const good = token.encode(9);
    REQUIRE_THROWS_MATCHES(token.decode(""), core::error, invalid_token());
    REQUIRE_THROWS_MATCHES(token.decode(good.substr(0, 23)), core::error, invalid_token());
    REQUIRE_THROWS_MATCHES(token.decode(good + "A"), core::error, invalid_token());
    REQUIRE_THROWS_MATCHES(token.decode(good + good), core::error, invalid_token());
}
