#include "api/core/fixtures.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "api/core/error.hpp"
#include "store/database.hpp"
#include "store/requests.hpp"
#include "store/resources.hpp"
#include "tests/support/fixed_clock.hpp"

namespace {

namespace core = icemu::api::core;
namespace store = icemu::store;
using icemu::test::fixed_clock;

// SHA-256 prefixes computed outside icemu: "icemu-instance:<owner>"[:16] (as the initial state),
// "icemu-store:<instance>"[:10] and "icemu-permission-set:<instance>:<name>"[:16].
constexpr char const* default_instance = "560aa041748d679e"; // owner 123456789012
constexpr char const* second_instance = "3135a6abb8060144";  // owner 210987654321
constexpr char const* second_store = "d-2258ff7dfe";
constexpr char const* read_only_id = "c95483a2804f1294"; // ReadOnly in default_instance
constexpr char const* principal = "9067639464-9039c8fc-c296-4863-a233-a59111da7aa3";

// A fresh :memory: store holding the default initial state (one instance, no permission set).
struct fresh_store {
    fresh_store() {
        store::instance_row row;
        row.id = default_instance;
        row.owner_account = "123456789012";
        row.identity_store_id = "d-0000000000";
        resources.insert_instance(row);
    }
    store::database db{store::database_options{}};
    store::resources resources{db};
    fixed_clock time;
};

core::fixture_set example() {
    core::fixture_set f;
    f.instances.push_back({"f.json: instances[0]", "210987654321", "second"});
    f.permission_sets.push_back(
        {"f.json: permission_sets[0]", "123456789012", "ReadOnly", "Read only", "PT2H", {}});
    f.permission_sets.push_back({"f.json: permission_sets[1]", {}, "Admins", {}, {}, "https://x"});
    f.assignments.push_back(
        {"f.json: assignments[0]", "123456789012", "ReadOnly", "111122223333", "USER", principal});
    f.assignments.push_back(
        {"f.json: assignments[1]", {}, "Admins", "444455556666", "GROUP", principal});
    return f;
}

bool is_invalid(core::error const& e, std::string const& text) {
    return e.code() == core::errc::invalid_argument && std::string(e.what()) == text;
}

} // namespace

TEST_CASE("fixtures seed instances, permission sets and settled assignments", "[core]") {
    fresh_store s;
    auto const report = core::apply_fixtures(s.db, example(), s.time.clock);
    CHECK(report.applied);
    CHECK(report.instances == 1);
    CHECK(report.permission_sets == 2);
    CHECK(report.assignments == 2);

    SECTION("a fixture instance gets the id the initial state would give it") {
        auto const second = s.resources.find_instance_by_owner("210987654321");
        REQUIRE(second);
        CHECK(second->id == second_instance);
        CHECK(second->identity_store_id == second_store);
        CHECK(second->name == "second");
        CHECK(second->created_ms == fixed_clock::start_ms);
    }
    SECTION("permission sets have derived ids and default to the first fixture instance") {
        auto const ro = s.resources.find_permission_set(default_instance, read_only_id);
        REQUIRE(ro);
        CHECK(ro->name == "ReadOnly");
        CHECK(ro->description == "Read only");
        CHECK(ro->session_duration == "PT2H");
        CHECK_FALSE(ro->relay_state);
        auto const admins = s.resources.list_permission_sets(second_instance, 0, 10).rows;
        REQUIRE(admins.size() == 1);
        CHECK(admins[0].name == "Admins");
        CHECK(admins[0].session_duration == "PT1H");
        CHECK(admins[0].relay_state == "https://x");
    }
    SECTION("assignments are listed and provisioned, with no request") {
        auto const listed =
            s.resources.list_assignments(default_instance, "111122223333", read_only_id, 0, 10);
        REQUIRE(listed.rows.size() == 1);
        CHECK(listed.rows[0].principal_type == "USER");
        CHECK(listed.rows[0].principal_id == principal);
        auto const accounts = s.resources.list_provisioned_accounts(read_only_id, true, 0, 10);
        REQUIRE(accounts.rows.size() == 1);
        CHECK(accounts.rows[0] == "111122223333");
        CHECK(store::requests(s.db).counts().empty());
    }
}

TEST_CASE("fixtures apply only while the store has no permission set", "[core]") {
    fresh_store s;
    REQUIRE(core::apply_fixtures(s.db, example(), s.time.clock).applied);

    auto const again = core::apply_fixtures(s.db, example(), s.time.clock);
    CHECK_FALSE(again.applied);
    CHECK(again.permission_sets == 0);
    CHECK(s.resources.list_permission_sets(default_instance, 0, 10).rows.size() == 1);
}

TEST_CASE("fixtures without instances go to the store's first instance", "[core]") {
    fresh_store s;
    core::fixture_set f;
    f.permission_sets.push_back({"a.json: permission_sets[0]", {}, "ReadOnly", {}, {}, {}});
    f.assignments.push_back(
        {"a.json: assignments[0]", {}, "ReadOnly", "111122223333", "USER", principal});
    f.assignments.push_back(
        {"b.json: assignments[0]", {}, "ReadOnly", "111122223333", "USER", principal});
    auto const report = core::apply_fixtures(s.db, f, s.time.clock);
    CHECK(report.permission_sets == 1);
    CHECK(report.assignments == 1); // the identical second one is created once
    CHECK(s.resources.find_permission_set(default_instance, read_only_id));
}

TEST_CASE("fixtures with a bad reference name the item and write nothing", "[core]") {
    fresh_store s;
    core::fixture_set f = example();

    SECTION("unknown owner account") {
        f.permission_sets[0].owner_account_id = "999999999999";
        REQUIRE_THROWS_MATCHES(
            core::apply_fixtures(s.db, f, s.time.clock), core::error,
            Catch::Predicate<core::error>([](core::error const& e) {
                return is_invalid(e,
                                  "fixtures f.json: permission_sets[0]: owner_account_id: no "
                                  "instance is owned by account 999999999999 (declare it under "
                                  "\"instances\")");
            }));
    }
    SECTION("unknown permission set") {
        f.assignments[1].permission_set = "ReadOnly"; // declared in the other instance
        REQUIRE_THROWS_MATCHES(
            core::apply_fixtures(s.db, f, s.time.clock), core::error,
            Catch::Predicate<core::error>([](core::error const& e) {
                return is_invalid(e,
                                  "fixtures f.json: assignments[1]: permission_set: no permission "
                                  "set named ReadOnly is declared in instance "
                                  "ssoins-3135a6abb8060144");
            }));
    }
    SECTION("duplicate permission set name") {
        f.permission_sets.push_back({"g.json: permission_sets[0]", {}, "Admins", {}, {}, {}});
        REQUIRE_THROWS_MATCHES(
            core::apply_fixtures(s.db, f, s.time.clock), core::error,
            Catch::Predicate<core::error>([](core::error const& e) {
                return is_invalid(e,
                                  "fixtures g.json: permission_sets[0]: name: a permission set "
                                  "named Admins is declared twice in instance "
                                  "ssoins-3135a6abb8060144");
            }));
    }
    CHECK_FALSE(s.resources.find_instance_by_owner("210987654321"));
    CHECK(s.resources.list_permission_sets(default_instance, 0, 10).rows.empty());
}
