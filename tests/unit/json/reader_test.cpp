#include "api/json/reader.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "api/json/utf8.hpp"
#include "api/json/writer.hpp"

namespace {

namespace json = icemu::api::json;

// parse_object's verdict: "" when it accepted `text`, else its problem text.
std::string problem_of(std::string const& text) {
    rapidjson::Document doc;
    std::string problem;
    bool const ok = json::parse_object(text, doc, problem);
    CHECK(ok == problem.empty());
    return problem;
}

} // namespace

TEST_CASE("parse_object refuses nesting deeper than 1000 levels without parsing it", "[json]") {
    // A million `[` (under the 1 MiB body limit) overflowed the stack of RapidJSON's recursive
    // parser: a segmentation fault in the release build.
    CHECK(problem_of(std::string(1000000, '[')) ==
          "Document nesting depth exceeds the maximum allowed (1000) (at offset 1000)");
    CHECK(problem_of(std::string(1000000, '[') + std::string(1000000, ']')) ==
          "Document nesting depth exceeds the maximum allowed (1000) (at offset 1000)");
    std::string objects;
    for (int i = 0; i < 50000; ++i)
        objects += "{\"a\":";
    CHECK(problem_of(objects + "1" + std::string(50000, '}')) ==
          "Document nesting depth exceeds the maximum allowed (1000) (at offset 5000)");
    // Exactly 1000 levels parse; brackets inside strings do not count.
    CHECK(problem_of("{\"a\": " + std::string(999, '[') + std::string(999, ']') + "}").empty());
    CHECK(problem_of("{\"a\": \"" + std::string(5000, '[') + "\\\"\"}").empty());
}

TEST_CASE("parse_object refuses strings that are not UTF-8", "[json]") {
    for (std::string const bad :
         {"\xff", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "a\xe2\x82"})
        CHECK(problem_of("{\"Name\": \"" + bad + "\"}").starts_with("Invalid encoding in string."));
    CHECK(problem_of("{\"Name\": \"caf\xc3\xa9 \xf0\x9f\x98\x80\"}").empty());
}

TEST_CASE("parse_object refuses a NUL byte anywhere in the text", "[json]") {
    // RapidJSON reads NUL as the end of the text: `{}\0junk` would pass as `{}`.
    CHECK(problem_of(std::string("{}\0junk", 7)) == "Invalid character NUL (at offset 2)");
    CHECK(problem_of(std::string("{\"a\": \"x\0\"}", 11)) == "Invalid character NUL (at offset 8)");
    CHECK(problem_of("{\"a\": \"x\\u0000\"}").empty()); // escaped: a string holding NUL
}

TEST_CASE("parse_object refuses duplicate keys at any depth", "[json]") {
    CHECK(problem_of(R"({"MaxResults": 1, "MaxResults": 1000})") == "Duplicate field 'MaxResults'");
    CHECK(problem_of(R"({"Tags": [{"Key": "a", "Value": "b", "Key": "c"}]})") ==
          "Duplicate field 'Key'");
    CHECK(problem_of(R"({"a": {"b": 1}, "c": {"b": 1}})").empty());
    std::string many = "{";
    for (int i = 0; i < 20000; ++i)
        many += "\"k" + std::to_string(i) + "\": 1,";
    CHECK(problem_of(many + "\"k7\": 2}") == "Duplicate field 'k7'");
}

TEST_CASE("the JSON writer replaces bytes that are not UTF-8", "[json]") {
    json::writer out;
    out.start_object()
        .member("Message", std::string_view("Unknown operation No\xffSuch."))
        .end_object();
    CHECK(out.str() == "{\"Message\":\"Unknown operation No\xef\xbf\xbdSuch.\"}");
    CHECK(json::is_utf8(out.view()));
    CHECK(json::to_utf8("\xc0\xaf"
                        "ok") == "\xef\xbf\xbd\xef\xbf\xbdok");
    CHECK(json::to_utf8("caf\xc3\xa9") == "caf\xc3\xa9");
}
