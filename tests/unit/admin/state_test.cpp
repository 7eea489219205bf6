#include <rapidjson/document.h>
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <string>

#include "api/admin/export.hpp"
#include "api/admin/state_identity.hpp"
#include "api/admin/surface.hpp"
#include "api/core/identity.hpp"
#include "api/core/service.hpp"
#include "store/database.hpp"
#include "store/error.hpp"
#include "tests/support/fixed_clock.hpp"
#include "tests/support/memory_db.hpp"

namespace {

namespace admin = icemu::api::admin;
namespace core = icemu::api::core;
namespace json = icemu::api::json;
namespace store = icemu::store;
using icemu::test::fixed_clock;
using icemu::test::temp_dir;

core::service_options options() {
    core::service_options out;
    out.scheduler.mode = core::scheduler_mode::manual;
    out.instances = {{"123456789012", "", "", ""}};
    return out;
}

// A store with one instance whose identity store holds jdoe (disabled, every fixture attribute)
// and bob, both in the group "admins".
struct sandbox {
    explicit sandbox(store::database_options const& db_options = {}) : db(db_options) {
        svc.instances.ensure_initial_state();
        store_id = svc.instances.list({}).items.at(0).identity_store_id;
        core::caller const who{"aws", "123456789012"};
        jdoe = ids.create_user(store_id,
                               R"({"UserName":"jdoe","DisplayName":"Jane Doe",)"
                               R"("Name":{"GivenName":"Jane","FamilyName":"Doe"},"Title":"Eng",)"
                               R"("Emails":[{"Value":"a@x.example","Primary":false},)"
                               R"({"Value":"b@x.example","Primary":true}]})",
                               who)
                   .id;
        ids.set_user_status(store_id, jdoe, "DISABLED", who);
        bob = ids.create_user(store_id, R"({"UserName":"bob"})", who).id;
        group = ids.create_group(store_id, R"({"DisplayName":"admins","Description":"d"})", who).id;
        ids.create_membership(store_id, group, jdoe, who);
        ids.create_membership(store_id, group, bob, who);
        db.commit();
    }

    fixed_clock time;
    store::database db;
    core::service svc{db, time.clock, options()};
    core::identity_store ids{db, time.clock};
    std::string store_id;
    std::string jdoe;
    std::string bob;
    std::string group;
};

rapidjson::Document parse(std::string_view text) {
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    REQUIRE_FALSE(doc.HasParseError());
    REQUIRE(doc.IsObject());
    return doc;
}

std::string text(rapidjson::Value const& v, char const* key) {
    REQUIRE(v.HasMember(key));
    REQUIRE(v[key].IsString());
    return v[key].GetString();
}

} // namespace

TEST_CASE("the identity section has every user, group and membership of each store", "[admin]") {
    sandbox s;
    json::writer out;
    out.start_object();
    admin::render_identity_state(out, s.svc, s.ids);
    out.end_object();
    auto const doc = parse(out.view());

    auto const& users = doc["users"];
    REQUIRE(users.Size() == 2);
    auto const& jdoe = text(users[0], "user_name") == "jdoe" ? users[0] : users[1];
    CHECK(text(jdoe, "owner_account_id") == "123456789012");
    CHECK(text(jdoe, "identity_store_id") == s.store_id);
    CHECK(text(jdoe, "user_id") == s.jdoe);
    CHECK(text(jdoe, "display_name") == "Jane Doe");
    CHECK(text(jdoe, "given_name") == "Jane");
    CHECK(text(jdoe, "family_name") == "Doe");
    CHECK(text(jdoe, "email") == "b@x.example"); // the primary one
    CHECK(text(jdoe, "status") == "DISABLED");
    CHECK(text(jdoe["attributes"], "Title") == "Eng");
    CHECK(jdoe["created_date"].GetInt64() == fixed_clock::start_ms);
    auto const& bob = &jdoe == &users[0] ? users[1] : users[0];
    CHECK(text(bob, "status") == "ENABLED");
    CHECK_FALSE(bob.HasMember("email"));
    CHECK_FALSE(bob.HasMember("display_name"));

    REQUIRE(doc["groups"].Size() == 1);
    CHECK(text(doc["groups"][0], "group_id") == s.group);
    CHECK(text(doc["groups"][0], "display_name") == "admins");
    CHECK(text(doc["groups"][0], "description") == "d");

    auto const& memberships = doc["group_memberships"];
    REQUIRE(memberships.Size() == 2);
    for (auto const& m : memberships.GetArray()) {
        CHECK(text(m, "group") == "admins");
        CHECK(text(m, "group_id") == s.group);
        CHECK(text(m, "user") == (text(m, "user_id") == s.jdoe ? "jdoe" : "bob"));
    }
}

TEST_CASE("export reads a store file as the state document, read-only", "[admin]") {
    temp_dir dir;
    auto const file = dir.db_options();
    std::string served;
    {
        sandbox s(file);
        json::writer out;
        admin::render_state_document(out, s.svc, &s.ids);
        served = std::string(out.view());
    }
    CHECK(admin::export_state(file.path, options()) == served);
    auto const doc = parse(served);
    CHECK(doc["users"].Size() == 2);
    CHECK(text(doc["scheduler"], "mode") == "manual");
}

TEST_CASE("export refuses a missing file and a store of a newer schema", "[admin]") {
    temp_dir dir;
    CHECK_THROWS_AS(admin::export_state((dir.path() / "absent.db").string(), options()),
                    store::sqlite_error);
    auto const file = dir.db_options();
    { sandbox s(file); }
    {
        sqlite3* raw = nullptr;
        REQUIRE(sqlite3_open(file.path.c_str(), &raw) == SQLITE_OK);
        REQUIRE(sqlite3_exec(raw, "PRAGMA user_version=100000", nullptr, nullptr, nullptr) ==
                SQLITE_OK);
        sqlite3_close(raw);
    }
    try {
        admin::export_state(file.path, options());
        FAIL("no error");
    } catch (store::unusable_store const& e) {
        CHECK(std::string(e.what()).find("newer than this icemu's") != std::string::npos);
    }
}
