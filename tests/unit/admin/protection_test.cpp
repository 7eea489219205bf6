// The admin API's protection: a token on every call but health, and a listener that serves
// health alone when the admin API has an address of its own.
#include <catch2/catch.hpp>
#include <string>

#include "api/admin/surface.hpp"
#include "server/message.hpp"
#include "server/router.hpp"
#include "tests/support/surface_harness.hpp"

namespace {

namespace admin = icemu::api::admin;
namespace server = icemu::server;
namespace http = server::http;

struct harness : icemu::test::surface_harness<admin::surface> {
    explicit harness(admin::admin_options options) : surface_harness({}, std::move(options)) {}

    server::response call(http::verb method, std::string const& target,
                          std::initializer_list<std::pair<char const*, std::string>> headers = {}) {
        server::request req{method, target, 11};
        for (auto const& [name, value] : headers)
            req.set(name, value);
        return send(std::move(req));
    }
};

admin::admin_options with(std::string token, bool health_only) {
    admin::admin_options out;
    out.version = "test";
    out.token = std::move(token);
    out.health_only = health_only;
    return out;
}

} // namespace

TEST_CASE("admin: a token guards every call but health", "[admin]") {
    harness h(with("s3cret", false));
    auto res = h.call(http::verb::get, "/_icemu/health");
    CHECK(res.result() == http::status::ok);
    res = h.call(http::verb::get, "/_icemu/requests");
    CHECK(res.result() == http::status::unauthorized);
    CHECK(res[http::field::www_authenticate] == "Bearer realm=\"icemu\"");
    CHECK(res[http::field::content_type] == "application/json");
    CHECK(res.body() ==
          R"({"error":"unauthorized","message":"the admin API needs its token: Authorization: )"
          R"(Bearer <token> or X-Icemu-Admin-Token: <token>"})");
    CHECK(h.call(http::verb::get, "/_icemu/requests", {{"Authorization", "Bearer s3cret"}})
              .result() == http::status::ok);
    CHECK(
        h.call(http::verb::get, "/_icemu/requests", {{"X-Icemu-Admin-Token", "s3cret"}}).result() ==
        http::status::ok);
    CHECK(
        h.call(http::verb::get, "/_icemu/requests", {{"Authorization", "Bearer s3cre"}}).result() ==
        http::status::unauthorized);
    CHECK(h.call(http::verb::get, "/_icemu/requests", {{"Authorization", "s3cret"}}).result() ==
          http::status::unauthorized);
    // Refused before it runs: the reset did not happen (nothing to see but the status here).
    CHECK(h.call(http::verb::post, "/_icemu/reset").result() == http::status::unauthorized);
}

TEST_CASE("admin: without a token every call is open", "[admin]") {
    harness h(with("", false));
    CHECK(h.call(http::verb::get, "/_icemu/requests").result() == http::status::ok);
}

TEST_CASE("admin: a health-only listener answers the rest of /_icemu/ with 404", "[admin]") {
    harness h(with("", true));
    CHECK(h.call(http::verb::get, "/_icemu/health").result() == http::status::ok);
    auto const res = h.call(http::verb::post, "/_icemu/reset");
    CHECK(res.result() == http::status::not_found);
    CHECK(res.body() == R"({"error":"not_found","message":"no admin call /_icemu/reset on this )"
                        R"(address: the admin API listens on its own address"})");
}

TEST_CASE("admin: an admin-only router sends every path to the admin API", "[admin]") {
    harness h(with("", false));
    auto const routes = server::router::admin_only(h.surface);
    server::request req{http::verb::post, "/", 11};
    req.set("X-Amz-Target", "SWBExternalService.ListInstances");
    CHECK(&routes.route(req) == &h.surface);
    req.target("/v1/instances");
    auto const res = routes.dispatch(req, h.info);
    CHECK(res.result() == http::status::not_found);
    CHECK(res.body() == R"({"error":"not_found","message":"no admin call /v1/instances"})");
}
