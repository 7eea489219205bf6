#include "server/path_router.hpp"

#include <catch2/catch.hpp>

namespace {

using icemu::server::path_router;
namespace http = icemu::server::http;

path_router sample() {
    path_router r;
    r.add(http::verb::get, "/v1/instances/{instance_id}/permission-sets/{permission_set_id}", 0);
    r.add(http::verb::delete_, "/v1/instances/{instance_id}/permission-sets/{permission_set_id}",
          1);
    r.add(http::verb::get, "/v1/instances/{instance_id}/permission-sets/provisioning-statuses", 2);
    r.add(http::verb::get,
          "/v1/instances/{instance_id}/permission-sets/provisioning-status/{request_id}", 3);
    r.add(http::verb::get, "/v1/instances/{resource_type}/{resource_id}/tags", 4);
    return r;
}

} // namespace

TEST_CASE("path_router: a literal segment wins over a parameter", "[server][huawei]") {
    auto const r = sample();
    auto m = r.find(http::verb::get, "/v1/instances/ins-1/permission-sets/provisioning-statuses");
    REQUIRE(m.result == path_router::outcome::found);
    CHECK(m.route == 2);
    CHECK(m.params["instance_id"] == "ins-1");

    m = r.find(http::verb::get, "/v1/instances/ins-1/permission-sets/ps-2?limit=3");
    REQUIRE(m.result == path_router::outcome::found);
    CHECK(m.route == 0);
    CHECK(m.params["permission_set_id"] == "ps-2");
    CHECK(m.params["request_id"].empty());

    m = r.find(http::verb::get, "/v1/instances/ins-1/permission-sets/provisioning-status/abc");
    REQUIRE(m.result == path_router::outcome::found);
    CHECK(m.route == 3);
    CHECK(m.params["request_id"] == "abc");
}

TEST_CASE("path_router: the most specific shape owns the path for every method",
          "[server][huawei]") {
    auto const r = sample();
    auto m =
        r.find(http::verb::delete_, "/v1/instances/ins-1/permission-sets/provisioning-statuses");
    REQUIRE(m.result == path_router::outcome::wrong_method);
    REQUIRE(m.allowed.size() == 1);
    CHECK(m.allowed[0] == http::verb::get);

    m = r.find(http::verb::delete_, "/v1/instances/ins-1/permission-sets/ps-2");
    REQUIRE(m.result == path_router::outcome::found);
    CHECK(m.route == 1);

    m = r.find(http::verb::post, "/v1/instances/ins-1/permission-sets/ps-2");
    CHECK(m.result == path_router::outcome::wrong_method);
    CHECK(m.allowed.size() == 2);
}

TEST_CASE("path_router: unknown paths, empty segments and percent-decoding", "[server][huawei]") {
    auto const r = sample();
    CHECK(r.find(http::verb::get, "/v1/nothing").result == path_router::outcome::not_found);
    CHECK(r.find(http::verb::get, "/v1/instances//permission-sets/x").result ==
          path_router::outcome::not_found);
    CHECK(r.find(http::verb::get, "/").result == path_router::outcome::not_found);

    auto const m =
        r.find(http::verb::get, "/v1/instances/identitycenter%3Apermissionset/ps-1/tags");
    REQUIRE(m.result == path_router::outcome::found);
    CHECK(m.route == 4);
    CHECK(m.params["resource_type"] == "identitycenter:permissionset");

    CHECK(path_router::percent_decode("a%2fb%") == "a/b%");
    CHECK(path_router::percent_decode("%zz+") == "%zz+");
}

TEST_CASE("path_router: query strings, decoded as they always were", "[server][huawei][admin]") {
    using pairs = std::vector<std::pair<std::string, std::string>>;
    CHECK(path_router::query_of("/v1/x?a=1&b") == "a=1&b");
    CHECK(path_router::query_of("/v1/x") == "");
    CHECK(path_router::query_params("", true).empty());
    CHECK(path_router::query_params(std::string_view(), true).empty()); // null data()
    // A query that is not the end of its buffer (a request target's is not) ends where it ends.
    std::string_view const target = "/?a=1&b=2 HTTP/1.1";
    CHECK(path_router::query_params(target.substr(2, 7), false) == pairs{{"a", "1"}, {"b", "2"}});
    CHECK(path_router::percent_decode(std::string_view()).empty());
    // Names without '=', empty values, empty pairs (skipped), repeats kept in order.
    CHECK(path_router::query_params("a=1&&b&c=&a=2", true) ==
          pairs{{"a", "1"}, {"b", ""}, {"c", ""}, {"a", "2"}});
    CHECK(path_router::query_params("=x", true) == pairs{{"", "x"}});
    // '+' is a space only in form-encoded queries; an invalid escape is kept as it is.
    CHECK(path_router::query_params("k+1=v%20w+x", true) == pairs{{"k 1", "v w x"}});
    CHECK(path_router::query_params("k+1=v%20w+x", false) == pairs{{"k+1", "v w+x"}});
    CHECK(path_router::query_params("a=%zz%4&b=100%", true) ==
          pairs{{"a", "%zz%4"}, {"b", "100%"}});
    // Bytes RFC 3986 does not allow in a query (which Boost.URL refuses) are taken literally.
    CHECK(path_router::query_params("q=a b{|}\xc3\xa9#", false) == pairs{{"q", "a b{|}\xc3\xa9#"}});
    CHECK(path_router::percent_decode("caf%C3%A9 %") == "caf\xc3\xa9 %");
}
