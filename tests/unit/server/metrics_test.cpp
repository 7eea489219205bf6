#include "server/metrics.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

namespace {

using namespace icemu::server;
using std::chrono::microseconds;
using std::chrono::milliseconds;

} // namespace

TEST_CASE("metrics count requests by surface, operation and status", "[server]") {
    metrics stats;
    stats.record({"aws", "ListInstances", "r1"}, 200, microseconds(300));
    stats.record({"aws", "ListInstances", "r2"}, 200, microseconds(300));
    stats.record({"aws", "ListInstances", "r3"}, 400, milliseconds(2));
    {
        // Names are copied once: the views may die with the request.
        std::string surface = "huawei";
        std::string operation = "GetPermissionSetSummary";
        stats.record({surface, operation, "-"}, 200, milliseconds(30));
        surface.assign("xxxxxx");
        operation.assign(operation.size(), 'x');
    }
    std::string text;
    stats.render(text);
    CHECK(text.find("# TYPE icemu_http_requests_total counter\n"
                    "icemu_http_requests_total{surface=\"aws\",operation=\"ListInstances\","
                    "status=\"200\"} 2\n"
                    "icemu_http_requests_total{surface=\"aws\",operation=\"ListInstances\","
                    "status=\"400\"} 1\n"
                    "icemu_http_requests_total{surface=\"huawei\",operation="
                    "\"GetPermissionSetSummary\",status=\"200\"} 1\n") != std::string::npos);
    CHECK(text.find("# TYPE icemu_http_request_duration_seconds histogram\n") != std::string::npos);
    // Cumulative buckets: 2 requests under 0.5 ms, 3 under 2.5 ms.
    CHECK(text.find("icemu_http_request_duration_seconds_bucket{surface=\"aws\",le=\"0.0005\"} "
                    "2\n") != std::string::npos);
    CHECK(text.find("icemu_http_request_duration_seconds_bucket{surface=\"aws\",le=\"0.001\"} "
                    "2\n") != std::string::npos);
    CHECK(text.find("icemu_http_request_duration_seconds_bucket{surface=\"aws\",le=\"0.0025\"} "
                    "3\n") != std::string::npos);
    CHECK(text.find("icemu_http_request_duration_seconds_bucket{surface=\"aws\",le=\"+Inf\"} "
                    "3\n") != std::string::npos);
    CHECK(text.find("icemu_http_request_duration_seconds_sum{surface=\"aws\"} 0.0026\n") !=
          std::string::npos);
    CHECK(text.find("icemu_http_request_duration_seconds_count{surface=\"aws\"} 3\n") !=
          std::string::npos);
    CHECK(text.find("icemu_http_request_duration_seconds_bucket{surface=\"huawei\",le=\"0.025\"} "
                    "0\n") != std::string::npos);
    CHECK(text.find("icemu_http_request_duration_seconds_bucket{surface=\"huawei\",le=\"0.05\"} "
                    "1\n") != std::string::npos);
    CHECK(text.find("xxxx") == std::string::npos);
}

TEST_CASE("metrics escape label values and render nothing before any request", "[server]") {
    metrics stats;
    std::string empty;
    stats.render(empty);
    CHECK(empty.find("icemu_http_requests_total{") == std::string::npos);
    CHECK(empty.find("# TYPE icemu_http_requests_total counter\n") != std::string::npos);

    stats.record({"admin", "a\"b\\c\nd", "-"}, 404, milliseconds(1));
    std::string text;
    stats.render(text);
    CHECK(text.find("operation=\"a\\\"b\\\\c\\nd\",status=\"404\"} 1\n") != std::string::npos);
}
