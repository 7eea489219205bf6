#include "api/aws/identitystore.hpp"

#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <string>
#include <string_view>

#include "api/aws/surface.hpp"
#include "api/aws/validate.hpp"
#include "api/core/identity.hpp"
#include "api/core/service.hpp"
#include "server/message.hpp"
#include "store/database.hpp"
#include "tests/support/fixed_clock.hpp"

namespace {

namespace aws = icemu::api::aws;
namespace core = icemu::api::core;
namespace server = icemu::server;
namespace store = icemu::store;
namespace http = server::http;
using icemu::test::fixed_clock;

core::service_options options() {
    core::service_options out;
    out.scheduler.mode = core::scheduler_mode::manual;
    out.instances = {{"123456789012", "", "", ""}};
    return out;
}

struct harness {
    harness() {
        svc.instances.ensure_initial_state();
        store_id = svc.instances.list({}).items.at(0).identity_store_id;
    }
    server::response call(std::string_view operation, std::string body) {
        server::request req{http::verb::post, "/", 11};
        req.set("X-Amz-Target", "AWSIdentityStore." + std::string(operation));
        req.set(http::field::content_type, "application/x-amz-json-1.1");
        req.body() = std::move(body);
        req.prepare_payload();
        return surface.handle(req, info);
    }
    rapidjson::Document json(server::response const& res) {
        rapidjson::Document doc;
        doc.Parse(res.body().c_str());
        REQUIRE(doc.IsObject());
        return doc;
    }

    fixed_clock time;
    store::database db{{}};
    core::service svc{db, time.clock, options()};
    core::identity_store ids{db, time.clock};
    aws::surface surface{svc, "123456789012", nullptr, &ids};
    server::call_info info;
    std::string store_id;
};

} // namespace

TEST_CASE("the identitystore model has its 19 operations", "[aws][identitystore]") {
    CHECK(aws::is_identitystore_operation("CreateUser"));
    CHECK(aws::is_identitystore_operation("ListGroupMembershipsForMember"));
    CHECK_FALSE(aws::is_identitystore_operation("CreatePermissionSet"));
    CHECK_FALSE(aws::is_modelled_operation("CreateUser"));
    CHECK(aws::find_identity_action("IsMemberInGroups").fn != nullptr);
    CHECK(aws::find_identity_action("Nope").fn == nullptr);
}

TEST_CASE("CreateUser then DescribeUser over the wire", "[aws][identitystore]") {
    harness h;
    auto res = h.call("CreateUser",
                      R"({"IdentityStoreId":")" + h.store_id +
                          R"(","UserName":"a","Emails":[{"Value":"a@b.c","Primary":true}]})");
    REQUIRE(res.result() == http::status::ok);
    CHECK(h.info.operation == "CreateUser");
    auto const created = h.json(res);
    std::string const id = created["UserId"].GetString();
    res = h.call("DescribeUser",
                 R"({"IdentityStoreId":")" + h.store_id + R"(","UserId":")" + id + R"("})");
    REQUIRE(res.result() == http::status::ok);
    auto const user = h.json(res);
    CHECK(std::string(user["UserName"].GetString()) == "a");
    CHECK(user["Emails"][0]["Primary"].GetBool());
    CHECK(std::string(user["UserStatus"].GetString()) == "ENABLED");
}

TEST_CASE("identitystore errors carry their modelled members", "[aws][identitystore]") {
    harness h;
    auto res =
        h.call("DescribeGroup", R"({"IdentityStoreId":")" + h.store_id +
                                    R"(","GroupId":"00000000-0000-4000-8000-000000000000"})");
    CHECK(res.result() == http::status::bad_request);
    auto doc = h.json(res);
    CHECK(std::string(doc["__type"].GetString()) == "ResourceNotFoundException");
    CHECK(std::string(doc["ResourceType"].GetString()) == "GROUP");
    CHECK(std::string(doc["ResourceId"].GetString()) == "00000000-0000-4000-8000-000000000000");

    res = h.call("DescribeUser", R"({"IdentityStoreId":")" + h.store_id + R"(","UserId":"x"})");
    doc = h.json(res);
    CHECK(std::string(doc["__type"].GetString()) == "ValidationException");
    CHECK(std::string(doc["Message"].GetString()).find("'userId'") != std::string::npos);

    res = h.call("ListUsers", R"({"IdentityStoreId":"d-abcdefabcd"})");
    doc = h.json(res);
    CHECK(std::string(doc["ResourceType"].GetString()) == "IDENTITY_STORE");

    res = h.call("CreateUser", R"({"IdentityStoreId":")" + h.store_id + R"(","UserName":"d"})");
    res = h.call("CreateUser", R"({"IdentityStoreId":")" + h.store_id + R"(","UserName":"d"})");
    doc = h.json(res);
    CHECK(std::string(doc["__type"].GetString()) == "ConflictException");
    CHECK(std::string(doc["Reason"].GetString()) == "UNIQUENESS_CONSTRAINT_VIOLATION");

    res = h.call("NoSuch", "{}");
    doc = h.json(res);
    CHECK(std::string(doc["__type"].GetString()) == "UnknownOperationException");
    res = h.call("ListUsers", "{not json");
    doc = h.json(res);
    CHECK(std::string(doc["__type"].GetString()) == "SerializationException");
}
