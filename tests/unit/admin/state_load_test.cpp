#include "api/admin/state_load.hpp"

#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>

#include "api/admin/surface.hpp"
#include "api/core/identity.hpp"
#include "api/core/service.hpp"
#include "api/json/writer.hpp"
#include "store/database.hpp"
#include "tests/support/fixed_clock.hpp"

namespace {

namespace admin = icemu::api::admin;
namespace core = icemu::api::core;
namespace json = icemu::api::json;
namespace store = icemu::store;
using icemu::test::fixed_clock;

core::service_options options() {
    core::service_options out;
    out.scheduler.mode = core::scheduler_mode::manual;
    out.instances = {{"123456789012", "", "", ""}};
    return out;
}

struct sandbox {
    sandbox() { svc.instances.ensure_initial_state(); }

    std::string state() {
        json::writer out;
        admin::render_state_document(out, svc, &ids);
        return std::string(out.view());
    }

    fixed_clock time;
    store::database db{store::database_options{}};
    core::service svc{db, time.clock, options()};
    core::identity_store ids{db, time.clock};
};

// A sandbox with something of every kind: a tagged permission set with policies, a boundary, a
// role, an assignment, a user in a group, a FAILED request and one IN_PROGRESS.
void build(sandbox& s) {
    core::caller const who{"aws", "123456789012"};
    auto const inst = s.svc.instances.list({}).items.at(0);
    auto const ps =
        s.svc.permission_sets.create(inst.id, {"Rich", "d", "PT2H", std::nullopt}, {{"team", "a"}});
    s.svc.policies.put_inline(inst.id, ps.id, R"({"Version":"2012-10-17","Statement":[]})");
    s.svc.policies.attach_managed(inst.id, ps.id, "arn:aws:iam::aws:policy/ReadOnlyAccess");
    s.svc.policies.attach_customer_managed(inst.id, ps.id, {"Mine", "/team/"});
    s.svc.policies.put_boundary(inst.id, ps.id, {core::customer_policy_ref{"Edge", "/"}, {}});
    s.svc.roles.attach_managed(inst.id, ps.id, {"role-1", "ReadOnlyRole"});
    s.svc.tags.add(inst.id, std::nullopt, {{"env", "ci"}});
    auto const user = s.ids.create_user(inst.identity_store_id, R"({"UserName":"jdoe"})", who).id;
    auto const group =
        s.ids.create_group(inst.identity_store_id, R"({"DisplayName":"admins"})", who).id;
    s.ids.create_membership(inst.identity_store_id, group, user, who);
    auto const done = s.svc.assignments.create(who, inst.id, {ps.id, "111122223333", "USER", user});
    s.svc.lifecycle.settle(core::format_uuid(done.id), core::request_status::succeeded,
                           std::nullopt);
    auto const failed =
        s.svc.provisioning.provision(who, inst.id, ps.id, std::string("444455556666"));
    s.svc.lifecycle.settle(core::format_uuid(failed.id), core::request_status::failed, "no role");
    s.svc.provisioning.provision(who, inst.id, ps.id, std::string("111122223333"));
    s.svc.lifecycle.advance_clock(1234);
}

std::string failure(std::string const& document) {
    try {
        admin::decode_state(document);
    } catch (admin::state_error const& e) {
        return e.what();
    }
    return "(no error)";
}

std::string const instance =
    R"({"owner_account_id": "123456789012", "instance_id": "ssoins-560aa041748d679e",
        "identity_store_id": "d-9067230a4b"})";

std::string with_instance(std::string const& members) {
    return R"({"instances": [)" + instance + "]" + (members.empty() ? "" : ", " + members) + "}";
}

} // namespace

TEST_CASE("a state document loads into another store that renders it the same", "[admin]") {
    sandbox from;
    build(from);
    auto const document = from.state();

    sandbox to;
    to.svc.replace_state(admin::decode_state(document));
    CHECK(to.state() == document);
    CHECK(to.svc.control.health().clock_offset_ms == 1234);
    CHECK(to.svc.control.health().in_flight == 1);
    // The request left IN_PROGRESS stays in flight under the loaded manual mode, and settles.
    auto const pending = to.svc.control.admin_requests({core::request_status::in_progress, {}, {}});
    REQUIRE(pending.size() == 1);
    to.svc.lifecycle.settle(core::format_uuid(pending[0].id), core::request_status::succeeded,
                            std::nullopt);
    CHECK(to.svc.control.health().in_flight == 0);
}

TEST_CASE("a failure while loading leaves the old state whole", "[admin]") {
    sandbox from;
    build(from);
    sandbox to;
    to.svc.permission_sets.create(to.svc.instances.list({}).items.at(0).id,
                                  {"Kept", std::nullopt, std::nullopt, std::nullopt});
    auto const before = to.state();
    auto snapshot = admin::decode_state(from.state());
    snapshot.other_sections.push_back(
        [](core::service&) { throw std::runtime_error("a module failed"); });
    CHECK_THROWS_AS(to.svc.replace_state(snapshot), std::runtime_error);
    CHECK(to.state() == before);
}

TEST_CASE("a state document's members are checked by name, type and id", "[admin]") {
    CHECK(failure("[]") == "the document: expected an object");
    CHECK(failure("{").starts_with("the document: not valid JSON"));
    CHECK(failure(R"({"instances": [], "extra": 1})") == "extra: unknown member");
    CHECK(failure(R"({"instances": {}})") == "instances: expected an array");
    CHECK(failure(R"({"instances": [{"owner_account_id": "123456789012",
                    "instance_id": "ssoins-1", "identity_store_id": "d-9067230a4b"}]})") ==
          "instances[0].instance_id: 'ssoins-1' is not an instance id (ssoins-<16 hex>)");
    CHECK(failure(R"({"instances": [{"owner_account_id": "123"}]})") ==
          "instances[0].owner_account_id: '123' must be 12 digits (AWS) or 32 lowercase hex "
          "characters (Huawei)");
    CHECK(failure(R"({"instances": [{"owner_account_id": "123456789012", "colour": 1}]})") ==
          "instances[0].colour: unknown member");
    CHECK(failure(with_instance(R"("permission_sets": [{"owner_account_id": "123456789012",
                    "name": "A", "permission_set_id": "ps-0000000000000001",
                    "managed_policies": [{"arn": 7}]}])")) ==
          "permission_sets[0].managed_policies[0].arn: expected a string");
    CHECK(failure(with_instance(R"("permission_sets": [{"owner_account_id": "123456789012",
                    "name": "A", "permission_set_id": "ps-1"}])")) ==
          "permission_sets[0].permission_set_id: 'ps-1' is not a permission set id (ps-<16 hex>)");
    CHECK(failure(with_instance(R"("clock_offset_ms": "soon")")) ==
          "clock_offset_ms: expected an integer");
    CHECK(failure(with_instance(R"("scheduler": {"mode": "sometimes"})")) ==
          "scheduler.mode: must be \"auto\", \"polls\" or \"manual\"");
    CHECK(
        failure(with_instance(R"("requests": [{"request_id": "00000000-0000-0000-0000-000000000000",
                    "kind": "PROVISION", "status": "SUCCEEDED",
                    "instance_id": "ssoins-560aa041748d679e"}])")) ==
        "requests[0].request_id: '00000000-0000-0000-0000-000000000000' is not a request id (a "
        "version-4 UUID)");
}

TEST_CASE("a state document's references resolve and its ids are declared once", "[admin]") {
    CHECK(failure(R"({"instances": [)" + instance + "," + instance + "]}") ==
          "instances[1].instance_id: ssoins-560aa041748d679e is declared twice");
    CHECK(failure(with_instance(R"("permission_sets": [{"owner_account_id": "210987654321",
                    "name": "A", "permission_set_id": "ps-0000000000000001"}])")) ==
          "permission_sets[0].owner_account_id: no instance of the document is owned by account "
          "210987654321");
    CHECK(failure(with_instance(R"("assignments": [{"owner_account_id": "123456789012",
                    "permission_set": "Nope", "account_id": "111122223333",
                    "principal_type": "USER", "principal_id": "a-b"}])")) ==
          "assignments[0].permission_set: no permission set named Nope is declared in instance "
          "ssoins-560aa041748d679e");
    CHECK(failure(with_instance(R"("users": [{"identity_store_id": "d-0000000000",
                    "user_id": "9067230a4b-00000000-0000-4000-8000-000000000001",
                    "attributes": {}}])")) ==
          "users[0].identity_store_id: no instance of the document has identity store "
          "d-0000000000");
    CHECK(failure(with_instance(R"("group_memberships": [{"identity_store_id": "d-9067230a4b",
                    "membership_id": "9067230a4b-00000000-0000-4000-8000-000000000003",
                    "group_id": "9067230a4b-00000000-0000-4000-8000-000000000002",
                    "user_id": "9067230a4b-00000000-0000-4000-8000-000000000001"}])")) ==
          "group_memberships[0].group_id: no group "
          "9067230a4b-00000000-0000-4000-8000-000000000002 is declared in identity store "
          "d-9067230a4b");
    CHECK(
        failure(with_instance(R"("requests": [{"request_id": "8b2c4f8e-3f1a-4b7c-9d2e-1a2b3c4d5e6f",
                    "kind": "PROVISION", "status": "SUCCEEDED",
                    "instance_id": "ssoins-0000000000000001"}])")) ==
        "requests[0].instance_id: no instance ssoins-0000000000000001 is declared");
    // In flight, a request takes effect when it settles: its permission set must be declared.
    CHECK(
        failure(with_instance(R"("requests": [{"request_id": "8b2c4f8e-3f1a-4b7c-9d2e-1a2b3c4d5e6f",
                    "kind": "PROVISION", "status": "IN_PROGRESS",
                    "instance_id": "ssoins-560aa041748d679e",
                    "permission_set_id": "ps-0000000000000009", "account_id": "111122223333"}])")) ==
        "requests[0].permission_set_id: a request IN_PROGRESS needs a permission set of the "
        "document, not '0000000000000009'");
    CHECK(failure(with_instance(R"("permission_sets": [{"owner_account_id": "123456789012",
                    "name": "A", "permission_set_id": "ps-0000000000000001"}],
                    "requests": [{"request_id": "8b2c4f8e-3f1a-4b7c-9d2e-1a2b3c4d5e6f",
                    "kind": "ASSIGNMENT_CREATE", "status": "IN_PROGRESS",
                    "instance_id": "ssoins-560aa041748d679e",
                    "permission_set_id": "ps-0000000000000001"}])")) ==
          "requests[0].account_id: a request IN_PROGRESS needs its account");
}

TEST_CASE("only a document with the state's extensions is a state document", "[admin]") {
    CHECK(admin::is_state_document(R"({"requests": []})"));
    CHECK(admin::is_state_document(R"({"clock_offset_ms": 0})"));
    CHECK(admin::is_state_document(with_instance("")));
    CHECK_FALSE(admin::is_state_document(
        R"({"instances": [{"owner_account_id": "123456789012"}], "permission_sets": []})"));
    CHECK_FALSE(admin::is_state_document("{not json"));
}
