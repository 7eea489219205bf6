#include "api/admin/faults.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "api/admin/surface.hpp"
#include "api/huawei/routes.hpp"
#include "store/database.hpp"
#include "tests/support/fixed_clock.hpp"
#include "tests/support/operations.hpp"

namespace {

namespace admin = icemu::api::admin;
namespace core = icemu::api::core;
namespace server = icemu::server;
namespace store = icemu::store;
namespace http = server::http;

// The example of docs/lifecycle.md.
constexpr char const* documented_example = R"({"rules": [
  {"match": {"operation": "ProvisionPermissionSet", "account_id": "999999999999"},
   "outcome": {"status": "FAILED", "failure_reason": "Received a 403 status error: Access denied by IAM."}},
  {"match": {"kind": "ASSIGNMENT_CREATE", "permission_set_name": "Broken*", "probability": 0.1},
   "outcome": {"status": "IN_PROGRESS"}, "times": 2},
  {"match": {"operation": "ListPermissionSets", "surface": "aws"},
   "error": {"code": "ThrottlingException", "latency_ms": 0}, "times": 3}
]})";

std::string refusal(std::string const& text) {
    try {
        admin::parse_fault_rules(text, icemu::test::all_operations());
    } catch (admin::rules_error const& e) {
        return e.what();
    }
    return "(accepted)";
}

std::string rule(std::string const& body) {
    return R"({"rules": [{"match": {}, "error": {"code": "ThrottlingException"}}, )" + body + "]}";
}

server::request admin_call(http::verb method, std::string target, std::string body = {}) {
    server::request req{method, target, 11};
    req.body() = std::move(body);
    req.prepare_payload();
    return req;
}

} // namespace

TEST_CASE("fault rules parse the JSON of the documented example", "[admin]") {
    auto const rules = admin::parse_fault_rules(documented_example, icemu::test::all_operations());
    REQUIRE(rules.size() == 3);
    CHECK(rules[0].match.operation == "ProvisionPermissionSet");
    CHECK(rules[0].match.account_id == "999999999999");
    REQUIRE(rules[0].outcome);
    CHECK(rules[0].outcome->status == core::request_status::failed);
    CHECK(rules[0].outcome->failure_reason == "Received a 403 status error: Access denied by IAM.");
    CHECK_FALSE(rules[0].times);
    CHECK(rules[1].match.kind == core::request_kind::assignment_create);
    CHECK(rules[1].match.permission_set_name == "Broken*");
    CHECK(rules[1].match.probability == Approx(0.1));
    CHECK(rules[1].outcome->status == core::request_status::in_progress);
    CHECK(rules[1].times == 2);
    REQUIRE(rules[2].error);
    CHECK(rules[2].error->code == core::fault_code::throttling);
    CHECK(rules[2].match.surface == "aws");
    CHECK(rules[2].times == 3);
}

TEST_CASE("fault rules default the failure reason to a real AWS text", "[admin]") {
    auto const rules = admin::parse_fault_rules(
        R"({"rules":[{"match":{"instance_id":"arn:aws:sso:::instance/ssoins-560aa041748d679e",
            "permission_set_id":"ps-00000000000000aa"},"outcome":{"status":"FAILED"}}]})",
        icemu::test::all_operations());
    REQUIRE(rules.size() == 1);
    CHECK(rules[0].outcome->failure_reason ==
          "An unexpected internal service exception was encountered");
    CHECK(rules[0].match.instance_id == "560aa041748d679e");
    CHECK(rules[0].match.permission_set_id == "00000000000000aa");
    CHECK(admin::parse_fault_rules(R"({"rules":[]})", icemu::test::all_operations()).empty());
    CHECK(admin::parse_fault_rules(
              R"({"rules":[{"match":{"operation":"GetPermissionSetSummary"},
                  "error":{"code":"AccessDeniedException"}}]})",
              icemu::test::all_operations())
              .size() == 1);
}

TEST_CASE("fault rules are refused with the rule index and field", "[admin]") {
    CHECK(
        refusal(rule(
            R"({"match":{"operation":"ListEverything"},"error":{"code":"ThrottlingException"}})")) ==
        "rules[1].match.operation: \"ListEverything\" is not an operation of either surface");
    CHECK(refusal(rule(R"({"match":{"kind":"PROVISIONING"},"outcome":{"status":"FAILED"}})")) ==
          "rules[1].match.kind: \"PROVISIONING\" is not PROVISION, ASSIGNMENT_CREATE, "
          "ASSIGNMENT_DELETE, INSTANCE_ENCRYPTION, ACCESS_CONTROL_ATTRIBUTES or REGION");
    CHECK(refusal(rule(R"({"match":{"surface":"gcp"},"outcome":{"status":"FAILED"}})")) ==
          "rules[1].match.surface: \"gcp\" is not \"aws\" or \"huawei\"");
    CHECK(refusal(rule(R"({"error":{"code":"ValidationException"}})")) ==
          "rules[1].error.code: \"ValidationException\" is not ThrottlingException, "
          "InternalServerException, AccessDeniedException or ConflictException");
    CHECK(refusal(rule(R"({"match":{"probability":1.5},"outcome":{"status":"FAILED"}})")) ==
          "rules[1].match.probability: must be a number in [0, 1]");
    CHECK(refusal(rule(R"({"match":{"probability":-0.1},"outcome":{"status":"FAILED"}})")) ==
          "rules[1].match.probability: must be a number in [0, 1]");
    CHECK(refusal(rule(R"({"match":{}})")) ==
          "rules[1]: needs exactly one of \"outcome\" and \"error\"");
    CHECK(
        refusal(rule(R"({"outcome":{"status":"FAILED"},"error":{"code":"ConflictException"}})")) ==
        "rules[1]: needs exactly one of \"outcome\" and \"error\"");
    CHECK(refusal(rule(R"({"outcome":{"status":"SUCCEEDED"}})")) ==
          "rules[1].outcome.status: \"SUCCEEDED\" is not \"FAILED\" or \"IN_PROGRESS\"");
    CHECK(refusal(rule(R"({"outcome":{"status":"IN_PROGRESS","failure_reason":"x"}})")) ==
          "rules[1].outcome.failure_reason: applies to status \"FAILED\" only");
    CHECK(refusal(rule(R"({"error":{"code":"ConflictException","latency_ms":-1}})")) ==
          "rules[1].error.latency_ms: must be an integer >= 0");
    CHECK(refusal(rule(R"({"error":{"code":"ConflictException"},"times":0})")) ==
          "rules[1].times: must be an integer >= 1");
    CHECK(refusal(rule(R"({"match":{"account":"1"},"outcome":{"status":"FAILED"}})"))
              .starts_with("rules[1].match.account: is not a match key"));
    CHECK(refusal(rule(R"({"outcome":{"status":"FAILED"},"time":2})")) ==
          "rules[1].time: is not a key of a fault rule here");
    CHECK(refusal(rule(R"({"match":{"account_id":123456789012},"outcome":{"status":"FAILED"}})")) ==
          "rules[1].match.account_id: must be a string");
    CHECK(refusal(rule(R"({"match":{"instance_id":"ssoins-xyz"},"outcome":{"status":"FAILED"}})"))
              .starts_with("rules[1].match.instance_id: \"ssoins-xyz\" is not"));
    CHECK(refusal(R"({"rules": {}})") == "rules: must be an array ({\"rules\": [...]})");
    CHECK(refusal(R"([1])").starts_with("the body is not a JSON object"));
}

TEST_CASE("every Huawei route's operation is one a fault rule may name", "[admin]") {
    auto const& known = icemu::test::all_operations();
    for (auto const& r : icemu::api::huawei::routes()) {
        INFO(r.operation);
        CHECK(known.knows(r.operation));
    }
    CHECK(known.knows("ListInstances"));
    CHECK(known.knows("CreateApplication"));
    CHECK(known.knows("AddRegion"));               // modelled, not implemented yet
    CHECK(known.knows("CreateUser"));              // identitystore
    CHECK(known.knows("GetPermissionSetSummary")); // Huawei only
    CHECK_FALSE(known.knows("listInstances"));
    CHECK_FALSE(known.knows("SWBExternalService.ListInstances"));
    CHECK(
        refusal(
            R"({"rules":[{"match":{"operation":"listInstances"},"outcome":{"status":"FAILED"}}]})") ==
        "rules[0].match.operation: \"listInstances\" is not an operation of either surface");
}

TEST_CASE("an operation catalogue knows only what the surfaces added", "[admin][core]") {
    core::operation_catalogue ops;
    CHECK_FALSE(ops.knows("ListInstances"));
    icemu::api::huawei::add_operations(ops);
    CHECK(ops.knows("ListTagResources"));
    CHECK_FALSE(ops.knows("ListApplications")); // AWS only
    icemu::api::aws::add_operations(ops);
    CHECK(ops.knows("ListApplications"));
    auto const before = ops.names().size();
    icemu::api::aws::add_operations(ops); // repeats are kept once
    CHECK(ops.names().size() == before);
    CHECK(std::is_sorted(ops.names().begin(), ops.names().end()));
}

TEST_CASE("/_icemu/faults replaces, lists with hits and source, and clears", "[admin]") {
    icemu::test::fixed_clock time;
    store::database db{{}};
    core::service_options options;
    options.operations = icemu::test::all_operations();
    options.faults = admin::parse_fault_rules(
        R"({"rules":[{"match":{"operation":"ListInstances"},"error":{"code":"ThrottlingException"},"times":1}]})",
        icemu::test::all_operations());
    core::service svc(db, time.clock, options);
    admin::surface surface(svc, {"test", ":memory:", {"aws"}, {}});
    server::call_info info;

    auto put =
        surface.handle(admin_call(http::verb::put, "/_icemu/faults", documented_example), info);
    CHECK(put.result() == http::status::ok);
    CHECK(put.body().starts_with(
        R"({"rules":[{"match":{"operation":"ListInstances"},"error":{"code":"ThrottlingException","latency_ms":0},"times":1,"hits":0,"source":"config"},)"));
    CHECK(put.body().find(R"("probability":0.1)") != std::string::npos);

    core::call_facts facts;
    facts.operation = "ListInstances";
    facts.surface = "aws";
    CHECK(svc.faults.check_call(facts));
    auto get = surface.handle(admin_call(http::verb::get, "/_icemu/faults"), info);
    CHECK(get.body().find(R"("times":1,"hits":1,"source":"config")") != std::string::npos);
    CHECK(get.body().find(R"("source":"runtime")") != std::string::npos);

    auto bad = surface.handle(admin_call(http::verb::put, "/_icemu/faults",
                                         R"({"rules":[{"match":{"operation":"Nope"},
                                             "error":{"code":"ThrottlingException"}}]})"),
                              info);
    CHECK(bad.result() == http::status::bad_request);
    CHECK(
        bad.body() ==
        R"({"error":"bad_request","message":"rules[0].match.operation: \"Nope\" is not an operation of either surface"})");
    CHECK(svc.faults.rules().all().size() == 4); // a refused PUT changes nothing

    auto del = surface.handle(admin_call(http::verb::delete_, "/_icemu/faults"), info);
    CHECK(del.result() == http::status::ok);
    CHECK(svc.faults.rules().all().size() == 1);
    CHECK(surface.handle(admin_call(http::verb::post, "/_icemu/faults"), info).result() ==
          http::status::method_not_allowed);
}

TEST_CASE("/_icemu/metrics answers Prometheus text with the core's gauges", "[admin]") {
    icemu::test::fixed_clock time;
    store::database db{{}};
    core::service svc(db, time.clock, {});
    admin::surface surface(svc, {"test", ":memory:", {"aws"}, [](std::string& out) {
                                     out += "icemu_http_requests_total{surface=\"x\"} 1\n";
                                 }});
    server::call_info info;
    auto res = surface.handle(admin_call(http::verb::get, "/_icemu/metrics"), info);
    CHECK(res.result() == http::status::ok);
    CHECK(res[http::field::content_type] == "text/plain; version=0.0.4");
    auto const& body = res.body();
    CHECK(body.starts_with("icemu_http_requests_total{surface=\"x\"} 1\n"));
    CHECK(body.find("# TYPE icemu_async_requests gauge\n"
                    "icemu_async_requests{kind=\"PROVISION\",status=\"IN_PROGRESS\"} 0\n") !=
          std::string::npos);
    CHECK(body.find("icemu_async_requests{kind=\"ASSIGNMENT_DELETE\",status=\"FAILED\"} 0\n") !=
          std::string::npos);
    CHECK(body.find("icemu_scheduler_queue_depth 0\n") != std::string::npos);
    CHECK(body.find("# TYPE icemu_store_bytes gauge\nicemu_store_bytes ") != std::string::npos);
    CHECK(info.operation == "metrics");
}
