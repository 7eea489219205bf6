// The core's rules for inline, managed and customer managed policies, permissions boundaries,
// tags and instances: version bumps, quotas, duplicates, conflicts while a request is in flight.
#include <catch2/catch.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/core/error.hpp"
#include "api/core/service.hpp"
#include "store/database.hpp"
#include "store/statement.hpp"

namespace {

namespace core = icemu::api::core;
namespace store = icemu::store;
using core::errc;
using core::reason;

constexpr char const* owner = "123456789012";
constexpr char const* account = "111122223333";
constexpr char const* view_only = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess";
constexpr char const* read_only = "arn:aws:iam::aws:policy/ReadOnlyAccess";
constexpr char const* conflicting = "There is a conflicting operation in process.";

// Matches a core::error with this category, reason and (when given) exact text.
auto is_error(errc code, reason why, std::string text = {}) {
    return Catch::Predicate<core::error>(
        [=](core::error const& e) {
            return e.code() == code && e.why() == why && (text.empty() || e.what() == text);
        },
        "core::error(" + std::to_string(static_cast<int>(code)) + ", " +
            std::to_string(static_cast<int>(why)) + ", \"" + text + "\")");
}

core::service_options manual_options() {
    core::service_options options;
    options.scheduler.mode = core::scheduler_mode::manual;
    options.instances.push_back({owner, "", "", ""});
    return options;
}

// A service over a fresh `:memory:` store (manual scheduler, one instance owned by `owner`) and a
// clock that only the test moves.
struct fixture {
    fixture() {
        svc.instances.ensure_initial_state();
        instance = svc.instances.list({}).items.at(0).id;
    }

    std::string make_permission_set(std::string const& name = "Policies",
                                    std::vector<core::tag> const& tags = {}) {
        return svc.permission_sets
            .create(instance, {name, std::nullopt, std::nullopt, std::nullopt}, tags)
            .id;
    }
    std::int64_t version(std::string const& ps) {
        return svc.permission_sets.describe(instance, ps).version;
    }
    std::int64_t count(char const* sql) {
        store::statement s(db.handle(), sql);
        return s.step() ? s.column_int64(0) : -1;
    }
    // An assignment request left IN_PROGRESS (manual mode).
    core::async_request assign(std::string const& ps) {
        return svc.assignments.create({"aws", owner}, instance, {ps, account, "USER", "user-1"});
    }
    std::vector<std::string> managed(std::string const& ps, core::page_request const& page = {}) {
        std::vector<std::string> out;
        for (auto const& item : svc.policies.list_managed(instance, ps, page).items)
            out.push_back(item.id + " " + item.name.value_or("<none>"));
        return out;
    }
    std::vector<std::string> tag_keys(std::optional<std::string_view> ps) {
        std::vector<std::string> keys;
        for (auto const& item : svc.tags.list(instance, ps, {}).items)
            keys.push_back(item.key + "=" + item.value);
        return keys;
    }

    std::int64_t wall_ms = 1'700'000'000'000;
    core::clock time{[this] { return wall_ms; }};
    store::database db{store::database_options{}};
    core::service svc{db, time, manual_options()};
    std::string instance;
};

TEST_CASE("an inline policy is put, read and deleted, each change bumping the version", "[core]") {
    fixture f;
    auto const ps = f.make_permission_set();
    CHECK_FALSE(f.svc.policies.get_inline(f.instance, ps).has_value());
    CHECK(f.version(ps) == 1);

    f.svc.policies.put_inline(f.instance, ps, R"({"Version":"2012-10-17","Statement":[]})");
    CHECK(f.svc.policies.get_inline(f.instance, ps) ==
          R"({"Version":"2012-10-17","Statement":[]})");
    CHECK(f.version(ps) == 2);

    f.svc.policies.put_inline(f.instance, ps, "{}");
    CHECK(f.svc.policies.get_inline(f.instance, ps) == "{}");
    CHECK(f.version(ps) == 3);

    f.svc.policies.remove_inline(f.instance, ps);
    CHECK_FALSE(f.svc.policies.get_inline(f.instance, ps).has_value());
    CHECK(f.version(ps) == 4);

    SECTION("deleting a missing inline policy changes nothing") {
        f.svc.policies.remove_inline(f.instance, ps);
        CHECK(f.version(ps) == 4);
    }
    SECTION("an unknown permission set is not found") {
        REQUIRE_THROWS_MATCHES(f.svc.policies.put_inline(f.instance, "0123456789abcdef", "{}"),
                               core::error,
                               is_error(errc::not_found, reason::permission_set_not_found));
        REQUIRE_THROWS_MATCHES(f.svc.policies.get_inline(f.instance, "0123456789abcdef"),
                               core::error,
                               is_error(errc::not_found, reason::permission_set_not_found));
    }
}

TEST_CASE("managed policies attach once, detach only when attached, and list in order", "[core]") {
    fixture f;
    auto const ps = f.make_permission_set();
    f.svc.policies.attach_managed(f.instance, ps, view_only);
    f.svc.policies.attach_managed(f.instance, ps, read_only);
    CHECK(f.version(ps) == 3);
    // Listed with the name IAM gives each.
    CHECK(f.managed(ps) == std::vector<std::string>{std::string(view_only) + " ViewOnlyAccess",
                                                    std::string(read_only) + " ReadOnlyAccess"});

    REQUIRE_THROWS_MATCHES(
        f.svc.policies.attach_managed(f.instance, ps, view_only), core::error,
        is_error(errc::conflict, reason::duplicate_policy,
                 "Permission set with id ps-" + ps +
                     " already has a typed link attachment to a manged policy with " + view_only));
    CHECK(f.version(ps) == 3); // a refused change bumps nothing

    SECTION("pages follow the attachment order") {
        auto const first = f.svc.policies.list_managed(f.instance, ps, {1, std::nullopt});
        REQUIRE(first.items.size() == 1);
        CHECK(first.items[0].id == view_only);
        REQUIRE(first.next_token.has_value());
        auto const second = f.svc.policies.list_managed(f.instance, ps, {1, first.next_token});
        REQUIRE(second.items.size() == 1);
        CHECK(second.items[0].id == read_only);
        CHECK_FALSE(second.next_token.has_value());
    }
    SECTION("detach removes it; a second detach is not found") {
        f.svc.policies.detach_managed(f.instance, ps, view_only);
        CHECK(f.version(ps) == 4);
        CHECK(f.managed(ps) ==
              std::vector<std::string>{std::string(read_only) + " ReadOnlyAccess"});
        REQUIRE_THROWS_MATCHES(f.svc.policies.detach_managed(f.instance, ps, view_only),
                               core::error, is_error(errc::not_found, reason::policy_not_found));
        CHECK(f.version(ps) == 4);
    }
}

TEST_CASE("customer managed policy references default to path / and are unique by name and path",
          "[core]") {
    fixture f;
    auto const ps = f.make_permission_set();
    f.svc.policies.attach_customer_managed(f.instance, ps, {"Mine", "/"});
    f.svc.policies.attach_customer_managed(f.instance, ps, {"Mine", "/team/"});
    CHECK(f.version(ps) == 3);
    auto const listed = f.svc.policies.list_customer_managed(f.instance, ps, {}).items;
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].name == "Mine");
    CHECK(listed[0].path == "/");
    CHECK(listed[1].path == "/team/");
    CHECK(core::customer_policy_ref{"Other"}.path == "/");

    REQUIRE_THROWS_MATCHES(
        f.svc.policies.attach_customer_managed(f.instance, ps, {"Mine", "/team/"}), core::error,
        is_error(
            errc::conflict, reason::duplicate_policy,
            "Given customer managed policy with name: Mine  and path /team/ already attached"));
    REQUIRE_THROWS_MATCHES(
        f.svc.policies.detach_customer_managed(f.instance, ps, {"Mine", "/other/"}), core::error,
        is_error(errc::not_found, reason::policy_not_found));
    f.svc.policies.detach_customer_managed(f.instance, ps, {"Mine", "/team/"});
    CHECK(f.svc.policies.list_customer_managed(f.instance, ps, {}).items.size() == 1);
    CHECK(f.version(ps) == 4);
}

TEST_CASE("a permission set holds at most 20 managed and customer managed policies", "[core]") {
    fixture f;
    auto const ps = f.make_permission_set();
    // Ten policies of the catalogue other than read_only (its first entries are under "/").
    std::vector<std::string> arns;
    for (auto const& entry : core::builtin_managed_policies().first(10))
        arns.push_back("arn:aws:iam::aws:policy" + std::string(entry.path) +
                       std::string(entry.name));
    for (auto const& arn : arns)
        f.svc.policies.attach_managed(f.instance, ps, arn);
    for (int i = 0; i < 10; ++i)
        f.svc.policies.attach_customer_managed(f.instance, ps, {"Custom" + std::to_string(i)});
    CHECK(f.version(ps) == 21);

    REQUIRE_THROWS_MATCHES(f.svc.policies.attach_managed(f.instance, ps, read_only), core::error,
                           is_error(errc::quota_exceeded, reason::none));
    REQUIRE_THROWS_MATCHES(f.svc.policies.attach_customer_managed(f.instance, ps, {"Custom20"}),
                           core::error, is_error(errc::quota_exceeded, reason::none));
    CHECK(f.svc.policies.list_managed(f.instance, ps, {}).items.size() == 10);
    CHECK(f.version(ps) == 21);

    SECTION("a duplicate at the quota is still a conflict") {
        REQUIRE_THROWS_MATCHES(f.svc.policies.attach_managed(f.instance, ps, arns[0]), core::error,
                               is_error(errc::conflict, reason::duplicate_policy));
    }
    SECTION("a detach makes room again") {
        f.svc.policies.detach_customer_managed(f.instance, ps, {"Custom0"});
        f.svc.policies.attach_managed(f.instance, ps, read_only);
        CHECK(f.svc.policies.list_managed(f.instance, ps, {}).items.size() == 11);
    }
}

TEST_CASE("a permissions boundary has exactly one of its two members", "[core]") {
    fixture f;
    auto const ps = f.make_permission_set();
    CHECK_FALSE(f.svc.policies.get_boundary(f.instance, ps).has_value());

    core::permissions_boundary neither;
    REQUIRE_THROWS_MATCHES(f.svc.policies.put_boundary(f.instance, ps, neither), core::error,
                           is_error(errc::invalid_argument, reason::none));
    core::permissions_boundary both;
    both.managed_arn = read_only;
    both.customer_managed = core::customer_policy_ref{"Boundary", "/"};
    REQUIRE_THROWS_MATCHES(f.svc.policies.put_boundary(f.instance, ps, both), core::error,
                           is_error(errc::invalid_argument, reason::none));
    CHECK(f.version(ps) == 1);

    core::permissions_boundary managed;
    managed.managed_arn = read_only;
    f.svc.policies.put_boundary(f.instance, ps, managed);
    auto got = f.svc.policies.get_boundary(f.instance, ps);
    REQUIRE(got.has_value());
    CHECK(got->managed_arn == read_only);
    CHECK_FALSE(got->customer_managed.has_value());

    core::permissions_boundary customer;
    customer.customer_managed = core::customer_policy_ref{"Boundary", "/limits/"};
    f.svc.policies.put_boundary(f.instance, ps, customer); // replaces the managed one
    got = f.svc.policies.get_boundary(f.instance, ps);
    REQUIRE(got.has_value());
    CHECK_FALSE(got->managed_arn.has_value());
    REQUIRE(got->customer_managed.has_value());
    CHECK(got->customer_managed->name == "Boundary");
    CHECK(got->customer_managed->path == "/limits/");
    CHECK(f.version(ps) == 3);

    f.svc.policies.remove_boundary(f.instance, ps);
    CHECK_FALSE(f.svc.policies.get_boundary(f.instance, ps).has_value());
    CHECK(f.version(ps) == 4);
    f.svc.policies.remove_boundary(f.instance, ps); // none: nothing changes
    CHECK(f.version(ps) == 4);
}

TEST_CASE(
    "content changes conflict while a request is in flight on the permission set; tags do "
    "not",
    "[core]") {
    fixture f;
    auto const ps = f.make_permission_set();
    f.svc.policies.attach_managed(f.instance, ps, view_only);
    f.svc.policies.attach_customer_managed(f.instance, ps, {"Mine"});
    core::permissions_boundary boundary;
    boundary.managed_arn = read_only;
    f.svc.policies.put_boundary(f.instance, ps, boundary);
    f.svc.policies.put_inline(f.instance, ps, "{}");
    auto const before = f.version(ps);

    auto const request = f.assign(ps);
    auto const in_flight = is_error(errc::conflict, reason::in_flight, conflicting);
    REQUIRE_THROWS_MATCHES(f.svc.policies.put_inline(f.instance, ps, "{}"), core::error, in_flight);
    REQUIRE_THROWS_MATCHES(f.svc.policies.remove_inline(f.instance, ps), core::error, in_flight);
    REQUIRE_THROWS_MATCHES(f.svc.policies.attach_managed(f.instance, ps, read_only), core::error,
                           in_flight);
    REQUIRE_THROWS_MATCHES(f.svc.policies.detach_managed(f.instance, ps, view_only), core::error,
                           in_flight);
    REQUIRE_THROWS_MATCHES(f.svc.policies.attach_customer_managed(f.instance, ps, {"Other"}),
                           core::error, in_flight);
    REQUIRE_THROWS_MATCHES(f.svc.policies.detach_customer_managed(f.instance, ps, {"Mine"}),
                           core::error, in_flight);
    REQUIRE_THROWS_MATCHES(f.svc.policies.put_boundary(f.instance, ps, boundary), core::error,
                           in_flight);
    REQUIRE_THROWS_MATCHES(f.svc.policies.remove_boundary(f.instance, ps), core::error, in_flight);
    REQUIRE_THROWS_MATCHES(f.svc.permission_sets.update(f.instance, ps, {}), core::error,
                           in_flight);
    CHECK(f.version(ps) == before);

    // Reads and tags go on.
    CHECK(f.svc.policies.list_managed(f.instance, ps, {}).items.size() == 1);
    f.svc.tags.add(f.instance, ps, {{"team", "a"}});
    f.svc.tags.remove(f.instance, ps, {"team"});
    CHECK(f.version(ps) == before);

    f.svc.lifecycle.settle(core::format_uuid(request.id), core::request_status::succeeded,
                           std::nullopt);
    f.svc.policies.detach_managed(f.instance, ps, view_only);
    CHECK(f.version(ps) == before + 1);
}

TEST_CASE("a content change leaves provisioned accounts behind the latest version", "[core]") {
    fixture f;
    auto const ps = f.make_permission_set();
    auto const request = f.assign(ps);
    f.svc.lifecycle.settle(core::format_uuid(request.id), core::request_status::succeeded,
                           std::nullopt);
    auto behind = [&] {
        return f.svc.provisioning
            .list_accounts_for_provisioned_permission_set(f.instance, ps, false, {})
            .items;
    };
    CHECK(behind().empty());

    f.svc.policies.attach_managed(f.instance, ps, read_only);
    CHECK(behind() == std::vector<std::string>{account});

    auto const provision =
        f.svc.provisioning.provision({"aws", owner}, f.instance, ps, std::nullopt);
    f.svc.lifecycle.settle(core::format_uuid(provision.id), core::request_status::succeeded,
                           std::nullopt);
    CHECK(behind().empty());

    f.svc.tags.add(f.instance, ps, {{"k", "v"}}); // tags are not content
    CHECK(behind().empty());
}

TEST_CASE("tags overwrite values, untag ignores absent keys, and a resource has at most 50",
          "[core]") {
    fixture f;
    auto const ps = f.make_permission_set("Tagged", {{"env", "dev"}, {"team", "a"}});
    CHECK(f.tag_keys(ps) == std::vector<std::string>{"env=dev", "team=a"});

    f.svc.tags.add(f.instance, ps, {{"env", "prod"}, {"cost", "1"}});
    CHECK(f.tag_keys(ps) == std::vector<std::string>{"env=prod", "team=a", "cost=1"});
    f.svc.tags.remove(f.instance, ps, {"team", "absent"});
    CHECK(f.tag_keys(ps) == std::vector<std::string>{"env=prod", "cost=1"});
    CHECK(f.version(ps) == 1);

    SECTION("the instance has its own tags") {
        f.svc.tags.add(f.instance, std::nullopt, {{"env", "instance"}});
        CHECK(f.tag_keys(std::nullopt) == std::vector<std::string>{"env=instance"});
        CHECK(f.tag_keys(ps) == std::vector<std::string>{"env=prod", "cost=1"});
    }
    SECTION("the 51st key is refused, an overwrite at 50 is not") {
        std::vector<core::tag> many;
        for (int i = 0; i < 48; ++i)
            many.push_back({"k" + std::to_string(i), "v"});
        f.svc.tags.add(f.instance, ps, many);
        CHECK(f.svc.tags.list(f.instance, ps, {}).items.size() == 50);
        REQUIRE_THROWS_MATCHES(f.svc.tags.add(f.instance, ps, {{"one-more", "v"}}), core::error,
                               is_error(errc::quota_exceeded, reason::none));
        f.svc.tags.add(f.instance, ps, {{"env", "again"}, {"env", "twice"}});
        CHECK(f.svc.tags.list(f.instance, ps, {}).items.size() == 50);
        CHECK(f.tag_keys(ps).front() == "env=twice");
    }
    SECTION("a request with more than 50 new keys is refused whole") {
        std::vector<core::tag> many;
        for (int i = 0; i < 49; ++i)
            many.push_back({"k" + std::to_string(i), "v"});
        REQUIRE_THROWS_MATCHES(f.svc.tags.add(f.instance, ps, many), core::error,
                               is_error(errc::quota_exceeded, reason::none));
        CHECK(f.svc.tags.list(f.instance, ps, {}).items.size() == 2);
        many.push_back({"k49", "v"});
        many.push_back({"k50", "v"});
        REQUIRE_THROWS_MATCHES(f.make_permission_set("TooMany", many), core::error,
                               is_error(errc::quota_exceeded, reason::none));
        CHECK(f.svc.permission_sets.list(f.instance, {}).items.size() == 1);
    }
    SECTION("tags of an unknown permission set are not found") {
        REQUIRE_THROWS_MATCHES(f.svc.tags.list(f.instance, "0123456789abcdef", {}), core::error,
                               is_error(errc::not_found, reason::permission_set_not_found));
    }
}

TEST_CASE("tags page in the order their keys were first set", "[core]") {
    fixture f;
    std::vector<core::tag> tags;
    for (int i = 0; i < 5; ++i)
        tags.push_back({"k" + std::to_string(i), std::to_string(i)});
    f.svc.tags.add(f.instance, std::nullopt, tags);
    auto const first = f.svc.tags.list(f.instance, std::nullopt, {3, std::nullopt});
    REQUIRE(first.items.size() == 3);
    REQUIRE(first.next_token.has_value());
    auto const second = f.svc.tags.list(f.instance, std::nullopt, {3, first.next_token});
    REQUIRE(second.items.size() == 2);
    CHECK(second.items[1].key == "k4");
    CHECK_FALSE(second.next_token.has_value());
    // A token is bound to its resource.
    auto const ps = f.make_permission_set();
    REQUIRE_THROWS_MATCHES(f.svc.tags.list(f.instance, ps, {3, first.next_token}), core::error,
                           is_error(errc::invalid_argument, reason::invalid_token));
}

TEST_CASE("deleting a permission set deletes its policies and tags", "[core]") {
    fixture f;
    auto const ps = f.make_permission_set("Doomed", {{"k", "v"}});
    auto const kept = f.make_permission_set("Kept", {{"k", "v"}});
    f.svc.policies.attach_managed(f.instance, ps, read_only);
    f.svc.policies.attach_customer_managed(f.instance, ps, {"Mine"});
    f.svc.policies.attach_managed(f.instance, kept, read_only);
    f.svc.permission_sets.remove(f.instance, ps);
    CHECK(f.count("SELECT count(*) FROM tags") == 1);
    CHECK(f.count("SELECT count(*) FROM managed_policies") == 1);
    CHECK(f.count("SELECT count(*) FROM customer_policies") == 0);
}

TEST_CASE("an account owns at most one instance; instances are created, renamed and deleted",
          "[core]") {
    fixture f;
    REQUIRE_THROWS_MATCHES(
        f.svc.instances.create({"aws", owner}, std::nullopt), core::error,
        is_error(errc::conflict, reason::instance_exists,
                 "An instance of IAM Identity Center already exists for account 123456789012."));

    auto const created = f.svc.instances.create({"aws", account}, "Mine", {{"env", "test"}});
    CHECK(created.owner_account == account);
    CHECK(created.status == "ACTIVE");
    CHECK(created.name == "Mine");
    CHECK(created.created_ms == f.wall_ms);
    CHECK(created.id.size() == 16);
    CHECK(created.id != f.instance);
    REQUIRE(created.identity_store_id.size() == 12);
    CHECK(created.identity_store_id.starts_with("d-"));
    CHECK(f.svc.instances.describe(created.id).row.owner_account == account);
    CHECK(f.svc.tags.list(created.id, std::nullopt, {}).items.size() == 1);
    REQUIRE_THROWS_MATCHES(f.svc.instances.create({"aws", account}, std::nullopt), core::error,
                           is_error(errc::conflict, reason::instance_exists));

    f.svc.instances.update(created.id, "Renamed");
    CHECK(f.svc.instances.describe(created.id).row.name == "Renamed");
    f.svc.instances.update(created.id, std::nullopt); // an absent name keeps it
    CHECK(f.svc.instances.describe(created.id).row.name == "Renamed");

    SECTION("delete erases the instance and everything in it") {
        auto const ps = f.svc.permission_sets
                            .create(created.id, {"InNew", std::nullopt, std::nullopt, std::nullopt},
                                    {{"k", "v"}})
                            .id;
        f.svc.policies.attach_managed(created.id, ps, read_only);
        auto const request =
            f.svc.assignments.create({"aws", account}, created.id, {ps, owner, "USER", "u"});
        REQUIRE_THROWS_MATCHES(f.svc.instances.remove(created.id), core::error,
                               is_error(errc::conflict, reason::in_flight, conflicting));
        f.svc.lifecycle.settle(core::format_uuid(request.id), core::request_status::succeeded,
                               std::nullopt);
        f.svc.instances.remove(created.id);
        REQUIRE_THROWS_MATCHES(f.svc.instances.describe(created.id), core::error,
                               is_error(errc::not_found, reason::instance_not_found));
        CHECK(f.count("SELECT count(*) FROM permission_sets") == 0);
        CHECK(f.count("SELECT count(*) FROM assignments") == 0);
        CHECK(f.count("SELECT count(*) FROM provisioned") == 0);
        CHECK(f.count("SELECT count(*) FROM managed_policies") == 0);
        CHECK(f.count("SELECT count(*) FROM tags") == 0);
        CHECK(f.count("SELECT count(*) FROM requests") == 0);
        // The account may create a new one; the first instance is untouched.
        f.svc.instances.create({"aws", account}, std::nullopt);
        CHECK(f.svc.instances.list({}).items.size() == 2);
    }
    SECTION("unknown instances are not found") {
        REQUIRE_THROWS_MATCHES(f.svc.instances.update("0123456789abcdef", "x"), core::error,
                               is_error(errc::not_found, reason::instance_not_found));
        REQUIRE_THROWS_MATCHES(f.svc.instances.remove("0123456789abcdef"), core::error,
                               is_error(errc::not_found, reason::instance_not_found));
    }
}

} // namespace
