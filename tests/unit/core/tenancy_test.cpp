#include <catch2/catch.hpp>
#include <string>

#include "api/core/error.hpp"
#include "api/core/service.hpp"
#include "store/database.hpp"
#include "tests/support/core_error.hpp"
#include "tests/support/fixed_clock.hpp"

namespace {

namespace core = icemu::api::core;
namespace store = icemu::store;
using icemu::test::core_error;
using icemu::test::fixed_clock;

// SHA-256("icemu-instance:<owner>")[:16], as in service_test.cpp.
constexpr char const* alice_instance = "560aa041748d679e"; // owner 123456789012
constexpr char const* bob_instance = "3135a6abb8060144";   // owner 210987654321

core::caller const alice{"aws", "123456789012"};
core::caller const bob{"huawei", "210987654321"};
core::caller const nobody{"aws", "999999999999"};

// A service with two instances of two owners, tenancy enforced or not.
struct harness {
    explicit harness(bool tenancy) : svc(db, time.clock, options(tenancy)) {
        svc.instances.ensure_initial_state();
    }
    static core::service_options options(bool tenancy) {
        core::service_options out;
        out.scheduler.mode = core::scheduler_mode::manual;
        out.instances = {{"123456789012", "", "", ""}, {"210987654321", "", "", ""}};
        out.enforce_tenancy = tenancy;
        return out;
    }

    fixed_clock time;
    store::database db{{}};
    core::service svc;
};

std::string denial(std::string const& account, std::string const& operation,
                   std::string const& instance) {
    return "User: arn:aws:iam::" + account +
           ":root is not authorized to perform: sso:" + operation +
           " on resource: arn:aws:sso:::instance/ssoins-" + instance +
           " because no resource-based policy allows the sso:" + operation + " action";
}

} // namespace

TEST_CASE("tenancy: only the owner account may act on an instance", "[core][tenancy]") {
    harness h(true);
    CHECK(h.svc.tenancy.enforced());
    CHECK_NOTHROW(h.svc.tenancy.authorize(alice, "DescribeInstance", alice_instance));
    CHECK_NOTHROW(h.svc.tenancy.authorize(bob, "ListPermissionSets", bob_instance));
    REQUIRE_THROWS_MATCHES(h.svc.tenancy.authorize(bob, "DescribeInstance", alice_instance),
                           core::error,
                           core_error(core::errc::access_denied, core::reason::not_owner,
                                      denial("210987654321", "DescribeInstance", alice_instance)));
    REQUIRE_THROWS_MATCHES(
        h.svc.tenancy.authorize(nobody, "ProvisionPermissionSet", bob_instance), core::error,
        core_error(core::errc::access_denied, core::reason::not_owner,
                   denial("999999999999", "ProvisionPermissionSet", bob_instance)));
    // An unknown instance is the operation's not_found, not a denial.
    CHECK_NOTHROW(h.svc.tenancy.authorize(bob, "DescribeInstance", "0000000000000000"));
}

TEST_CASE("tenancy: a permission set known by id alone is its instance's", "[core][tenancy]") {
    harness h(true);
    auto const ps = h.svc.permission_sets.create(alice_instance, {"ReadOnly", {}, {}, {}}, {});
    CHECK_NOTHROW(h.svc.tenancy.authorize_permission_set(alice, "ListTagsForResource", ps.id));
    REQUIRE_THROWS_MATCHES(
        h.svc.tenancy.authorize_permission_set(bob, "ListTagsForResource", ps.id), core::error,
        core_error(core::errc::access_denied, core::reason::not_owner,
                   denial("210987654321", "ListTagsForResource", alice_instance)));
    CHECK_NOTHROW(h.svc.tenancy.authorize_permission_set(bob, "TagResource", "0123456789abcdef"));
}

TEST_CASE("tenancy: ListInstances lists the caller's instance only", "[core][tenancy]") {
    harness h(true);
    auto page = h.svc.instances.list(alice, {});
    REQUIRE(page.items.size() == 1);
    CHECK(page.items[0].id == alice_instance);
    CHECK_FALSE(page.next_token);
    page = h.svc.instances.list(bob, {});
    REQUIRE(page.items.size() == 1);
    CHECK(page.items[0].id == bob_instance);
    CHECK(h.svc.instances.list(nobody, {}).items.empty());
    // Without a caller (the admin side, fixtures) every instance is listed.
    CHECK(h.svc.instances.list({}).items.size() == 2);
    // A token is still checked (bound to ListInstances), and ends the one-item list.
    auto const open_page = h.svc.instances.list({1, std::nullopt});
    REQUIRE(open_page.next_token);
    CHECK(h.svc.instances.list(alice, {1, open_page.next_token}).items.empty());
    CHECK_THROWS_AS(h.svc.instances.list(alice, {1, "not-a-token"}), core::error);
}

TEST_CASE("tenancy: off in the open mode, nothing is filtered or denied", "[core][tenancy]") {
    harness h(false);
    CHECK_FALSE(h.svc.tenancy.enforced());
    CHECK_NOTHROW(h.svc.tenancy.authorize(bob, "DescribeInstance", alice_instance));
    CHECK_NOTHROW(
        h.svc.tenancy.authorize_permission_set(nobody, "TagResource", "0123456789abcdef"));
    CHECK(h.svc.instances.list(nobody, {}).items.size() == 2);
}
