#include "api/huawei/identity_store.hpp"

#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "api/core/identity.hpp"
#include "api/core/service.hpp"
#include "api/huawei/operations.hpp"
#include "api/huawei/surface.hpp"
#include "server/message.hpp"
#include "tests/support/surface_harness.hpp"

namespace {

namespace huawei = icemu::api::huawei;
namespace core = icemu::api::core;
namespace server = icemu::server;
namespace http = server::http;

core::service_options options() {
    core::service_options out;
    out.scheduler.mode = core::scheduler_mode::manual;
    out.instances = {{"123456789012", "", "", ""}};
    return out;
}

rapidjson::Document parse(std::string const& text) {
    rapidjson::Document doc;
    doc.Parse(text.c_str());
    REQUIRE(!doc.HasParseError());
    return doc;
}

constexpr std::string_view alice =
    R"({"user_name":"alice","password_mode":"OTP","display_name":"Alice",)"
    R"("name":{"family_name":"Liddell","given_name":"Alice"},)"
    R"("emails":[{"primary":true,"type":"Work","value":"alice@example.com"}],)"
    R"("enterprise":{"employee_number":"7","manager":{"value":"bob"}}})";

// The Huawei surface with the identity store, over a `:memory:` store.
struct harness : icemu::test::core_harness {
    harness()
        : core_harness(options()),
          identity(db, time.clock),
          surface(svc, nullptr, &identity),
          store(svc.instances.list(core::page_request{}).items.at(0).identity_store_id) {}

    server::response call(http::verb method, std::string const& path, std::string body = {}) {
        server::request req{method, "/v1/identity-stores/" + store + path, 11};
        req.set(http::field::content_type, "application/json");
        req.body() = std::move(body);
        req.prepare_payload();
        return surface.handle(req, info);
    }

    core::identity_store identity;
    huawei::surface surface;
    server::call_info info;
    std::string store;
};

std::string error_code(server::response const& res) {
    return parse(res.body())["error_code"].GetString();
}

std::string error_msg(server::response const& res) {
    return parse(res.body())["error_msg"].GetString();
}

} // namespace

TEST_CASE("huawei identity store: a created user is kept in the AWS members and read back",
          "[huawei][identity]") {
    harness h;
    auto const created = h.call(http::verb::post, "/users", std::string(alice));
    REQUIRE(created.result() == http::status::created);
    CHECK(h.info.operation == "CreateUser");
    auto const id = std::string(parse(created.body())["user_id"].GetString());

    auto const stored = parse(h.identity.describe_user(h.store, id).attributes);
    CHECK(std::string(stored["UserName"].GetString()) == "alice");
    CHECK(std::string(stored["Name"]["GivenName"].GetString()) == "Alice");
    CHECK(std::string(stored["Emails"][0]["Value"].GetString()) == "alice@example.com");
    CHECK(std::string(
              stored["Extensions"]["aws:identitystore:enterprise"]["employeeNumber"].GetString()) ==
          "7");
    CHECK_FALSE(stored.HasMember("password_mode"));

    auto const described = h.call(http::verb::get, "/users/" + id);
    REQUIRE(described.result() == http::status::ok);
    auto const user = parse(described.body());
    CHECK(std::string(user["user_name"].GetString()) == "alice");
    CHECK(std::string(user["name"]["family_name"].GetString()) == "Liddell");
    CHECK(user["emails"][0]["primary"].GetBool());
    CHECK(std::string(user["enterprise"]["manager"]["value"].GetString()) == "bob");
    CHECK(user["enabled"].GetBool());
    CHECK(user["created_at"].GetInt64() == icemu::test::fixed_clock::start_ms);
}

TEST_CASE("huawei identity store: update paths are the snake_case members", "[huawei][identity]") {
    harness h;
    auto const id =
        std::string(parse(h.call(http::verb::post, "/users", std::string(alice)).body())["user_id"]
                        .GetString());
    auto const res = h.call(http::verb::put, "/users/" + id,
                            R"({"operations":[{"attribute_path":"name.given_name",)"
                            R"("attribute_value":"Al"},{"attribute_path":"phone_numbers",)"
                            R"("attribute_value":"[{\"value\":\"1\",\"primary\":true}]"}]})");
    REQUIRE(res.result() == http::status::ok);
    CHECK(res.body().empty());
    auto const stored = parse(h.identity.describe_user(h.store, id).attributes);
    CHECK(std::string(stored["Name"]["GivenName"].GetString()) == "Al");
    CHECK(std::string(stored["PhoneNumbers"][0]["Value"].GetString()) == "1");
    CHECK(stored["PhoneNumbers"][0]["Primary"].GetBool());

    auto const bad = h.call(http::verb::put, "/users/" + id,
                            R"({"operations":[{"attribute_path":"name.nick"}]})");
    CHECK(bad.result() == http::status::bad_request);
    CHECK(error_msg(bad).find("operations[0].attribute_path") != std::string::npos);
}

TEST_CASE("huawei identity store: literal segments beat the id parameters", "[huawei][identity]") {
    harness h;
    (void)h.call(http::verb::post, "/users", std::string(alice));
    auto const found =
        h.call(http::verb::post, "/users/retrieve-user-id",
               R"({"alternate_identifier":{"unique_attribute":{"attribute_path":"user_name",)"
               R"("attribute_value":"alice"}}})");
    CHECK(found.result() == http::status::ok);
    CHECK(h.info.operation == "GetUserId");
    (void)h.call(http::verb::post, "/users/batch-query", R"({"user_ids":["x"]})");
    CHECK(h.info.operation == "DescribeUsers");
    (void)h.call(http::verb::post, "/groups/retrieve-group-id", "{}");
    CHECK(h.info.operation == "GetGroupId");
    (void)h.call(http::verb::post, "/group-memberships/retrieve-group-membership-id", "{}");
    CHECK(h.info.operation == "GetGroupMembershipId");
    (void)h.call(http::verb::get, "/users/someone");
    CHECK(h.info.operation == "DescribeUser");
}

TEST_CASE("huawei identity store: errors in the Huawei codes", "[huawei][identity]") {
    harness h;
    auto const missing = h.call(http::verb::post, "/users", R"({"password_mode":"OTP"})");
    CHECK(missing.result() == http::status::bad_request);
    CHECK(error_code(missing) == "IIC.400");
    CHECK(error_msg(missing).find("user_name") != std::string::npos);

    REQUIRE(h.call(http::verb::post, "/users", std::string(alice)).result() ==
            http::status::created);
    auto const taken = h.call(http::verb::post, "/users", std::string(alice));
    CHECK(taken.result() == http::status::conflict);
    CHECK(error_code(taken) == "IIC.409");

    auto const ghost = h.call(http::verb::get, "/groups/nobody");
    CHECK(ghost.result() == http::status::not_found);
    CHECK(error_msg(ghost) == "Not Found: group nobody.");

    h.store = "d-0000000000";
    auto const store = h.call(http::verb::get, "/users");
    CHECK(store.result() == http::status::not_found);
    CHECK(error_msg(store) == "Not Found: identity store d-0000000000.");
}

TEST_CASE("huawei identity store: without a store the surface has no such routes",
          "[huawei][identity]") {
    icemu::test::core_harness c(options());
    huawei::surface plain(c.svc);
    server::request req{http::verb::get, "/v1/identity-stores/d-0000000000/users", 11};
    req.prepare_payload();
    server::call_info info;
    auto const res = plain.handle(req, info);
    CHECK(res.result() == http::status::not_found);
    CHECK(error_msg(res).rfind("Not Found: no API at", 0) == 0);
}

TEST_CASE("huawei identity store: fault rules and metrics know its operations",
          "[huawei][identity]") {
    core::operation_catalogue known;
    huawei::add_operations(known);
    for (auto const& r : huawei::identity_routes())
        CHECK(known.knows(r.operation));
    CHECK(known.knows("EnableUser"));
    CHECK(known.knows("DescribeGroups"));
    CHECK(huawei::identity_routes().size() == 23);
}
