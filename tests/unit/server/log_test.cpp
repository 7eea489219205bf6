#include "server/log.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <new>
#include <string>
#include <vector>

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

TEST_CASE("a deferred logger writes the lines of a turn together when flushed", "[server]") {
    std::FILE* f = std::tmpfile();
    int scheduled = 0;
    {
        logger log(log_level::info, false, f);
        log.defer([&scheduled] { ++scheduled; });
        log.request("POST", "/", call_info{"aws", "A", "id-1"}, 200, std::chrono::microseconds(1));
        log.event(log_level::info, "settled", {{"request_id", "id-2"}});
        log.request("POST", "/", call_info{"aws", "B", "id-3"}, 400, std::chrono::microseconds(2));
        // Nothing is written before the flush, and one flush was asked for, not one a line.
        std::fflush(f);
        CHECK(std::ftell(f) == 0);
        CHECK(scheduled == 1);
        log.flush();
        log.request("GET", "/x", call_info{"huawei", "C", "id-4"}, 200,
                    std::chrono::microseconds(3));
        CHECK(scheduled == 2); // the first line after a flush asks for the next one
    }                          // the destructor writes what is still gathered
    std::string const text = read_all(f);
    std::vector<std::string> lines;
    for (std::size_t at = 0, end; (end = text.find('\n', at)) != std::string::npos; at = end + 1)
        lines.push_back(text.substr(at, end - at));
    REQUIRE(lines.size() == 4);
    CHECK(lines[0].ends_with(" op=A status=200 ms=0.001 request_id=id-1"));
    CHECK(lines[1].ends_with(" info settled request_id=id-2"));
    CHECK(lines[2].ends_with(" op=B status=400 ms=0.002 request_id=id-3"));
    CHECK(lines[3].ends_with(" op=C status=200 ms=0.003 request_id=id-4"));
}

TEST_CASE("a deferred logger writes at once past flush_bytes gathered", "[server]") {
    std::FILE* f = std::tmpfile();
    logger log(log_level::info, false, f);
    log.defer([] {});
    std::string const long_value(1000, 'x');
    std::size_t lines = 0;
    long written = 0;
    while (written == 0 && lines < 2 * logger::flush_bytes / long_value.size()) {
        log.event(log_level::info, "filler", {{"value", long_value}});
        ++lines;
        std::fflush(f);
        written = std::ftell(f);
    }
    // Written by the line that crossed the bound, all of it, without a flush() call.
    CHECK(written >= static_cast<long>(logger::flush_bytes));
    CHECK(static_cast<std::size_t>(written) < logger::flush_bytes + 2 * long_value.size());
    log.flush();
    std::string const text = read_all(f);
    CHECK(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) == lines);
}

TEST_CASE("a deferred logger whose scheduling fails writes the line at once", "[server]") {
    std::FILE* f = std::tmpfile();
    logger log(log_level::info, false, f);
    log.defer([] { throw std::bad_alloc(); });
    log.event(log_level::warn, "kept");
    std::fflush(f);
    CHECK(std::ftell(f) > 0);
    CHECK(after_timestamp(read_all(f), 24) == " warn kept\n");
}

TEST_CASE("each of several lines carries a whole timestamp", "[server]") {
    std::FILE* f = std::tmpfile();
    logger log(log_level::info, false, f);
    log.event(log_level::info, "one");
    log.event(log_level::info, "two");
    std::string const text = read_all(f);
    auto const second = text.find('\n') + 1;
    // The second part is formatted once a second and reused: each line still has all of it.
    for (std::size_t at : {std::size_t{0}, second}) {
        CHECK(text[at + 4] == '-');
        CHECK(text[at + 10] == 'T');
        CHECK(text[at + 19] == '.');
        CHECK(text[at + 23] == 'Z');
    }
}
