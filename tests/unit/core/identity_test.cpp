#include "api/core/identity.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "api/core/service.hpp"
#include "store/database.hpp"
#include "tests/support/fixed_clock.hpp"
#include "tests/support/memory_db.hpp"

namespace {

namespace core = icemu::api::core;
namespace store = icemu::store;
using icemu::test::count_rows;
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
        auto const page = svc.instances.list({});
        REQUIRE(page.items.size() == 1);
        instance = page.items[0].id;
        store_id = page.items[0].identity_store_id;
    }
    std::string user(std::string const& name) {
        return ids.create_user(store_id, R"({"UserName":")" + name + R"("})", who).id;
    }

    fixed_clock time;
    store::database db{{}};
    core::service svc{db, time.clock, options()};
    core::identity_store ids{db, time.clock};
    core::caller who{"aws", "123456789012"};
    std::string instance;
    std::string store_id;
};

template <typename Fn>
core::identity_error identity_failure(Fn fn) {
    try {
        fn();
    } catch (core::identity_error const& e) {
        return e;
    }
    FAIL("no identity_error");
    throw;
}

} // namespace

TEST_CASE("users are stored with their attributes and ids of the store's form", "[identity]") {
    harness h;
    auto const created = h.ids.create_user(
        h.store_id, R"({"UserName":"jane","Name":{"GivenName":"Jane"},"Title":"Dev"})", h.who);
    CHECK(created.id.size() == 47);
    CHECK(created.id.substr(0, 11) == h.store_id.substr(2) + "-");
    auto const read = h.ids.describe_user(h.store_id, created.id);
    CHECK(read.attributes == R"({"UserName":"jane","Name":{"GivenName":"Jane"},"Title":"Dev"})");
    CHECK(read.status == "ENABLED");
    CHECK(read.created_ms == fixed_clock::start_ms);
    CHECK(read.created_by == "arn:aws:iam::123456789012:root");
}

TEST_CASE("a duplicate user name is a uniqueness conflict", "[identity]") {
    harness h;
    h.user("dup");
    auto const e = identity_failure([&] { h.user("dup"); });
    CHECK(e.code() == core::errc::conflict);
    CHECK(e.conflict_reason() == "UNIQUENESS_CONSTRAINT_VIOLATION");
}

TEST_CASE("unknown stores and principals are not found with their type", "[identity]") {
    harness h;
    auto e = identity_failure([&] { h.ids.describe_user("d-0000000000", "x"); });
    CHECK(e.code() == core::errc::not_found);
    CHECK(e.resource_type() == core::identity_resource::identity_store);
    CHECK(e.resource_id() == "d-0000000000");
    e = identity_failure([&] { h.ids.describe_group(h.store_id, "g-1"); });
    CHECK(e.resource_type() == core::identity_resource::group);
    CHECK(e.resource_id() == "g-1");
    CHECK(std::string(e.what()) == "GROUP not found.");
}

TEST_CASE("attribute operations set, replace and remove", "[identity]") {
    harness h;
    auto const id =
        h.ids
            .create_user(h.store_id, R"({"UserName":"u","Title":"T","Name":{"FamilyName":"F"}})",
                         h.who)
            .id;
    h.ids.update_user(
        h.store_id, id,
        {{"title", std::nullopt}, {"name.givenName", R"("G")"}, {"displayName", R"("Dee")"}},
        h.who);
    CHECK(h.ids.describe_user(h.store_id, id).attributes ==
          R"({"UserName":"u","Name":{"FamilyName":"F","GivenName":"G"},"DisplayName":"Dee"})");
    CHECK_THROWS_AS(h.ids.update_user(h.store_id, id, {{"nosuch", R"("x")"}}, h.who), core::error);
    CHECK_THROWS_AS(h.ids.update_user(h.store_id, id, {{"userName", std::nullopt}}, h.who),
                    core::error);
    CHECK_THROWS_AS(h.ids.update_user(h.store_id, id, {{"emails", R"("not a list")"}}, h.who),
                    core::error);
    h.user("other");
    auto const e = identity_failure([&] {
        h.ids.update_user(h.store_id, id, {{"userName", R"("other")"}}, h.who);
    });
    CHECK(e.code() == core::errc::conflict);
}

TEST_CASE("look-ups by unique attribute and external id", "[identity]") {
    harness h;
    auto const id =
        h.ids
            .create_user(h.store_id,
                         R"({"UserName":"ext","ExternalIds":[{"Issuer":"idp","Id":"42"}]})", h.who)
            .id;
    CHECK(h.ids.get_user_id(h.store_id, {"userName", R"("ext")", {}, {}}) == id);
    CHECK(h.ids.get_user_id(h.store_id, {{}, {}, "idp", "42"}) == id);
    auto const e = identity_failure([&] { h.ids.get_user_id(h.store_id, {{}, {}, "idp", "43"}); });
    CHECK(e.resource_type() == core::identity_resource::user);
    CHECK_THROWS_AS(h.ids.get_user_id(h.store_id, {"displayName", R"("ext")", {}, {}}),
                    core::error);
}

TEST_CASE("memberships: created once, listed both ways, gone with their group", "[identity]") {
    harness h;
    auto const user = h.user("m");
    auto const group = h.ids.create_group(h.store_id, R"({"DisplayName":"G"})", h.who).id;
    auto const other = h.ids.create_group(h.store_id, R"({"DisplayName":"H"})", h.who).id;
    auto const m = h.ids.create_membership(h.store_id, group, user, h.who);
    CHECK(identity_failure([&] {
              h.ids.create_membership(h.store_id, group, user, h.who);
          }).code() == core::errc::conflict);
    CHECK(h.ids.get_membership_id(h.store_id, group, user) == m.id);
    CHECK(h.ids.list_memberships(h.store_id, group, {}).items.size() == 1);
    CHECK(h.ids.list_memberships_for_member(h.store_id, user, {}).items.size() == 1);
    CHECK(h.ids.is_member_in_groups(h.store_id, user, {group, other}) ==
          std::vector<bool>{true, false});
    h.ids.delete_group(h.store_id, group);
    CHECK(count_rows(h.db, "identity_memberships") == 0);
    CHECK(identity_failure([&] { h.ids.describe_membership(h.store_id, m.id); }).resource_type() ==
          core::identity_resource::group_membership);
}

TEST_CASE("lists are paginated with tokens bound to their filter", "[identity]") {
    harness h;
    for (int i = 0; i < 5; ++i)
        h.user("u" + std::to_string(i));
    auto const first = h.ids.list_users(h.store_id, std::nullopt, {2, std::nullopt});
    REQUIRE(first.items.size() == 2);
    REQUIRE(first.next_token);
    auto const second = h.ids.list_users(h.store_id, std::nullopt, {2, first.next_token});
    CHECK(second.items.size() == 2);
    CHECK(second.items[0].attributes == R"({"UserName":"u2"})");
    CHECK_THROWS_AS(h.ids.list_users(h.store_id, std::string("u1"), {2, first.next_token}),
                    core::error);
    CHECK(h.ids.list_users(h.store_id, std::string("u3"), {}).items.size() == 1);
}

TEST_CASE("a reset and a deleted instance take the store with them", "[identity]") {
    harness h;
    auto const user = h.user("r");
    auto const group = h.ids.create_group(h.store_id, R"({"DisplayName":"G"})", h.who).id;
    h.ids.create_membership(h.store_id, group, user, h.who);
    SECTION("a global reset") {
        h.svc.control.reset(std::nullopt);
    }
    SECTION("a reset of the instance") {
        h.svc.control.reset(h.instance);
    }
    SECTION("DeleteInstance") {
        h.svc.instances.remove(h.instance);
    }
    CHECK(count_rows(h.db, "identity_users") == 0);
    CHECK(count_rows(h.db, "identity_groups") == 0);
    CHECK(count_rows(h.db, "identity_memberships") == 0);
}

TEST_CASE("missing_principal names the principal and the store", "[identity]") {
    harness h;
    auto const user = h.user("p");
    CHECK_FALSE(h.ids.missing_principal(h.instance, "USER", user));
    CHECK(h.ids.missing_principal(h.instance, "GROUP", user) ==
          "The principal GROUP " + user + " does not exist in identity store " + h.store_id + ".");
}
