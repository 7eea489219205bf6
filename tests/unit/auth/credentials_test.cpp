#include "api/auth/credentials.hpp"

#include <catch2/catch.hpp>

#include "api/auth/canonical.hpp"
#include "api/auth/crypto.hpp"
#include "server/path_router.hpp"

namespace auth = icemu::api::auth;

TEST_CASE("auth: basic-format dates", "[auth]") {
    CHECK(auth::parse_basic_date("20150830T123600Z") == 1440938160);
    CHECK(auth::parse_basic_date("19700101T000000Z") == 0);
    CHECK(auth::parse_basic_date("20240229T235959Z") == 1709251199);
    CHECK_FALSE(auth::parse_basic_date("20230229T000000Z")); // not a leap year
    CHECK_FALSE(auth::parse_basic_date("20150830T123600"));
    CHECK_FALSE(auth::parse_basic_date("20150830 123600Z"));
    CHECK_FALSE(auth::parse_basic_date("2015083OT123600Z"));
    CHECK_FALSE(auth::parse_basic_date("20150830T243600Z"));
    CHECK_FALSE(auth::parse_basic_date(""));
    CHECK(auth::format_basic_date(1440938160) == "20150830T123600Z");
    CHECK(auth::format_basic_date(0) == "19700101T000000Z");
}

TEST_CASE("auth: the verifier finds credentials by access key id", "[auth]") {
    auth::verifier const keys({{"AK1", "s1", "111122223333", std::nullopt},
                               {"AK2", "s2", "0123456789abcdef0123456789abcdef", "t"}},
                              [] { return 42; });
    REQUIRE(keys.find("AK1") != nullptr);
    CHECK(keys.find("AK1")->account_id == "111122223333");
    CHECK(keys.find("AK2")->session_token == "t");
    CHECK(keys.find("ak1") == nullptr); // access key ids are case-sensitive
    CHECK(keys.find("") == nullptr);
    CHECK(keys.now_s() == 42);
}

TEST_CASE("auth: digests and comparison", "[auth]") {
    CHECK(auth::sha256_hex("") ==
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    // RFC 4231 test case 2.
    CHECK(auth::hex(auth::hmac_sha256("Jefe", "what do ya want for nothing?")) ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(auth::constant_time_equal("abc", "abc"));
    CHECK_FALSE(auth::constant_time_equal("abc", "abd"));
    CHECK_FALSE(auth::constant_time_equal("abc", "abcd"));
    CHECK(auth::constant_time_equal("", ""));
}

TEST_CASE("auth: percent-encoding", "[auth]") {
    CHECK(auth::uri_encode("aZ09-_.~", false) == "aZ09-_.~");
    CHECK(auth::uri_encode("a b/c:d+", false) == "a%20b%2Fc%3Ad%2B");
    CHECK(auth::uri_encode("/a b/", true) == "/a%20b/");
    CHECK(auth::uri_encode("\xe1\x88\xb4", false) == "%E1%88%B4");
    CHECK(icemu::server::path_router::percent_decode("a%20b+c%3a%zz%4") == "a b+c:%zz%4");
    CHECK(icemu::server::path_router::percent_decode("a+b", true) == "a b");
}
