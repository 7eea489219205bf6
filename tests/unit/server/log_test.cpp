#include "server/log.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

namespace {

using namespace icemu::server;

std::string read_all(std::FILE* f) {
    std::rewind(f);
    std::string text;
    char chunk[1024];
    for (std::size_t n; (n = std::fread(chunk, 1, sizeof chunk, f)) > 0;)
        text.append(chunk, n);
    std::fclose(f);
    return text;
}

// The line without its timestamp (the first 24 characters and the separator).
std::string after_timestamp(std::string const& line, std::size_t prefix) {
    REQUIRE(line.size() > prefix);
    return line.substr(prefix);
}

} // namespace

TEST_CASE("logger writes a text request line with every field", "[server]") {
    std::FILE* f = std::tmpfile();
    logger log(log_level::info, false, f);
    call_info const info{"aws", "CreatePermissionSet", "b7a5c1de-0000-4000-8000-000000000001"};
    log.request("POST", "/", info, 200, std::chrono::microseconds(412));
    std::string const text = read_all(f);
    REQUIRE(text.size() > 25);
    CHECK(text[4] == '-');
    CHECK(text[10] == 'T');
    CHECK(text[23] == 'Z');
    CHECK(after_timestamp(text, 24) ==
          " info request method=POST path=/ surface=aws op=CreatePermissionSet status=200 "
          "ms=0.412 request_id=b7a5c1de-0000-4000-8000-000000000001\n");
}

TEST_CASE("logger writes one escaped JSON object per line", "[server]") {
    std::FILE* f = std::tmpfile();
    logger log(log_level::debug, true, f);
    log.request("GET", "/v1/a\"b", call_info{}, 404, std::chrono::milliseconds(1234));
    log.event(log_level::warn, "odd\nthing", {{"why", "tab\there"}});
    std::string const text = read_all(f);
    auto const newline = text.find('\n');
    REQUIRE(newline != std::string::npos);
    std::string const first = text.substr(0, newline);
    std::string const second = text.substr(newline + 1);
    CHECK(first.starts_with("{\"ts\":\""));
    CHECK(after_timestamp(first, 31) ==
          "\",\"level\":\"info\",\"msg\":\"request\",\"method\":\"GET\",\"path\":\"/v1/a\\\"b\","
          "\"surface\":\"none\",\"op\":\"-\",\"status\":404,\"ms\":1234.000,\"request_id\":\"-\"}");
    CHECK(after_timestamp(second, 31) ==
          "\",\"level\":\"warn\",\"msg\":\"odd\\nthing\",\"why\":\"tab\\there\"}\n");
}

TEST_CASE("logger quotes text values that would break the line into fields", "[server]") {
    std::FILE* f = std::tmpfile();
    logger log(log_level::debug, false, f);
    log.event(log_level::error, "commit failed", {{"error", "disk \"full\""}, {"empty", ""}});
    CHECK(after_timestamp(read_all(f), 24) ==
          " error \"commit failed\" error=\"disk \\\"full\\\"\" empty=\"\"\n");
}

TEST_CASE("logger drops records below its level", "[server]") {
    std::FILE* f = std::tmpfile();
    logger log(log_level::warn, false, f);
    CHECK_FALSE(log.enabled(log_level::info));
    CHECK(log.enabled(log_level::error));
    log.event(log_level::info, "hidden");
    log.request("GET", "/", call_info{}, 200, std::chrono::nanoseconds(0));
    CHECK(read_all(f).empty());
}

TEST_CASE("log levels parse from their names", "[server]") {
    CHECK(parse_log_level("debug") == log_level::debug);
    CHECK(parse_log_level("error") == log_level::error);
    CHECK_FALSE(parse_log_level("verbose").has_value());
    CHECK(to_string(log_level::warn) == "warn");
}
