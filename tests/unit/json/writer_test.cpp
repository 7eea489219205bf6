#include "api/json/writer.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

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
