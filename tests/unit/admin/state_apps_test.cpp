// The application family and the added Regions in the state document: exported (render), read
// back (decode, with the member path of every refusal) and restored into a fresh store, which
// then answers every describe and list as the first one did.
#include "api/admin/state_apps.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <vector>

#include "api/admin/export.hpp"
#include "api/admin/surface.hpp"
#include "api/core/access_control.hpp"
#include "api/core/applications_snapshot.hpp"
#include "api/core/error.hpp"
#include "api/core/identity.hpp"
#include "api/core/regions.hpp"
#include "api/core/service.hpp"
#include "store/database.hpp"
#include "store/requests.hpp"
#include "tests/support/fixed_clock.hpp"
#include "tests/support/memory_db.hpp"

namespace {

namespace admin = icemu::api::admin;
namespace core = icemu::api::core;
namespace json = icemu::api::json;
namespace store = icemu::store;
using icemu::test::fixed_clock;
using icemu::test::temp_dir;

constexpr std::string_view custom = "arn:aws:sso::aws:applicationProvider/custom";
constexpr std::string_view saml = "arn:aws:sso::aws:applicationProvider/custom-saml";
constexpr std::string_view first_owner = "123456789012";
constexpr std::string_view second_owner = "210987654321";
constexpr std::string_view user = "9067f9a5-2d41-4c3a-a1f2-111111111111";
constexpr std::string_view group = "9067f9a5-2d41-4c3a-a1f2-222222222222";

core::service_options options() {
    core::service_options out;
    out.scheduler.mode = core::scheduler_mode::manual;
    out.instances = {{std::string(first_owner), "1111222233334444", "d-1111111111", ""},
                     {std::string(second_owner), "5555666677778888", "d-2222222222", ""}};
    out.primary_region = "us-east-1";
    return out;
}

struct sandbox {
    explicit sandbox(store::database_options const& db_options = {}) : db(db_options) {
        svc.instances.ensure_initial_state();
        db.commit();
    }
    fixed_clock time;
    store::database db;
    core::service svc{db, time.clock, options()};
    core::identity_store ids{db, time.clock, 100};
};

std::string latest_request(core::service& svc, core::request_kind kind, std::string const& inst) {
    core::request_filter filter;
    filter.kind = kind;
    filter.instance_id = inst;
    return core::format_uuid(svc.control.admin_requests(filter).back().id);
}

// Every kind of item of the family, in both instances, in an order that lists must keep:
// assignments of one principal made to the second application before the first.
void populate(sandbox& s) {
    auto& apps = s.svc.apps;
    core::caller const who{"aws", std::string(first_owner)};
    std::string const one = "1111222233334444";
    std::string const two = "5555666677778888";
    core::application_input input;
    input.provider_arn = std::string(custom);
    input.name = "portal";
    input.description = "the portal";
    input.portal_options =
        R"({"Visibility":"ENABLED","SignInOptions":{"Origin":"IDENTITY_CENTER"}})";
    input.client_token = "token-1";
    auto const portal = apps.create_application(one, input, {{"team", "blue"}, {"env", "dev"}});
    s.time.move(1000);
    core::application_input other;
    other.provider_arn = std::string(saml);
    other.name = "wiki";
    other.status = "DISABLED";
    auto const wiki = apps.create_application(one, other, {});
    core::app_ref const p{first_owner, one, portal.id};
    core::app_ref const w{first_owner, one, wiki.id};
    apps.put_assignment_required(p, false);
    apps.put_session_status(p, "ENABLED");
    apps.create_assignment(w, "USER", user);
    apps.create_assignment(p, "USER", user);
    apps.create_assignment(p, "GROUP", group);
    apps.put_document(
        p, core::app_document_kind::access_scope, "sso:account:access",
        R"(["arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-0000000000000000"])");
    apps.put_document(p, core::app_document_kind::access_scope, "redshift:connect", "");
    apps.put_document(p, core::app_document_kind::authentication_method, "IAM",
                      R"({"Iam":{"ActorPolicy":{"Version":"2012-10-17"}}})");
    apps.put_document(p, core::app_document_kind::grant, "refresh_token", "{}");
    apps.put_document(p, core::app_document_kind::grant,
                      "urn:ietf:params:oauth:grant-type:jwt-bearer",
                      R"({"JwtBearer":{"AuthorizedTokenIssuers":[]}})");
    apps.create_issuer(one, "okta", "OIDC_JWT",
                       R"({"OidcJwtConfiguration":{"IssuerUrl":"https://example.com"}})",
                       std::string("tti-token"), {{"owner", "sec"}});
    apps.create_issuer(two, "entra", "OIDC_JWT", R"({"OidcJwtConfiguration":{}})", std::nullopt,
                       {});
    core::application_input third;
    third.provider_arn = std::string(custom);
    third.name = "portal"; // the same name in another instance
    apps.create_application(two, third, {});
    // ABAC: in progress in one instance, failed with a reason in the other.
    core::create_access_control_attributes(s.svc, who, one, R"({"AccessControlAttributes":[]})");
    core::create_access_control_attributes(s.svc, who, two, R"({"AccessControlAttributes":[1]})");
    s.svc.lifecycle.settle(
        latest_request(s.svc, core::request_kind::access_control_attributes, two),
        core::request_status::failed, "Access denied");
    // Regions: one active, one still being added.
    core::add_region(s.svc, who, one, "eu-west-1");
    s.svc.lifecycle.settle(latest_request(s.svc, core::request_kind::region, one),
                           core::request_status::succeeded, std::nullopt);
    s.time.move(1000);
    core::add_region(s.svc, who, one, "ap-south-1");
}

template <typename T, typename Fn>
std::vector<T> every(Fn const& page_of) {
    std::vector<T> out;
    core::page_request page{1, std::nullopt}; // pages of one: the tokens are exercised too
    for (;;) {
        auto result = page_of(page);
        for (auto& item : result.items)
            out.push_back(std::move(item));
        if (!result.next_token)
            return out;
        page.token = std::move(result.next_token);
    }
}

// The answer of every describe and list of the family and the Regions, one line each.
std::vector<std::string> answers(core::service& svc) {
    std::vector<std::string> out;
    auto& apps = svc.apps;
    auto const docs = [](std::vector<core::app_document> const& items) {
        std::string line;
        for (auto const& d : items)
            line += d.key + "=" + d.body + ";";
        return line;
    };
    auto const tags = [](std::vector<core::tag> const& items) {
        std::string line;
        for (auto const& t : items)
            line += t.key + "=" + t.value + ";";
        return line;
    };
    for (auto const& inst : svc.instances.list({}).items) {
        auto const& i = inst.id;
        for (auto const& a : every<core::application>([&](core::page_request const& page) {
                 return apps.list_applications(i, {}, page);
             })) {
            core::app_ref const ref{inst.owner_account, i, a.id};
            auto const d = apps.describe_application(ref);
            out.push_back("app " + d.id + " " + d.name + " " + d.provider_arn + " " + d.status +
                          " " + d.description.value_or("-") + " " + d.portal_options.value_or("-") +
                          " " + std::to_string(d.created_ms) + " " + d.identity_store_id);
            out.push_back("required " + std::to_string(apps.assignment_required(ref)) +
                          " session " + apps.session_status(ref));
            for (auto const kind :
                 {core::app_document_kind::access_scope,
                  core::app_document_kind::authentication_method, core::app_document_kind::grant}) {
                auto const listed = every<core::app_document>([&](core::page_request const& page) {
                    return apps.list_documents(ref, kind, page);
                });
                out.push_back("docs " + docs(listed));
                for (auto const& doc : listed)
                    out.push_back("doc " + apps.get_document(ref, kind, doc.key).body);
            }
            out.push_back("tags " + tags(every<core::tag>([&](core::page_request const& page) {
                              return apps.list_tags(ref, false, page);
                          })));
            for (auto const& as :
                 every<core::application_assignment>([&](core::page_request const& page) {
                     return apps.list_assignments(ref, page);
                 })) {
                auto const one = apps.describe_assignment(ref, as.principal_type, as.principal_id);
                out.push_back("assignment " + one.application_id + " " + one.principal_type + " " +
                              one.principal_id);
            }
        }
        for (auto const& principal : {std::pair{"USER", user}, std::pair{"GROUP", group}})
            for (auto const& as :
                 every<core::application_assignment>([&](core::page_request const& page) {
                     return apps.list_assignments_for_principal(
                         i, principal.first, principal.second, std::nullopt, page);
                 }))
                out.push_back("for principal " + as.application_id + " " + as.principal_id);
        for (auto const& t : every<core::trusted_token_issuer>(
                 [&](core::page_request const& page) { return apps.list_issuers(i, page); })) {
            core::app_ref const ref{inst.owner_account, i, t.id};
            auto const d = apps.describe_issuer(ref);
            out.push_back("issuer " + d.id + " " + d.name + " " + d.type + " " + d.configuration);
            out.push_back("tags " + tags(every<core::tag>([&](core::page_request const& page) {
                              return apps.list_tags(ref, true, page);
                          })));
        }
        try {
            auto const abac = core::describe_access_control_attributes(svc, i);
            out.push_back("abac " + abac.configuration + " " + std::string(abac.status) + " " +
                          abac.status_reason.value_or("-"));
        } catch (core::error const&) {
            out.push_back("abac none");
        }
        for (auto const& r : every<core::region>([&](core::page_request const& page) {
                 return core::list_regions(svc, i, page);
             })) {
            auto const d = core::describe_region(svc, i, r.name);
            out.push_back("region " + d.name + " " + std::string(d.status) + " " +
                          std::to_string(d.added_ms) + (d.primary ? " primary" : ""));
        }
    }
    return out;
}

// What the other importer restores: the requests, as they were.
void copy_requests(sandbox& from, sandbox& to) {
    store::requests source(from.db);
    store::requests target(to.db);
    for (auto row : source.list_all({}))
        target.insert(row);
}

rapidjson::Document parse(std::string_view text) {
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    REQUIRE_FALSE(doc.HasParseError());
    return doc;
}

std::string state_of(sandbox& s) {
    json::writer out;
    admin::render_state_document(out, s.svc, &s.ids);
    return out.str();
}

} // namespace

TEST_CASE("the application family and Regions survive export, decode and restore", "[admin]") {
    sandbox a;
    populate(a);
    auto const exported = state_of(a);
    auto const doc = parse(exported);
    auto const decoded = admin::decode_apps_state(doc);

    // The document holds what the core holds, member for member.
    CHECK(decoded.applications == core::snapshot_applications(a.svc.apps));
    CHECK(decoded.regions == core::snapshot_regions(a.svc));
    REQUIRE(decoded.applications.applications.size() == 3);
    REQUIRE(decoded.applications.assignments.size() == 3);
    CHECK(decoded.applications.issuers.size() == 2);
    REQUIRE(decoded.applications.access_control.size() == 2);
    CHECK(decoded.applications.access_control[0].status == "CREATION_IN_PROGRESS");
    CHECK(decoded.applications.access_control[1].status == "CREATION_FAILED");
    CHECK(decoded.applications.access_control[1].status_reason == "Access denied");
    REQUIRE(decoded.regions.size() == 2);
    CHECK(decoded.regions[0].status == "ACTIVE");
    CHECK(decoded.regions[1].status == "ADDING");
    CHECK(decoded.regions[1].request_id.has_value());
    auto const& app = doc["applications"][0];
    CHECK(std::string(app["application_arn"].GetString()) ==
          "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-" +
              decoded.applications.applications[0].id);
    CHECK(app["portal_options"]["SignInOptions"]["Origin"] == "IDENTITY_CENTER");
    CHECK(app["access_scopes"][1]["authorized_targets"].IsNull());
    CHECK(app["assignment_required"].IsFalse());

    sandbox b;
    b.db.begin();
    copy_requests(a, b);
    core::restore_applications(b.svc.apps, decoded.applications);
    core::restore_regions(b.svc, decoded.regions);
    b.db.commit();

    auto const before = answers(a.svc);
    CHECK(before.size() > 30);
    CHECK(std::count(before.begin(), before.end(),
                     "region ap-south-1 ADDING " + std::to_string(fixed_clock::start_ms + 2000)) ==
          1);
    CHECK(answers(b.svc) == before);
    CHECK(state_of(b) == exported);

    // The restored workflows are the exported requests: settling them moves both stores alike.
    for (auto* s : {&a, &b}) {
        s->svc.lifecycle.settle(
            latest_request(s->svc, core::request_kind::access_control_attributes,
                           "1111222233334444"),
            core::request_status::succeeded, std::nullopt);
        s->svc.lifecycle.settle(
            latest_request(s->svc, core::request_kind::region, "1111222233334444"),
            core::request_status::succeeded, std::nullopt);
    }
    CHECK(core::describe_access_control_attributes(b.svc, "1111222233334444").status == "ENABLED");
    CHECK(core::describe_region(b.svc, "1111222233334444", "ap-south-1").status == "ACTIVE");
    CHECK(answers(b.svc) == answers(a.svc));
    // The ClientToken that created an application still answers it.
    core::application_input retry;
    retry.provider_arn = std::string(custom);
    retry.name = "portal";
    retry.client_token = "token-1";
    CHECK(b.svc.apps.create_application("1111222233334444", retry, {}).id ==
          decoded.applications.applications[0].id);
}

TEST_CASE("icemu export writes the application family of a stopped store", "[admin]") {
    temp_dir dir;
    auto const file = dir.db_options();
    std::string served;
    {
        sandbox s(file);
        populate(s);
        s.db.commit();
        served = state_of(s);
    }
    auto const offline = admin::export_state(file.path, options());
    CHECK(offline == served);
    auto const doc = parse(offline);
    CHECK(doc["applications"].Size() == 3);
    CHECK(doc["trusted_token_issuers"].Size() == 2);
    CHECK(doc["access_control_attributes"].Size() == 2);
    CHECK(doc["regions"].Size() == 2);
}

TEST_CASE("a restore that meets an item twice is refused and names it", "[admin]") {
    sandbox a;
    populate(a);
    auto snapshot = core::snapshot_applications(a.svc.apps);
    snapshot.issuers.push_back(snapshot.issuers.front());
    snapshot.issuers.back().name = "renamed";
    sandbox b;
    b.db.begin();
    REQUIRE_THROWS_WITH(core::restore_applications(b.svc.apps, snapshot),
                        "trusted_token_issuers[2]: the trusted token issuer tti-" +
                            snapshot.issuers.front().id + " appears twice");
    b.db.rollback();
    auto regions = core::snapshot_regions(a.svc);
    regions.front().name = "us-east-1";
    b.db.begin();
    REQUIRE_THROWS_WITH(core::restore_regions(b.svc, regions),
                        "regions[0]: us-east-1 is the primary Region");
    b.db.rollback();
}

TEST_CASE("decoding the family's sections names the member it refuses", "[admin]") {
    sandbox a;
    populate(a);
    auto const exported = state_of(a);

    // Each edit of the exported document, and the reason it is refused with.
    struct bad_edit {
        std::string what;
        std::function<void(rapidjson::Document&)> edit;
        std::string reason;
    };
    auto const set_string = [](rapidjson::Value& v, char const* key, char const* text,
                               rapidjson::Document& doc) {
        v[key].SetString(text, doc.GetAllocator());
    };
    std::vector<bad_edit> const edits{
        {"an unknown member",
         [](rapidjson::Document& d) {
             d["applications"][0].AddMember("colour", 1, d.GetAllocator());
         },
         "applications[0].colour: unknown member"},
        {"a wrong type", [](rapidjson::Document& d) { d["applications"][1]["name"].SetInt(3); },
         "applications[1].name: expected a string"},
        {"a bad grant type",
         [&](rapidjson::Document& d) {
             set_string(d["applications"][0]["grants"][0], "grant_type", "password", d);
         },
         "applications[0].grants[0].grant_type: 'password' is not one of authorization_code, "
         "refresh_token, urn:ietf:params:oauth:grant-type:jwt-bearer, "
         "urn:ietf:params:oauth:grant-type:token-exchange"},
        {"a bad application id",
         [&](rapidjson::Document& d) {
             set_string(d["applications"][0], "application_id", "apl-XYZ", d);
         },
         "applications[0].application_id: expected apl-<16 hex>"},
        {"an assignment of an unknown application",
         [&](rapidjson::Document& d) {
             set_string(d["application_assignments"][1], "application_id", "apl-0000000000000000",
                        d);
         },
         "application_assignments[1].application_id: names no application of the instance in "
         "the applications section"},
        {"an unknown instance",
         [&](rapidjson::Document& d) {
             set_string(d["trusted_token_issuers"][0], "instance_id", "ssoins-9999999999999999", d);
         },
         "trusted_token_issuers[0].instance_id: names no instance of the instances section"},
        {"another owner",
         [&](rapidjson::Document& d) {
             set_string(d["regions"][0], "owner_account_id", "210987654321", d);
         },
         "regions[0].owner_account_id: is not the owner of instance ssoins-1111222233334444"},
        {"an ABAC status its request does not have",
         [&](rapidjson::Document& d) {
             set_string(d["access_control_attributes"][0], "status", "CREATION_FAILED", d);
         },
         "access_control_attributes[0].request_id: the request is IN_PROGRESS"},
        {"an ABAC configuration without its request",
         [](rapidjson::Document& d) { d["requests"].Clear(); },
         "access_control_attributes[0].request_id: names no ACCESS_CONTROL_ATTRIBUTES request "
         "of the instance in the requests section"},
        {"a Region being added without its request",
         [](rapidjson::Document& d) { d["regions"][1]["request_id"].SetNull(); },
         "regions[1].request_id: is required for this status"},
        {"a duplicate tag key",
         [&](rapidjson::Document& d) {
             set_string(d["applications"][0]["tags"][1], "key", "team", d);
         },
         "applications[0].tags[1].key: the key 'team' appears twice"},
        {"a section that is not an array", [](rapidjson::Document& d) { d["regions"].SetObject(); },
         "regions: expected an array"},
    };
    for (auto const& e : edits) {
        SECTION(e.what) {
            auto doc = parse(exported);
            e.edit(doc);
            REQUIRE_THROWS_MATCHES(admin::decode_apps_state(doc), core::error,
                                   Catch::Predicate<core::error>(
                                       [&](core::error const& err) {
                                           return err.code() == core::errc::invalid_argument &&
                                                  std::string(err.what()) == e.reason;
                                       },
                                       e.reason));
        }
    }
}

TEST_CASE("a document without the family's sections decodes to none", "[admin]") {
    auto const doc = parse(R"({"instances": [], "requests": []})");
    CHECK(admin::decode_apps_state(doc) == admin::apps_state{});
}
