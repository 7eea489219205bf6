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

TEST_CASE("an ASCII body gets the verdict of the validating parse it skips", "[json]") {
    // ASCII text is parsed without RapidJSON's per-character UTF-8 check: every verdict (and
    // error offset) must stay what the checking parse says.
    for (std::string const& text :
         {std::string(R"({"a": "b"})"), std::string("{\"a\": \"x\x01y\"}"),
          std::string(R"({"a": "\ud800"})"), std::string(R"({"a": "\udc00x"})"),
          std::string(R"({"a": "\ud83d\ude00"})"), std::string("{\"a\": \"tab\there\"}"),
          std::string("{\"a\": \x7f}"), std::string(R"({"a": [1, 2,]})"),
          std::string(R"({"a": "\q"})"), std::string(R"({"a": "\u00e9"})"),
          std::string(R"({"a":)")}) {
        REQUIRE(json::is_ascii(text));
        rapidjson::Document checked;
        checked.Parse<rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
        rapidjson::Document doc;
        std::string problem;
        bool const ok = json::parse_object(text, doc, problem);
        CAPTURE(text, problem);
        CHECK(ok == !checked.HasParseError());
        if (checked.HasParseError())
            CHECK(
                problem.ends_with("(at offset " + std::to_string(checked.GetErrorOffset()) + ")"));
    }
}

TEST_CASE("a body_document parses a small body and one larger than its buffer", "[json]") {
    json::body_document small;
    std::string problem;
    REQUIRE(json::parse_object(R"({"InstanceArn": "arn:aws:sso:::instance/ssoins-1"})", small.get(),
                               problem));
    CHECK(json::string_or_empty(small.get(), "InstanceArn") == "arn:aws:sso:::instance/ssoins-1");
    std::string many = "{";
    for (int i = 0; i < 5000; ++i)
        many += "\"key" + std::to_string(i) + "\": \"" + std::string(20, 'v') + "\",";
    many += "\"last\": \"end\"}";
    json::body_document large;
    REQUIRE(json::parse_object(many, large.get(), problem));
    CHECK(large.get().MemberCount() == 5001);
    CHECK(json::string_or_empty(large.get(), "key4999") == std::string(20, 'v'));
    CHECK(json::string_or_empty(large.get(), "last") == "end");
}

TEST_CASE("is_ascii agrees with a byte-by-byte test for every byte at every position", "[json]") {
    for (std::size_t length = 1; length <= 19; ++length)
        for (std::size_t at = 0; at < length; ++at)
            for (int value = 0; value < 256; ++value) {
                std::string text(length, 'a');
                text[at] = static_cast<char>(value);
                if (json::is_ascii(text) != (value < 0x80)) {
                    CAPTURE(length, at, value);
                    FAIL("is_ascii disagrees");
                }
            }
    CHECK(json::is_ascii(""));
    CHECK(json::is_ascii(std::string_view{}));
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
