#include "api/huawei/surface.hpp"

#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/core/error.hpp"
#include "api/core/service.hpp"
#include "api/huawei/errors.hpp"
#include "server/message.hpp"
#include "store/database.hpp"
#include "tests/support/fixed_clock.hpp"
#include "tests/support/surface_harness.hpp"

namespace {

namespace huawei = icemu::api::huawei;
namespace core = icemu::api::core;
namespace server = icemu::server;
namespace store = icemu::store;
namespace http = server::http;
using icemu::test::fixed_clock;

constexpr std::string_view ins = "ins-560aa041748d679e";
constexpr std::string_view account = "0a6d25d23900d45c0faac010e0fb4de0";
std::regex const hex32("[0-9a-f]{32}");

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

// The Huawei surface over a `:memory:` store with the default instance and a fixed clock.
struct harness : icemu::test::surface_harness<huawei::surface> {
    harness() : surface_harness(options()) {}

    server::response call(http::verb method, std::string const& target, std::string body = {}) {
        server::request req{method, target, 11};
        req.set(http::field::content_type, "application/json");
        req.set("X-Domain-Id", std::string(account));
        req.body() = std::move(body);
        auto res = send(std::move(req));
        CHECK(std::regex_match(std::string(res["X-Request-Id"]), hex32));
        return res;
    }

    std::string base() const { return "/v1/instances/" + std::string(ins); }

    std::string create_permission_set(std::string const& name) {
        auto const res =
            call(http::verb::post, base() + "/permission-sets", R"({"name":")" + name + R"("})");
        REQUIRE(res.result() == http::status::ok);
        return parse(res.body())["permission_set"]["permission_set_id"].GetString();
    }
};

// The error body's code and message, after checking its shape and the header.
std::pair<std::string, std::string> error_of(server::response const& res) {
    auto const doc = parse(res.body());
    REQUIRE(doc.MemberCount() == 3);
    CHECK(std::string(doc["request_id"].GetString()) == std::string(res["X-Request-Id"]));
    return {doc["error_code"].GetString(), doc["error_msg"].GetString()};
}

} // namespace

TEST_CASE("huawei: literal segments win over {permission_set_id}", "[huawei]") {
    harness h;
    auto res = h.call(http::verb::get, h.base() + "/permission-sets/provisioning-statuses");
    CHECK(res.result() == http::status::ok);
    CHECK(h.info.operation == "ListPermissionSetProvisioningStatus");
    res = h.call(
        http::verb::get,
        h.base() + "/permission-sets/provisioned-to-accounts?account_id=" + std::string(account));
    CHECK(res.result() == http::status::ok);
    CHECK(h.info.operation == "ListPermissionSetsProvisionedToAccount");
    res = h.call(http::verb::get, h.base() +
                                      "/permission-sets/provisioning-status/"
                                      "8a1b2c3d-0000-4000-8000-000000000001");
    CHECK(res.result() == http::status::not_found);
    CHECK(h.info.operation == "DescribePermissionSetProvisioningStatus");
    CHECK(error_of(res).first == "IIC.404");
    res = h.call(http::verb::get, h.base() + "/permission-sets/ps-0000000000000000");
    CHECK(h.info.operation == "DescribePermissionSet");
    CHECK(error_of(res) ==
          std::pair<std::string, std::string>{"IIC.1205", "The permission set does not exist."});
}

TEST_CASE("huawei: unknown paths are 404 and wrong methods 405, as Huawei JSON", "[huawei]") {
    harness h;
    auto res = h.call(http::verb::get, "/v1/unknown");
    CHECK(res.result() == http::status::not_found);
    CHECK(error_of(res) ==
          std::pair<std::string, std::string>{"IIC.404", "Not Found: no API at GET /v1/unknown."});
    res = h.call(http::verb::put, "/v1/instances");
    CHECK(res.result() == http::status::method_not_allowed);
    CHECK(res[http::field::allow] == "GET");
    CHECK(error_of(res).first == "IIC.405");
}

TEST_CASE("huawei: validation messages name the field", "[huawei]") {
    harness h;
    auto const ps_path = h.base() + "/permission-sets";
    struct sample {
        http::verb method;
        std::string target;
        std::string body;
        std::string message;
    };
    sample const samples[] = {
        {http::verb::post, ps_path, R"({"name":""})",
         "Bad Request: name must be 1 to 32 characters long."},
        {http::verb::post, ps_path, R"({"name":["a"]})", "Bad Request: name must be a string."},
        {http::verb::post, ps_path, R"({"name":)",
         "Bad Request: the body is not a JSON object: Invalid value. (at offset 8)."},
        {http::verb::post, ps_path, R"([1])",
         "Bad Request: the body is not a JSON object: the body must be a JSON object."},
        {http::verb::get, ps_path + "?limit=0", "",
         "Bad Request: limit must be an integer from 1 to 100."},
        {http::verb::get, ps_path + "?limit=101", "",
         "Bad Request: limit must be an integer from 1 to 100."},
        {http::verb::get, ps_path + "?marker=" + std::string(23, 'a'), "",
         "Bad Request: marker must be 24 characters long."},
        {http::verb::get, "/v1/instances/ins-ABC/permission-sets", "",
         "Bad Request: instance_id must be 'ins-' followed by 16 lowercase hexadecimal "
         "characters."},
        {http::verb::get, h.base() + "/account-assignments?account_id=123456789012", "",
         "Bad Request: account_id must be 32 lowercase hexadecimal characters."},
        {http::verb::get,
         h.base() + "/account-assignments-for-principals?principal_type=USER&principal_id=" +
             std::string(48, 'p'),
         "", "Bad Request: principal_id must be 1 to 47 characters long."},
        {http::verb::get, h.base() + "/account-assignments/creation-status/x", "",
         "Bad Request: request_id must be 36 characters long."},
    };
    for (auto const& s : samples) {
        INFO(s.target << " " << s.body);
        auto const res = h.call(s.method, s.target, s.body);
        CHECK(res.result() == http::status::bad_request);
        CHECK(error_of(res) == std::pair<std::string, std::string>{"IIC.400", s.message});
    }
}

TEST_CASE("huawei: core errors map by reason to the documented codes", "[huawei]") {
    huawei::error_context const ctx{"CreatePermissionSet", "ins-1", "r-1"};
    auto const wire = [&](core::errc code, core::reason why) {
        return huawei::to_wire(core::error(code, "text", why), ctx);
    };
    struct expectation {
        core::errc code;
        core::reason why;
        http::status status;
        std::string_view wire_code;
    };
    expectation const table[] = {
        {core::errc::invalid_argument, core::reason::none, http::status::bad_request, "IIC.400"},
        {core::errc::invalid_argument, core::reason::invalid_token, http::status::bad_request,
         "IIC.400"},
        {core::errc::not_found, core::reason::permission_set_not_found, http::status::not_found,
         "IIC.1205"},
        {core::errc::not_found, core::reason::instance_not_found, http::status::not_found,
         "IIC.404"},
        {core::errc::not_found, core::reason::request_not_found, http::status::not_found,
         "IIC.404"},
        {core::errc::conflict, core::reason::duplicate_name, http::status::conflict, "IIC.1206"},
        {core::errc::conflict, core::reason::duplicate_policy, http::status::conflict, "IIC.1207"},
        {core::errc::conflict, core::reason::still_attached, http::status::conflict, "IIC.1210"},
        {core::errc::conflict, core::reason::in_flight, http::status::conflict, "IIC.1006"},
        {core::errc::access_denied, core::reason::none, http::status::forbidden, "IIC.1000"},
        {core::errc::throttled, core::reason::none, http::status::too_many_requests, "APIG.0308"},
        {core::errc::internal, core::reason::none, http::status::internal_server_error, "IIC.500"},
    };
    for (auto const& e : table) {
        auto const w = wire(e.code, e.why);
        CHECK(w.status == e.status);
        CHECK(w.code == e.wire_code);
    }
    CHECK(wire(core::errc::not_found, core::reason::instance_not_found).message ==
          "Not Found: instance ins-1.");
    CHECK(wire(core::errc::access_denied, core::reason::none).message ==
          "No permission for action CreatePermissionSet.");
    // The internal error's text is fixed: a storage message never reaches the client.
    CHECK(huawei::internal_error().message == "Internal Server Error.");
}

TEST_CASE("huawei: created_date is a string only inside permission_set_provisioning_status",
          "[huawei]") {
    harness h;
    auto const ps = h.create_permission_set("Dates");
    auto res = h.call(http::verb::get, h.base() + "/permission-sets/" + ps);
    auto doc = parse(res.body());
    CHECK(doc["permission_set"]["created_date"].IsInt64());
    CHECK(doc["permission_set"]["created_date"].GetInt64() == fixed_clock::start_ms);

    res = h.call(http::verb::post, h.base() + "/permission-sets/" + ps + "/provision",
                 R"({"target_type":"ACCOUNT","target_id":")" + std::string(account) + R"("})");
    REQUIRE(res.result() == http::status::ok);
    doc = parse(res.body());
    auto const& status = doc["permission_set_provisioning_status"];
    REQUIRE(status["created_date"].IsString());
    CHECK(std::string(status["created_date"].GetString()) == std::to_string(fixed_clock::start_ms));
    CHECK(std::string(status["status"].GetString()) == "IN_PROGRESS");
    std::string const id = status["request_id"].GetString();
    CHECK(id.size() == 36);

    res = h.call(http::verb::get, h.base() + "/permission-sets/provisioning-statuses");
    doc = parse(res.body());
    CHECK(doc["permission_sets_provisioning_status"][0]["created_date"].IsInt64());
    CHECK(doc["page_info"]["next_marker"].IsNull());
    CHECK(doc["page_info"]["current_count"].GetInt() == 1);

    res = h.call(http::verb::post, h.base() + "/account-assignments/create",
                 R"({"permission_set_id":")" + ps +
                     R"(","principal_id":"u","principal_type":"USER","target_id":")" +
                     std::string(account) + R"(","target_type":"ACCOUNT"})");
    REQUIRE(res.result() == http::status::conflict); // the provisioning is still in flight
    CHECK(error_of(res).first == "IIC.1006");
    h.svc.lifecycle.settle(id, core::request_status::succeeded, std::nullopt);
    res = h.call(http::verb::post, h.base() + "/account-assignments/create",
                 R"({"permission_set_id":")" + ps +
                     R"(","principal_id":"u","principal_type":"USER","target_id":")" +
                     std::string(account) + R"(","target_type":"ACCOUNT"})");
    REQUIRE(res.result() == http::status::ok);
    doc = parse(res.body());
    CHECK(doc["account_assignment_creation_status"]["created_date"].IsInt64());
    CHECK(h.svc.control.admin_requests({}).size() == 2);
    CHECK(h.svc.control.admin_requests({}).front().surface == "huawei");
}

TEST_CASE("huawei: operations without a response body answer 200 with an empty body", "[huawei]") {
    harness h;
    auto const ps = h.create_permission_set("Empty");
    auto res =
        h.call(http::verb::put, h.base() + "/permission-sets/" + ps, R"({"description":""})");
    CHECK(res.result() == http::status::ok);
    CHECK(res.body().empty());
    CHECK(res[http::field::content_length] == "0");
    CHECK(h.info.operation == "UpdatePermissionSet");
    res = h.call(http::verb::delete_, h.base() + "/permission-sets/" + ps);
    CHECK(res.result() == http::status::ok);
    CHECK(res.body().empty());
}

TEST_CASE("huawei: a body over the limit is rejected as 413 in Huawei format", "[huawei]") {
    harness h;
    server::request req{http::verb::post, h.base() + "/permission-sets", 11};
    auto const res = h.surface.reject(req, server::rejection::body_too_large, h.info);
    CHECK(res.result() == http::status::payload_too_large);
    CHECK(error_of(res).first == "IIC.400");
    CHECK(h.info.operation == "CreatePermissionSet");
    CHECK(h.info.surface == "huawei");
}

TEST_CASE("huawei: server refusals and storage failures have their own codes", "[huawei]") {
    harness h;
    server::request req{http::verb::get, h.base() + "/permission-sets", 11};
    using server::rejection;
    struct expected {
        rejection why;
        http::status status;
        std::string code;
        std::string message;
    };
    for (auto const& e : std::vector<expected>{
             {rejection::header_too_large, http::status::request_header_fields_too_large, "IIC.400",
              "Bad Request: The request headers are larger than icemu accepts "
              "(limits.max_header_bytes)."},
             {rejection::request_timeout, http::status::request_timeout, "IIC.408",
              "The request did not arrive completely within limits.request_timeout_ms."},
             {rejection::too_many_connections, http::status::service_unavailable, "IIC.503",
              "icemu has as many connections open as it accepts (limits.max_connections); "
              "retry later."},
             {rejection::store_full, http::status::internal_server_error, "IIC.500",
              "Internal Server Error: The store is full (store.max_size_mib, or the disk): the "
              "change was not saved."},
             {rejection::store_read_only, http::status::internal_server_error, "IIC.500",
              "Internal Server Error: The store is read-only (store.read_only): the change was "
              "not saved."},
             {rejection::internal_error, http::status::internal_server_error, "IIC.500",
              "Internal Server Error."},
         }) {
        auto const res = h.surface.reject(req, e.why, h.info);
        CHECK(res.result() == e.status);
        CHECK(error_of(res) == std::pair{e.code, e.message});
        CHECK(std::regex_match(std::string(res["X-Request-Id"]), hex32));
        CHECK(h.info.operation == "ListPermissionSets");
    }
}
