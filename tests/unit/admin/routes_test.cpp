// The admin API's routing: every call's path and methods, what a wrong method and an unknown
// path answer, and the operation name each call is logged and counted under.
#include <catch2/catch.hpp>
#include <string>

#include "api/admin/surface.hpp"
#include "server/message.hpp"
#include "tests/support/surface_harness.hpp"

namespace {

namespace admin = icemu::api::admin;
namespace server = icemu::server;
namespace http = server::http;

struct harness : icemu::test::surface_harness<admin::surface> {
    harness() : surface_harness({}, admin::admin_options{"test", ":memory:", {"aws"}}) {}

    server::response call(http::verb method, std::string const& target, std::string body = {}) {
        server::request req{method, target, 11};
        req.body() = std::move(body);
        info = {};
        return send(std::move(req));
    }
};

std::string error_body(std::string_view code, std::string_view message) {
    return R"({"error":")" + std::string(code) + R"(","message":")" + std::string(message) +
           R"("})";
}

} // namespace

TEST_CASE("admin: each call answers at its path and method, named by its operation", "[admin]") {
    harness h;
    struct expected {
        http::verb method;
        char const* target;
        char const* body;
        char const* operation;
    };
    for (auto const& e : {
             expected{http::verb::get, "/_icemu/health", "", "health"},
             expected{http::verb::post, "/_icemu/reset", "", "reset"},
             expected{http::verb::post, "/moto-api/reset", "", "reset"},
             expected{http::verb::get, "/_icemu/requests?status=IN_PROGRESS", "", "requests"},
             expected{http::verb::get, "/_icemu/scheduler", "", "scheduler"},
             expected{http::verb::put, "/_icemu/scheduler", R"({"polls":2})", "scheduler"},
             expected{http::verb::post, "/_icemu/clock/advance", R"({"ms":5})", "clock_advance"},
             expected{http::verb::get, "/_icemu/faults", "", "faults"},
             expected{http::verb::put, "/_icemu/faults", R"({"rules":[]})", "faults"},
             expected{http::verb::delete_, "/_icemu/faults", "", "faults"},
             expected{http::verb::get, "/_icemu/metrics", "", "metrics"},
         }) {
        INFO(e.target);
        auto const res = h.call(e.method, e.target, e.body);
        CHECK(res.result() == http::status::ok);
        CHECK(h.info.surface == "admin");
        CHECK(h.info.operation == e.operation);
    }
    CHECK(h.call(http::verb::put, "/_icemu/scheduler", R"({"polls":3})")
              .body()
              .find(R"("polls":3)") != std::string::npos);
    CHECK(h.svc.control.scheduler().polls == 3);
}

TEST_CASE("admin: a known path with another method is 405, naming the methods it has", "[admin]") {
    harness h;
    struct expected {
        http::verb method;
        char const* target;
        char const* message;
        char const* operation;
    };
    for (auto const& e : {
             expected{http::verb::post, "/_icemu/health", "use GET", "health"},
             expected{http::verb::get, "/_icemu/reset", "use POST", "reset"},
             expected{http::verb::delete_, "/moto-api/reset", "use POST", "reset"},
             expected{http::verb::post, "/_icemu/requests", "use GET", "requests"},
             expected{http::verb::get,
                      "/_icemu/requests/01122334-4556-6778-899a-abbccddeef00/settle", "use POST",
                      "settle"},
             expected{http::verb::post, "/_icemu/scheduler", "use GET or PUT", "scheduler"},
             expected{http::verb::get, "/_icemu/clock/advance", "use POST", "clock_advance"},
             expected{http::verb::post, "/_icemu/faults", "use GET, PUT or DELETE", "faults"},
             expected{http::verb::put, "/_icemu/metrics", "use GET", "metrics"},
         }) {
        INFO(e.target);
        auto const res = h.call(e.method, e.target);
        CHECK(res.result() == http::status::method_not_allowed);
        CHECK(res.body() == error_body("method_not_allowed", e.message));
        CHECK(res.find(http::field::allow) == res.end());
        CHECK(h.info.operation == e.operation);
    }
}

TEST_CASE("admin: an unknown path is 404 and names the path", "[admin]") {
    harness h;
    for (char const* path :
         {"/_icemu", "/_icemu/", "/_icemu/nope", "/_icemu/health/", "/_icemu/requests/settle",
          "/_icemu/requests//settle", "/_icemu/requests/a/b/settle", "/_icemu/clock"}) {
        INFO(path);
        auto const res = h.call(http::verb::post, std::string(path) + "?instance=x");
        CHECK(res.result() == http::status::not_found);
        CHECK(res.body() == error_body("not_found", "no admin call " + std::string(path)));
        CHECK(h.info.operation == "-");
    }
}

TEST_CASE("admin: settle names its request in the path", "[admin]") {
    harness h;
    auto const res =
        h.call(http::verb::post, "/_icemu/requests/01122334-4556-6778-899a-abbccddeef00/settle",
               R"({"status":"SUCCEEDED"})");
    CHECK(res.result() == http::status::not_found);
    CHECK(res.body() ==
          error_body("not_found", "no request with id 01122334-4556-6778-899a-abbccddeef00"));
    auto const bad =
        h.call(http::verb::post, "/_icemu/requests/01122334-4556-6778-899a-abbccddeef00/settle",
               R"({"status":"IN_PROGRESS"})");
    CHECK(bad.result() == http::status::bad_request);
    CHECK(bad.body() == error_body("bad_request", R"(status must be \"SUCCEEDED\" or \"FAILED\")"));
}
