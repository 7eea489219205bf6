#include "api/json/writer.hpp"

#include <catch2/catch.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

#include "api/json/utf8.hpp"

namespace {

std::string seconds(std::int64_t ms) {
    icemu::api::json::writer out;
    out.start_array().epoch_seconds(ms).end_array();
    return out.str();
}

} // namespace

TEST_CASE("epoch_seconds writes seconds with a three-digit millisecond fraction", "[json]") {
    CHECK(seconds(1650989104461) == "[1650989104.461]");
    CHECK(seconds(1650989104007) == "[1650989104.007]");
    CHECK(seconds(1650989104000) == "[1650989104.000]");
    CHECK(seconds(999) == "[0.999]");
    CHECK(seconds(0) == "[0.000]");
    CHECK(seconds(-1500) == "[-1.500]");
    CHECK(seconds(INT64_MAX) == "[9223372036854775.807]");
}

TEST_CASE("strings and keys are escaped exactly where JSON needs it", "[json]") {
    icemu::api::json::writer out;
    out.start_object()
        .member("plain", "ssoins-0123456789abcdef")
        .member("empty", "")
        .member("quote\"key", "a\"b")
        .member("back", "c:\\dir")
        .member("control", std::string_view("tab\there\nnul\0end", 16))
        .member("utf8", "gr\xc3\xbc\xc3\x9f")
        .key("list")
        .start_array()
        .string("x")
        .string("")
        .end_array()
        .end_object();
    CHECK(out.str() ==
          R"({"plain":"ssoins-0123456789abcdef","empty":"","quote\"key":"a\"b","back":"c:\\dir",)"
          R"("control":"tab\there\nnul\u0000end","utf8":"gr)"
          "\xc3\xbc\xc3\x9f"
          R"(","list":["x",""]})");
}

TEST_CASE("is_plain_ascii agrees with a byte-by-byte test for every byte at every position",
          "[json]") {
    auto const plain_byte = [](unsigned char c) {
        return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
    };
    // Lengths around the 8-byte words, each byte value at each position of a plain background
    // (and next to the word boundary, where a borrow could carry into the next byte).
    for (std::size_t length = 1; length <= 19; ++length) {
        for (std::size_t at = 0; at < length; ++at) {
            for (int value = 0; value < 256; ++value) {
                for (char const background : {'a', ' ', '!', '#', '[', ']', '\x7f'}) {
                    std::string text(length, background);
                    text[at] = static_cast<char>(value);
                    bool const expected = plain_byte(static_cast<unsigned char>(value));
                    if (icemu::api::json::is_plain_ascii(text) != expected) {
                        CAPTURE(length, at, value, background);
                        FAIL("is_plain_ascii disagrees");
                    }
                }
            }
        }
    }
    CHECK(icemu::api::json::is_plain_ascii(""));
    CHECK(icemu::api::json::is_plain_ascii(std::string_view{}));
    CHECK(icemu::api::json::is_plain_ascii("arn:aws:sso:::permissionSet/ssoins-0123/ps-4567"));
    CHECK_FALSE(icemu::api::json::is_plain_ascii("gr\xc3\xbc\xc3\x9f and more than eight"));
}
