#include <catch2/catch.hpp>
#include <string>

#include "api/admin/faults.hpp"
#include "tests/support/operations.hpp"

namespace {

namespace admin = icemu::api::admin;

} // namespace

TEST_CASE("fault rules refuse a latency over an hour", "[admin]") {
    // The session turns latency_ms into a timer duration: 9223372036854775807 ms overflowed it.
    auto const refusal = [](std::string const& latency) {
        try {
            admin::parse_fault_rules(
                R"({"rules": [{"match": {}, "error": {"code": "ThrottlingException", "latency_ms": )" +
                    latency + "}}]}",
                icemu::test::all_operations());
        } catch (admin::rules_error const& e) {
            return std::string(e.what());
        }
        return std::string("<accepted>");
    };
    CHECK(refusal("9223372036854775807") == "rules[0].error.latency_ms: must be at most 3600000");
    CHECK(refusal("3600000") == "<accepted>");
}
