#include "server/router.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace {

using namespace icemu::server;

struct named_endpoint final : endpoint {
    explicit named_endpoint(std::string n) : name(std::move(n)) {}

    response handle(request const& req, call_info& info) override {
        ++handled;
        info.surface = name;
        response res{http::status::ok, req.version()};
        res.body() = name;
        return res;
    }

    response reject(request const& req, rejection, call_info&) override {
        return response{http::status::internal_server_error, req.version()};
    }

    std::string name;
    int handled = 0;
};

struct fixture {
    named_endpoint admin{"admin"};
    named_endpoint aws{"aws"};
    named_endpoint huawei{"huawei"};
    router routes{admin, aws, huawei};

    std::string route(http::verb verb, std::string_view target,
                      std::string_view amz_target = {}) const {
        request req{verb, target, 11};
        if (!amz_target.empty())
            req.set("X-Amz-Target", amz_target);
        return static_cast<named_endpoint&>(routes.route(req)).name;
    }
    std::string route_malformed(http::verb verb, std::string_view target,
                                std::string_view amz_target = {}) const {
        request req; // Beast refuses to set verb::unknown: a line it could not read has none
        if (verb != http::verb::unknown)
            req.method(verb);
        req.target(target);
        if (!amz_target.empty())
            req.set("X-Amz-Target", amz_target);
        return static_cast<named_endpoint&>(routes.route_malformed(req)).name;
    }
};

} // namespace

TEST_CASE("router sends the reserved /_icemu prefix to the admin surface", "[server]") {
    fixture f;
    CHECK(f.route(http::verb::get, "/_icemu/health") == "admin");
    CHECK(f.route(http::verb::post, "/_icemu/reset") == "admin");
    CHECK(f.route(http::verb::get, "/_icemu") == "admin");
    SECTION("even when an X-Amz-Target header is present") {
        CHECK(f.route(http::verb::post, "/_icemu/reset", "SWBExternalService.ListInstances") ==
              "admin");
    }
    SECTION("but not a path that only starts with the same letters") {
        CHECK(f.route(http::verb::get, "/_icemux") == "huawei");
    }
}

TEST_CASE("router sends a request with X-Amz-Target to the aws surface", "[server]") {
    fixture f;
    CHECK(f.route(http::verb::post, "/", "SWBExternalService.CreatePermissionSet") == "aws");
    CHECK(f.route(http::verb::get, "/v1/instances", "SWBExternalService.ListInstances") == "aws");
}

TEST_CASE("router sends /v1 paths to the huawei surface", "[server]") {
    fixture f;
    CHECK(f.route(http::verb::get, "/v1/instances") == "huawei");
    CHECK(f.route(http::verb::post, "/v1/instances/ins-0123456789abcdef/permission-sets") ==
          "huawei");
    CHECK(f.route(http::verb::delete_, "/v1") == "huawei");
}

TEST_CASE("router sends other POSTs to aws and other methods to huawei", "[server]") {
    fixture f;
    CHECK(f.route(http::verb::post, "/") == "aws");
    CHECK(f.route(http::verb::post, "/some/sdk/path") == "aws");
    CHECK(f.route(http::verb::get, "/") == "huawei");
    CHECK(f.route(http::verb::put, "/v2/other") == "huawei");
}

TEST_CASE("router dispatch answers through the chosen endpoint", "[server]") {
    fixture f;
    request req{http::verb::get, "/_icemu/health", 11};
    call_info info;
    response const res = f.routes.dispatch(req, info);
    CHECK(res.body() == "admin");
    CHECK(info.surface == "admin");
    CHECK(f.admin.handled == 1);
    CHECK(f.aws.handled == 0);
    CHECK(f.huawei.handled == 0);
}

TEST_CASE("router sends moto's /moto-api/ calls to the admin surface", "[server]") {
    fixture f;
    CHECK(f.route(http::verb::post, "/moto-api/reset") == "admin");
    CHECK(f.route(http::verb::post, "/moto-api/reset?x=1", "SWBExternalService.ListInstances") ==
          "admin");
    CHECK(f.route(http::verb::post, "/moto-apix") == "aws");
}

TEST_CASE("router sends a malformed request by its request line alone: admin, huawei, else aws",
          "[server]") {
    fixture f;
    CHECK(f.route_malformed(http::verb::get, "/_icemu/health") == "admin");
    CHECK(f.route_malformed(http::verb::post, "/moto-api/reset") == "admin");
    CHECK(f.route_malformed(http::verb::get, "/v1/instances") == "huawei");
    CHECK(f.route_malformed(http::verb::post, "/v1", "SWBExternalService.ListInstances") ==
          "huawei");
    CHECK(f.route_malformed(http::verb::get, "/elsewhere") == "aws");
    CHECK(f.route_malformed(http::verb::unknown, "") == "aws"); // no readable request line
}
