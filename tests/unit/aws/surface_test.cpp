#include "api/aws/surface.hpp"

#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <regex>
#include <string>
#include <string_view>

#include "api/aws/actions.hpp"
#include "api/aws/model.hpp"
#include "api/core/service.hpp"
#include "server/message.hpp"
#include "store/database.hpp"
#include "tests/support/fixed_clock.hpp"
#include "tests/support/memory_db.hpp"
#include "tests/support/surface_harness.hpp"

namespace {

namespace aws = icemu::api::aws;
namespace core = icemu::api::core;
namespace server = icemu::server;
namespace store = icemu::store;
namespace http = server::http;
using icemu::test::fixed_clock;

constexpr char const* instance_arn = "arn:aws:sso:::instance/ssoins-560aa041748d679e";
std::regex const uuid_pattern(
    "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
std::regex const permission_set_arn_pattern(
    "arn:aws:sso:::permissionSet/ssoins-[0-9a-f]{16}/ps-[0-9a-f]{16}");

core::service_options options() {
    core::service_options out;
    out.scheduler.mode = core::scheduler_mode::manual;
    out.instances = {{"123456789012", "", "", ""}};
    return out;
}

// The AWS surface over a `:memory:` store with the default instance and a fixed clock.
struct harness : icemu::test::surface_harness<aws::surface> {
    harness() : surface_harness(options()) {}

    // Answers `POST /` with X-Amz-Target SWBExternalService.<operation> and `body`.
    server::response call(std::string_view operation, std::string body) {
        server::request req{http::verb::post, "/", 11};
        req.set("X-Amz-Target", "SWBExternalService." + std::string(operation));
        req.set(http::field::content_type, "application/x-amz-json-1.1");
        req.body() = std::move(body);
        return send(std::move(req));
    }
    server::response call_raw(server::request req) { return send(std::move(req)); }

    std::string create_permission_set(std::string const& name) {
        auto const res =
            call("CreatePermissionSet", std::string(R"({"InstanceArn":")") + instance_arn +
                                            R"(","Name":")" + name + R"("})");
        REQUIRE(res.result() == http::status::ok);
        rapidjson::Document doc;
        doc.Parse(res.body().c_str());
        REQUIRE(doc.IsObject());
        return doc["PermissionSet"]["PermissionSetArn"].GetString();
    }
};

// The AWS surface over a store opened with `options` (the default instance is created when the
// store is writable).
struct harness_on {
    explicit harness_on(store::database_options const& options) : db(options) {
        if (!db.read_only())
            svc.instances.ensure_initial_state();
    }

    server::response call(std::string_view operation, std::string body) {
        server::request req{http::verb::post, "/", 11};
        req.set("X-Amz-Target", "SWBExternalService." + std::string(operation));
        req.body() = std::move(body);
        req.prepare_payload();
        return surface.handle(req, info);
    }

    void create_permission_set(std::string const& name) {
        REQUIRE(call("CreatePermissionSet", std::string(R"({"InstanceArn":")") + instance_arn +
                                                R"(","Name":")" + name + R"("})")
                    .result() == http::status::ok);
    }

    fixed_clock time;
    store::database db;
    core::service svc{db, time.clock, options()};
    aws::surface surface{svc};
    server::call_info info;
};

rapidjson::Document parse(server::response const& res) {
    rapidjson::Document doc;
    doc.Parse(res.body().c_str());
    REQUIRE_FALSE(doc.HasParseError());
    REQUIRE(doc.IsObject());
    return doc;
}

// Checks the AWS error shape: status, __type = x-amzn-ErrorType, "Message" with `message`, a
// request id, and nothing else in the body.
void check_error(server::response const& res, http::status status, std::string const& type,
                 std::string const& message) {
    CHECK(res.result() == status);
    CHECK(res[http::field::content_type] == "application/x-amz-json-1.1");
    CHECK(std::regex_match(std::string(res["x-amzn-RequestId"]), uuid_pattern));
    CHECK(res["x-amzn-ErrorType"] == type);
    auto const doc = parse(res);
    CHECK(doc.MemberCount() == 2);
    REQUIRE(doc.HasMember("__type"));
    REQUIRE(doc.HasMember("Message"));
    CHECK(std::string(doc["__type"].GetString()) == type);
    CHECK(std::string(doc["Message"].GetString()) == message);
    CHECK_FALSE(doc.HasMember("message"));
}

} // namespace

TEST_CASE("aws surface answers a good CreatePermissionSet with the JSON 1.1 shape", "[aws]") {
    harness h;
    h.time.wall_ms = 1'700'000'000'005;
    auto const res =
        h.call("CreatePermissionSet", std::string(R"({"InstanceArn":")") + instance_arn +
                                          R"(","Name":"Admins","Description":"d"})");
    REQUIRE(res.result() == http::status::ok);
    CHECK(res[http::field::content_type] == "application/x-amz-json-1.1");
    std::string const request_id(res["x-amzn-RequestId"]);
    CHECK(std::regex_match(request_id, uuid_pattern));
    CHECK(res["x-amzn-ErrorType"].empty());
    CHECK(h.info.surface == "aws");
    CHECK(h.info.operation == "CreatePermissionSet");
    CHECK(h.info.request_id == request_id);

    std::string const& body = res.body();
    CHECK(body.find("null") == std::string::npos);
    // Epoch seconds with exactly three decimals, as a bare JSON number.
    CHECK(body.find(R"("CreatedDate":1700000000.005)") != std::string::npos);
    auto const doc = parse(res);
    REQUIRE(doc.HasMember("PermissionSet"));
    auto const& ps = doc["PermissionSet"];
    CHECK(std::regex_match(std::string(ps["PermissionSetArn"].GetString()),
                           permission_set_arn_pattern));
    CHECK(std::string(ps["PermissionSetArn"].GetString())
              .starts_with("arn:aws:sso:::permissionSet/ssoins-560aa041748d679e/ps-"));
    CHECK(std::string(ps["Name"].GetString()) == "Admins");
    CHECK(std::string(ps["Description"].GetString()) == "d");
    CHECK(std::string(ps["SessionDuration"].GetString()) == "PT1H");
    REQUIRE(ps["CreatedDate"].IsNumber());
    CHECK(ps["CreatedDate"].GetDouble() == Approx(1700000000.005));
    CHECK_FALSE(ps.HasMember("RelayState"));

    // Every answer gets its own request id.
    auto const second =
        h.call("ListPermissionSets", std::string(R"({"InstanceArn":")") + instance_arn + R"("})");
    CHECK(second.result() == http::status::ok);
    CHECK(std::string(second["x-amzn-RequestId"]) != request_id);
}

TEST_CASE("aws surface answers malformed JSON with SerializationException", "[aws]") {
    harness h;
    auto const res = h.call("CreatePermissionSet", "{\"InstanceArn\":");
    check_error(res, http::status::bad_request, "SerializationException",
                "Invalid value. (at offset 15)");
    auto const array = h.call("ListInstances", "[]");
    check_error(array, http::status::bad_request, "SerializationException",
                "the body must be a JSON object");
}

TEST_CASE("aws surface treats an empty body as an empty object", "[aws]") {
    harness h;
    auto const res = h.call("ListInstances", "");
    REQUIRE(res.result() == http::status::ok);
    auto const doc = parse(res);
    REQUIRE(doc["Instances"].IsArray());
    REQUIRE(doc["Instances"].Size() == 1);
    CHECK(std::string(doc["Instances"][0]["InstanceArn"].GetString()) == instance_arn);
    CHECK_FALSE(doc.HasMember("NextToken"));

    // An empty body is validated like {}: required members are missing, not malformed.
    auto const create = h.call("CreatePermissionSet", "  ");
    CHECK(create.result() == http::status::bad_request);
    CHECK(create["x-amzn-ErrorType"] == "ValidationException");
    CHECK(parse(create)["Message"].GetString() ==
          std::string_view("2 validation errors detected: Value null at 'name' failed to satisfy "
                           "constraint: Member must not be null; Value null at 'instanceArn' "
                           "failed to satisfy constraint: Member must not be null"));
}

TEST_CASE("aws surface answers an unknown target with UnknownOperationException", "[aws]") {
    harness h;
    check_error(h.call("FlyToTheMoon", "{}"), http::status::bad_request,
                "UnknownOperationException", "Unknown operation SWBExternalService.FlyToTheMoon.");
    CHECK(h.info.operation == "-");

    server::request no_target{http::verb::post, "/", 11};
    no_target.body() = "{}";
    check_error(h.call_raw(no_target), http::status::bad_request, "UnknownOperationException",
                "Missing X-Amz-Target header.");

    server::request other_service{http::verb::post, "/", 11};
    other_service.set("X-Amz-Target", "AWSIdentityStore.ListUsers");
    check_error(h.call_raw(other_service), http::status::bad_request, "UnknownOperationException",
                "Unknown operation AWSIdentityStore.ListUsers.");
}

TEST_CASE("every operation of the sso-admin model has an action: none answers 501", "[aws]") {
    auto const ops = aws::model::operations();
    CHECK(ops.size() == 79);
    for (auto const& op : ops) {
        INFO(op.name);
        auto const found = aws::find_action(op.name);
        CHECK(found.name == op.name);
        CHECK(found.fn != nullptr);
    }
}

TEST_CASE("aws surface names a missing required member in lowerCamel", "[aws]") {
    harness h;
    check_error(
        h.call("CreatePermissionSet", std::string(R"({"InstanceArn":")") + instance_arn + R"("})"),
        http::status::bad_request, "ValidationException",
        "1 validation error detected: Value null at 'name' failed to satisfy "
        "constraint: Member must not be null");
    CHECK(h.svc.permission_sets.list("560aa041748d679e", {}).items.empty());
}

TEST_CASE("aws surface answers core conflicts and misses with their exceptions", "[aws]") {
    harness h;
    h.create_permission_set("Admins");
    check_error(h.call("CreatePermissionSet",
                       std::string(R"({"InstanceArn":")") + instance_arn + R"(","Name":"Admins"})"),
                http::status::bad_request, "ConflictException",
                "PermissionSet with name Admins already exists.");
    check_error(h.call("DescribeInstance",
                       R"({"InstanceArn":"arn:aws:sso:::instance/ssoins-ffffffffffffffff"})"),
                http::status::bad_request, "ResourceNotFoundException",
                "Instance ssoins-ffffffffffffffff does not exist.");
}

TEST_CASE("aws surface requires TargetId for an AWS_ACCOUNT provisioning", "[aws]") {
    harness h;
    auto const ps = h.create_permission_set("P");
    auto const body = std::string(R"({"InstanceArn":")") + instance_arn +
                      R"(","PermissionSetArn":")" + ps + R"(","TargetType":"AWS_ACCOUNT")";
    check_error(h.call("ProvisionPermissionSet", body + "}"), http::status::bad_request,
                "ValidationException",
                "1 validation error detected: Value null at 'targetId' failed to satisfy "
                "constraint: Member must not be null");
    CHECK(h.svc.control.admin_requests({}).empty());

    auto const res = h.call("ProvisionPermissionSet", body + R"(,"TargetId":"111111111111"})");
    REQUIRE(res.result() == http::status::ok);
    auto const doc = parse(res);
    auto const& status = doc["PermissionSetProvisioningStatus"];
    CHECK(std::string(status["Status"].GetString()) == "IN_PROGRESS");
    CHECK(std::string(status["AccountId"].GetString()) == "111111111111");
    CHECK(std::string(status["PermissionSetArn"].GetString()) == ps);
    CHECK(std::regex_match(std::string(status["RequestId"].GetString()), uuid_pattern));
    CHECK_FALSE(status.HasMember("FailureReason"));
    CHECK(res.body().find("null") == std::string::npos);

    // The same pair again while IN_PROGRESS.
    check_error(h.call("ProvisionPermissionSet", body + R"(,"TargetId":"111111111111"})"),
                http::status::bad_request, "ConflictException",
                "There is a conflicting operation in process.");
}

TEST_CASE("aws surface renders server rejections in its error format", "[aws]") {
    harness h;
    server::request req{http::verb::post, "/", 11};
    req.set("X-Amz-Target", "SWBExternalService.CreatePermissionSet");
    req.body() = "{}";
    req.prepare_payload();

    auto const too_large = h.surface.reject(req, server::rejection::body_too_large, h.info);
    check_error(too_large, http::status::payload_too_large, "RequestEntityTooLargeException",
                "The request body is larger than icemu accepts (limits.max_body_bytes).");
    CHECK(h.info.operation == "CreatePermissionSet");
    CHECK(h.info.request_id == too_large["x-amzn-RequestId"]);

    check_error(h.surface.reject(req, server::rejection::internal_error, h.info),
                http::status::internal_server_error, "InternalServerException",
                "An internal error occurred; the change was not saved.");
    check_error(h.surface.reject(req, server::rejection::header_too_large, h.info),
                http::status::request_header_fields_too_large,
                "RequestHeaderFieldsTooLargeException",
                "The request headers are larger than icemu accepts (limits.max_header_bytes).");
    check_error(h.surface.reject(req, server::rejection::request_timeout, h.info),
                http::status::request_timeout, "RequestTimeoutException",
                "The request did not arrive completely within limits.request_timeout_ms.");
    check_error(h.surface.reject(req, server::rejection::too_many_connections, h.info),
                http::status::service_unavailable, "ServiceUnavailableException",
                "icemu has as many connections open as it accepts (limits.max_connections); "
                "retry later.");
    check_error(h.surface.reject(req, server::rejection::store_full, h.info),
                http::status::internal_server_error, "InternalServerException",
                "The store is full (store.max_size_mib, or the disk): the change was not saved.");
    check_error(h.surface.reject(req, server::rejection::store_read_only, h.info),
                http::status::internal_server_error, "InternalServerException",
                "The store is read-only (store.read_only): the change was not saved.");
}

TEST_CASE("aws surface says a write failed because the store is read-only, and reads on", "[aws]") {
    icemu::test::temp_dir dir;
    auto options = dir.db_options();
    {
        harness_on writable(options);
        writable.create_permission_set("Kept");
        writable.db.commit();
    }
    options.read_only = true;
    harness_on h(options);
    check_error(h.call("CreatePermissionSet", std::string(R"({"InstanceArn":")") + instance_arn +
                                                  R"(","Name":"Refused"})"),
                http::status::internal_server_error, "InternalServerException",
                "The store is read-only (store.read_only): the change was not saved.");
    CHECK_FALSE(h.db.in_transaction());
    auto const listed =
        h.call("ListPermissionSets", std::string(R"({"InstanceArn":")") + instance_arn + R"("})");
    REQUIRE(listed.result() == http::status::ok);
    CHECK(parse(listed)["PermissionSets"].Size() == 1);
}

TEST_CASE("aws surface answers reads when what is due cannot settle in the store", "[aws]") {
    harness h;
    std::string const ps = h.create_permission_set("Due");
    auto const created =
        parse(h.call("CreateAccountAssignment",
                     std::string(R"({"InstanceArn":")") + instance_arn +
                         R"(","TargetId":"111122223333","TargetType":"AWS_ACCOUNT",)"
                         R"("PermissionSetArn":")" +
                         ps +
                         R"(","PrincipalType":"USER",)"
                         R"("PrincipalId":"9067639464-9039c8fc-c296-4863-a233-a59111da7aa3"})"));
    std::string const id = created["AccountAssignmentCreationStatus"]["RequestId"].GetString();
    core::scheduler_update due_now;
    due_now.mode = core::scheduler_mode::automatic;
    due_now.delay_min_ms = 0;
    due_now.delay_max_ms = 0;
    h.svc.control.update_scheduler(due_now);
    h.db.commit();
    // Every write fails as on a read-only store, settlement included.
    h.db.exec("PRAGMA query_only=1");
    std::string const describe = std::string(R"({"InstanceArn":")") + instance_arn +
                                 R"(","AccountAssignmentCreationRequestId":")" + id + R"("})";
    auto res = h.call("DescribeAccountAssignmentCreationStatus", describe);
    REQUIRE(res.result() == http::status::ok);
    CHECK(std::string(parse(res)["AccountAssignmentCreationStatus"]["Status"].GetString()) ==
          "IN_PROGRESS");
    h.db.rollback();
    h.db.exec("PRAGMA query_only=0");
    res = h.call("DescribeAccountAssignmentCreationStatus", describe);
    REQUIRE(res.result() == http::status::ok);
    CHECK(std::string(parse(res)["AccountAssignmentCreationStatus"]["Status"].GetString()) ==
          "SUCCEEDED");
}
