#include <catch2/catch.hpp>
#include <string>

#include "server/config.hpp"

namespace {

using namespace icemu::server;

// The error apply_config_text throws for `text`, or "<accepted>".
std::string text_error(std::string const& text) {
    config cfg;
    try {
        apply_config_text(cfg, text, "fuzz.json");
    } catch (config_error const& e) {
        return e.what();
    }
    return "<accepted>";
}

} // namespace

TEST_CASE("config text applies over the defaults as a file does", "[server]") {
    config cfg;
    apply_config_text(cfg, R"({"scheduler": {"mode": "manual"}, "db": ":memory:"})", "x.json");
    CHECK(cfg.scheduler.mode == scheduler_mode::manual);
    CHECK(cfg.db == ":memory:");
    CHECK(cfg.config_file == "x.json");
    CHECK(cfg.listen_port == 4577);
}

TEST_CASE("config text nested 1000000 deep is refused, not a stack overflow", "[server]") {
    CHECK(text_error(std::string(1000000, '[')) ==
          "fuzz.json: invalid JSON at offset 1000000: Invalid value.");
    CHECK(text_error(std::string(1000000, '[') + std::string(1000000, ']')) ==
          "fuzz.json: the top level must be a JSON object");
}

TEST_CASE("config faults nested deeper than 32 levels are refused", "[server]") {
    // The faults object is written back to text for the rule parser, which recursed per level.
    std::string deep =
        R"({"faults": {"rules": )" + std::string(1000000, '[') + std::string(1000000, ']') + "}}";
    CHECK(text_error(deep) == "fuzz.json: faults: nested deeper than 32 levels");
    CHECK(text_error(R"({"faults": {"rules": [{"match": {"operation": "ListInstances"},
        "error": {"code": "ThrottlingException"}}]}})") == "<accepted>");
}
