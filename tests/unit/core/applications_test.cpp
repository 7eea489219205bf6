// The application family of the core: applications, their assignments and documents, trusted
// token issuers and tags (core::applications), and the ABAC configuration as an
// ACCESS_CONTROL_ATTRIBUTES request settled by the scheduler like every kind.
#include "api/core/applications.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "api/core/access_control.hpp"
#include "api/core/error.hpp"
#include "api/core/service.hpp"
#include "store/database.hpp"

namespace {

namespace core = icemu::api::core;
namespace store = icemu::store;
using core::request_kind;
using core::request_status;

constexpr std::string_view custom = "arn:aws:sso::aws:applicationProvider/custom";
constexpr std::string_view owner = "123456789012";

struct fixture {
    explicit fixture(core::scheduler_mode mode = core::scheduler_mode::manual,
                     std::int64_t delay_ms = 1000, std::int64_t polls = 1)
        : svc(db, time, options(mode, delay_ms, polls)) {
        svc.instances.ensure_initial_state();
        instance = svc.instances.list({}).items.at(0).id;
    }
    static core::service_options options(core::scheduler_mode mode, std::int64_t delay_ms,
                                         std::int64_t polls) {
        core::service_options out;
        out.scheduler.mode = mode;
        out.scheduler.delay_min_ms = out.scheduler.delay_max_ms = delay_ms;
        out.scheduler.polls = polls;
        out.instances.push_back({std::string(owner), "", "", ""});
        return out;
    }
    core::application create(std::string name, std::vector<core::tag> tags = {}) {
        core::application_input input;
        input.provider_arn = std::string(custom);
        input.name = std::move(name);
        return svc.apps.create_application(instance, input, tags);
    }
    core::app_ref ref(core::application const& app) const {
        return {owner, app.instance_id, app.id};
    }

    std::int64_t wall_ms = 1'700'000'000'000;
    core::clock time{[this] { return wall_ms; }};
    store::database db{store::database_options{}};
    core::service svc;
    std::string instance;
};

auto is_error(core::errc code) {
    return Catch::Predicate<core::error>(
        [=](core::error const& e) { return e.code() == code; },
        "core::error(" + std::to_string(static_cast<int>(code)) + ")");
}

std::string abac_status(fixture& f) {
    auto const d = core::describe_access_control_attributes(f.svc, f.instance);
    return std::string(d.status) + (d.status_reason ? " " + *d.status_reason : "");
}

} // namespace

TEST_CASE("the provider catalogue has the custom OAuth and SAML providers", "[core][apps]") {
    fixture f;
    auto const page = f.svc.apps.list_providers({100, std::nullopt});
    REQUIRE(page.items.size() == 2);
    CHECK(page.items[0].arn == custom);
    CHECK(page.items[0].federation_protocol == "OAUTH");
    CHECK(page.items[1].federation_protocol == "SAML");
    CHECK_FALSE(page.next_token);
    auto const first = f.svc.apps.list_providers({1, std::nullopt});
    REQUIRE(first.next_token);
    auto const second = f.svc.apps.list_providers({1, first.next_token});
    REQUIRE(second.items.size() == 1);
    CHECK(second.items[0].arn == page.items[1].arn);
    CHECK_THROWS_MATCHES(f.svc.apps.describe_provider("arn:aws:sso::aws:applicationProvider/x"),
                         core::error, is_error(core::errc::not_found));
}

TEST_CASE("an application is stored, updated and deleted with its content", "[core][apps]") {
    fixture f;
    auto const app = f.create("App", {{"team", "a"}});
    CHECK(app.id.size() == 16);
    CHECK(app.status == "ENABLED");
    CHECK(app.owner_account == owner);
    auto const ref = f.ref(app);
    f.svc.apps.update_application(ref, {"Renamed", std::string("d"), std::string("DISABLED"),
                                        std::string(R"({"Visibility":"ENABLED"})")});
    auto const read = f.svc.apps.describe_application(ref);
    CHECK(read.name == "Renamed");
    CHECK(read.description == "d");
    CHECK(read.status == "DISABLED");
    CHECK(read.portal_options == R"({"Visibility":"ENABLED"})");
    CHECK_THROWS_MATCHES(f.create("Renamed"), core::error, is_error(core::errc::conflict));

    f.svc.apps.create_assignment(ref, "USER", "u-1");
    CHECK_THROWS_MATCHES(f.svc.apps.create_assignment(ref, "USER", "u-1"), core::error,
                         is_error(core::errc::conflict));
    f.svc.apps.put_document(ref, core::app_document_kind::grant, "refresh_token",
                            R"({"RefreshToken":{}})");
    CHECK(f.svc.apps.get_document(ref, core::app_document_kind::grant, "refresh_token").body ==
          R"({"RefreshToken":{}})");
    CHECK_THROWS_MATCHES(
        f.svc.apps.get_document(ref, core::app_document_kind::access_scope, "refresh_token"),
        core::error, is_error(core::errc::not_found));

    f.svc.apps.delete_application(ref);
    CHECK_THROWS_MATCHES(f.svc.apps.describe_application(ref), core::error,
                         is_error(core::errc::not_found));
    // Its assignments went with it; a new application of the same name is allowed.
    CHECK(f.svc.apps.list_assignments_for_principal(f.instance, "USER", "u-1", std::nullopt, {})
              .items.empty());
    f.create("Renamed");
}

TEST_CASE("an application ARN with another account is not found", "[core][apps]") {
    fixture f;
    auto const app = f.create("App");
    CHECK_THROWS_MATCHES(f.svc.apps.describe_application({"999999999999", app.instance_id, app.id}),
                         core::error, is_error(core::errc::not_found));
}

TEST_CASE("application tags keep their order, overwrite values and obey the quota",
          "[core][apps]") {
    fixture f;
    auto const app = f.create("App", {{"a", "1"}, {"b", "2"}});
    auto const ref = f.ref(app); // views into `app`
    f.svc.apps.tag_resource(ref, false, {{"a", "3"}, {"c", "4"}});
    f.svc.apps.untag_resource(ref, false, {"b", "missing"});
    auto const tags = f.svc.apps.list_tags(ref, false, {100, std::nullopt}).items;
    REQUIRE(tags.size() == 2);
    CHECK((tags[0].key == "a" && tags[0].value == "3"));
    CHECK((tags[1].key == "c" && tags[1].value == "4"));
    std::vector<core::tag> many;
    for (int i = 0; i < 49; ++i)
        many.push_back({"k" + std::to_string(i), "v"});
    CHECK_THROWS_MATCHES(f.svc.apps.tag_resource(ref, false, many), core::error,
                         is_error(core::errc::quota_exceeded));
    // An issuer's tags are not an application's.
    CHECK_THROWS_MATCHES(f.svc.apps.list_tags(ref, true, {}), core::error,
                         is_error(core::errc::not_found));
}

TEST_CASE("list pages of applications are bound to their filter", "[core][apps]") {
    fixture f;
    for (int i = 0; i < 3; ++i)
        f.create("App" + std::to_string(i));
    auto const first = f.svc.apps.list_applications(f.instance, {}, {2, std::nullopt});
    REQUIRE(first.items.size() == 2);
    REQUIRE(first.next_token);
    auto const rest = f.svc.apps.list_applications(f.instance, {}, {2, first.next_token});
    REQUIRE(rest.items.size() == 1);
    CHECK(rest.items[0].name == "App2");
    core::application_filter other;
    other.provider_arn = std::string(custom);
    CHECK_THROWS_MATCHES(f.svc.apps.list_applications(f.instance, other, {2, first.next_token}),
                         core::error, is_error(core::errc::invalid_argument));
    CHECK(f.svc.apps.list_applications("0000000000000000", {}, {}).items.empty());
}

TEST_CASE("trusted token issuers: unique names, client tokens, updates", "[core][apps]") {
    fixture f;
    auto const issuer = f.svc.apps.create_issuer(f.instance, "idp", "OIDC_JWT", R"({"x":1})",
                                                 std::string("tok"), {});
    auto const again = f.svc.apps.create_issuer(f.instance, "idp", "OIDC_JWT", R"({"x":1})",
                                                std::string("tok"), {});
    CHECK(again.id == issuer.id);
    CHECK_THROWS_MATCHES(
        f.svc.apps.create_issuer(f.instance, "idp", "OIDC_JWT", "{}", std::nullopt, {}),
        core::error, is_error(core::errc::conflict));
    core::app_ref const ref{owner, f.instance, issuer.id};
    f.svc.apps.update_issuer(ref, std::string("idp2"), std::string(R"({"x":2})"));
    auto const read = f.svc.apps.describe_issuer(ref);
    CHECK(read.name == "idp2");
    CHECK(read.configuration == R"({"x":2})");
    f.svc.apps.delete_issuer(ref);
    CHECK(f.svc.apps.list_issuers(f.instance, {}).items.empty());
}

TEST_CASE("a reset, global or of the instance, clears the application family", "[core][apps]") {
    fixture f;
    auto const app = f.create("App");
    f.svc.control.reset(f.instance);
    CHECK_THROWS_MATCHES(f.svc.apps.describe_application(f.ref(app)), core::error,
                         is_error(core::errc::not_found));
    f.create("App");
    f.svc.control.reset(std::nullopt);
    CHECK(f.svc.apps.list_applications(f.instance, {}, {}).items.empty());
}

TEST_CASE("ABAC attributes are in progress until their request settles", "[core][apps]") {
    fixture f;
    core::caller const who{"aws", std::string(owner)};
    CHECK_THROWS_MATCHES(core::describe_access_control_attributes(f.svc, f.instance), core::error,
                         is_error(core::errc::not_found));
    core::create_access_control_attributes(f.svc, who, f.instance,
                                           R"({"AccessControlAttributes":[]})");
    CHECK_THROWS_MATCHES(core::create_access_control_attributes(f.svc, who, f.instance, "{}"),
                         core::error, is_error(core::errc::conflict));
    CHECK(abac_status(f) == "CREATION_IN_PROGRESS");
    core::request_filter filter;
    filter.kind = request_kind::access_control_attributes;
    auto const requests = f.svc.control.admin_requests(filter);
    REQUIRE(requests.size() == 1);
    f.svc.lifecycle.settle(core::format_uuid(requests[0].id), request_status::failed,
                           std::string("no such attribute"));
    CHECK(abac_status(f) == "CREATION_FAILED no such attribute");
    core::update_access_control_attributes(f.svc, f.instance, R"({"AccessControlAttributes":[1]})");
    CHECK(core::describe_access_control_attributes(f.svc, f.instance).configuration ==
          R"({"AccessControlAttributes":[1]})");
    core::delete_access_control_attributes(f.svc, f.instance);
    CHECK_THROWS_MATCHES(core::delete_access_control_attributes(f.svc, f.instance), core::error,
                         is_error(core::errc::not_found));
}

TEST_CASE("ABAC attributes settle at the due time and on the Nth describe", "[core][apps]") {
    core::caller const who{"aws", std::string(owner)};
    SECTION("at its due time") {
        fixture f(core::scheduler_mode::automatic, 1000);
        core::create_access_control_attributes(f.svc, who, f.instance, "{}");
        CHECK(abac_status(f) == "CREATION_IN_PROGRESS");
        f.svc.lifecycle.advance_clock(1000);
        CHECK(abac_status(f) == "ENABLED");
    }
    SECTION("in polls mode") {
        fixture f(core::scheduler_mode::polls, 1000, 2);
        core::create_access_control_attributes(f.svc, who, f.instance, "{}");
        CHECK(abac_status(f) == "CREATION_IN_PROGRESS");
        CHECK(abac_status(f) == "ENABLED");
    }
}
