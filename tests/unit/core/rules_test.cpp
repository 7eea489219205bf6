#include "api/core/rules.hpp"

#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/core/service.hpp"
#include "store/database.hpp"
#include "tests/support/fixed_clock.hpp"

namespace {

namespace core = icemu::api::core;
namespace store = icemu::store;
using core::request_kind;
using core::request_status;
using icemu::test::fixed_clock;

// SHA-256("icemu-instance:123456789012")[:16]: the default instance.
constexpr char const* instance = "560aa041748d679e";

core::fault_rule outcome_rule(core::fault_match match, core::fault_outcome outcome = {}) {
    core::fault_rule rule;
    rule.match = std::move(match);
    rule.outcome = std::move(outcome);
    return rule;
}

core::fault_rule error_rule(core::fault_match match, core::fault_code code,
                            std::optional<std::int64_t> times = std::nullopt) {
    core::fault_rule rule;
    rule.match = std::move(match);
    rule.error = core::fault_error{code, 0};
    rule.times = times;
    return rule;
}

core::fault_match on_operation(std::string operation) {
    core::fault_match m;
    m.operation = std::move(operation);
    return m;
}

core::call_facts call(std::string_view operation, std::string_view account = {}) {
    core::call_facts f;
    f.operation = operation;
    f.surface = "aws";
    f.kind = core::kind_of_operation(operation);
    f.account_id = account;
    return f;
}

struct harness {
    explicit harness(std::uint64_t seed = 0, std::vector<core::fault_rule> configured = {})
        : svc(db, time.clock, options(seed, std::move(configured))) {
        svc.instances.ensure_initial_state();
    }

    static core::service_options options(std::uint64_t seed,
                                         std::vector<core::fault_rule> configured) {
        core::service_options out;
        out.scheduler.mode = core::scheduler_mode::manual;
        out.scheduler.seed = seed;
        out.instances = {{"123456789012", "", "", ""}};
        out.faults = std::move(configured);
        return out;
    }

    std::string permission_set(std::string const& name) {
        return svc.permission_sets
            .create(instance, {name, std::nullopt, std::nullopt, std::nullopt})
            .id;
    }
    core::async_request provision(std::string const& ps, std::string const& account) {
        return svc.provisioning.provision({"aws", "123456789012"}, instance, ps, account);
    }
    core::async_request stored(core::request_id const& id) {
        for (auto const& row : svc.control.admin_requests({}))
            if (row.id == id)
                return row;
        FAIL("request not stored");
        return {};
    }

    fixed_clock time;
    store::database db{{}};
    core::service svc;
};

} // namespace

TEST_CASE("glob_match knows * and ? and nothing else", "[core]") {
    CHECK(core::glob_match("Broken*", "Broken"));
    CHECK(core::glob_match("Broken*", "BrokenAdmin"));
    CHECK_FALSE(core::glob_match("Broken*", "broken"));
    CHECK(core::glob_match("*Admin", "ReadAdmin"));
    CHECK(core::glob_match("*", ""));
    CHECK(core::glob_match("R?ad*Only", "ReadOnlyOnly"));
    CHECK_FALSE(core::glob_match("R?ad", "Rad"));
    CHECK(core::glob_match("a*b*c", "a-x-b-y-b-c"));
    CHECK_FALSE(core::glob_match("a*b*c", "a-x-b-y-b-d"));
    CHECK(core::glob_match("[x]", "[x]")); // brackets are plain characters
    CHECK_FALSE(core::glob_match("", "x"));
    CHECK(core::glob_match("**a", "bba"));
}

TEST_CASE("fault codes and operation kinds round-trip", "[core]") {
    for (auto const code : {core::fault_code::throttling, core::fault_code::internal,
                            core::fault_code::access_denied, core::fault_code::conflict})
        CHECK(core::parse_fault_code(core::to_string(code)) == code);
    CHECK_FALSE(core::parse_fault_code("ValidationException"));
    CHECK(core::kind_of_operation("CreateAccountAssignment") == request_kind::assignment_create);
    CHECK_FALSE(core::kind_of_operation("ListInstances"));
}

TEST_CASE("error rules: first match wins, times runs out, hits count", "[core]") {
    core::fault_rules rules;
    core::fault_match throttled = on_operation("ListPermissionSets");
    core::fault_match denied_b = on_operation("ListPermissionSets");
    denied_b.account_id = "222222222222";
    rules.replace_runtime({error_rule(throttled, core::fault_code::throttling, 2),
                           error_rule(denied_b, core::fault_code::access_denied)});
    core::seeded_random random(1);

    CHECK(rules.match_error(call("ListPermissionSets"), random, {})->code ==
          core::fault_code::throttling);
    CHECK(rules.match_error(call("ListPermissionSets", "222222222222"), random, {})->code ==
          core::fault_code::throttling);
    // The first rule is used up: the second applies to its account only.
    CHECK(rules.match_error(call("ListPermissionSets", "222222222222"), random, {})->code ==
          core::fault_code::access_denied);
    CHECK_FALSE(rules.match_error(call("ListPermissionSets", "111111111111"), random, {}));
    CHECK_FALSE(rules.match_error(call("ListPermissionSets"), random, {}));
    CHECK_FALSE(rules.match_error(call("ListInstances"), random, {}));
    REQUIRE(rules.all().size() == 2);
    CHECK(rules.all()[0].hits == 2);
    CHECK(rules.all()[1].hits == 1);
    // Outcome rules never answer calls, and error rules never decide outcomes.
    CHECK_FALSE(rules.match_outcome(call("ListPermissionSets"), random, {}));
}

TEST_CASE("a match key the call does not name does not hold", "[core]") {
    core::fault_rules rules;
    core::fault_match m;
    m.principal_id = "user-1";
    rules.replace_runtime({error_rule(m, core::fault_code::conflict)});
    core::seeded_random random;
    CHECK_FALSE(rules.match_error(call("CreateAccountAssignment"), random, {}));
    auto facts = call("CreateAccountAssignment");
    facts.principal_id = "user-1";
    CHECK(rules.match_error(facts, random, {}));
}

TEST_CASE("permission_set_name globs look the name up once, only when asked", "[core]") {
    core::fault_rules rules;
    core::fault_match m;
    m.permission_set_name = "Broken*";
    rules.replace_runtime({error_rule(m, core::fault_code::internal)});
    core::seeded_random random;
    int lookups = 0;
    auto lookup = [&](std::string_view, std::string_view ps) -> std::optional<std::string> {
        ++lookups;
        return ps == "aaaaaaaaaaaaaaaa" ? "BrokenAdmin" : "ReadOnly";
    };
    auto facts = call("DescribePermissionSet");
    CHECK_FALSE(rules.match_error(facts, random, lookup)); // no permission set named
    CHECK(lookups == 0);
    facts.instance_id = instance;
    facts.permission_set_id = "aaaaaaaaaaaaaaaa";
    CHECK(rules.match_error(facts, random, lookup));
    facts.permission_set_id = "bbbbbbbbbbbbbbbb";
    CHECK_FALSE(rules.match_error(facts, random, lookup));
    CHECK(lookups == 2);
}

TEST_CASE("probability draws depend only on the seed and the order of calls", "[core]") {
    auto run = [](std::uint64_t seed) {
        core::fault_rules rules;
        core::fault_match m = on_operation("ListInstances");
        m.probability = 0.5;
        rules.replace_runtime({error_rule(m, core::fault_code::throttling)});
        core::seeded_random random(seed);
        std::string pattern;
        for (int i = 0; i < 64; ++i) {
            // Calls the rule does not match draw nothing.
            (void)rules.match_error(call("ListPermissionSets"), random, {});
            pattern += rules.match_error(call("ListInstances"), random, {}) ? 'x' : '.';
        }
        return pattern;
    };
    auto const first = run(7);
    CHECK(first == run(7));
    CHECK(first != run(8));
    auto const hits = std::count(first.begin(), first.end(), 'x');
    CHECK(hits > 16);
    CHECK(hits < 48);

    core::fault_rules edges;
    core::fault_match never = on_operation("ListInstances");
    never.probability = 0.0;
    core::fault_match always = on_operation("ListInstances");
    always.probability = 1.0;
    edges.replace_runtime({error_rule(never, core::fault_code::throttling),
                           error_rule(always, core::fault_code::conflict)});
    core::seeded_random random(3);
    for (int i = 0; i < 20; ++i)
        CHECK(edges.match_error(call("ListInstances"), random, {})->code ==
              core::fault_code::conflict);
}

TEST_CASE("configured rules come first and survive reset; run-time rules do not", "[core]") {
    core::fault_rules rules;
    rules.replace_runtime({error_rule(on_operation("ListInstances"), core::fault_code::conflict)});
    rules.set_configured(
        {error_rule(on_operation("ListInstances"), core::fault_code::throttling, 1)});
    REQUIRE(rules.all().size() == 2);
    CHECK(rules.all()[0].source == core::rule_source::config);
    CHECK(rules.all()[1].source == core::rule_source::runtime);
    core::seeded_random random;
    CHECK(rules.match_error(call("ListInstances"), random, {})->code ==
          core::fault_code::throttling);
    CHECK(rules.match_error(call("ListInstances"), random, {})->code == core::fault_code::conflict);

    rules.reset();
    REQUIRE(rules.all().size() == 1);
    CHECK(rules.all()[0].hits == 0);
    CHECK(rules.match_error(call("ListInstances"), random, {})->code ==
          core::fault_code::throttling);
    rules.clear_runtime();
    CHECK(rules.all().size() == 1);
    CHECK(rules.has_error_rules());
}

TEST_CASE("an outcome rule fails provisioning to one account while others succeed", "[core]") {
    harness h;
    core::fault_match m;
    m.kind = request_kind::provision;
    m.account_id = "999999999999";
    h.svc.faults.replace_rules({outcome_rule(m, {request_status::failed, "Received a 403"})});
    auto const ps = h.permission_set("Ops");
    auto const bad = h.provision(ps, "999999999999");
    auto const good = h.provision(ps, "111111111111");
    CHECK(bad.status == request_status::in_progress); // the answer still says IN_PROGRESS
    h.svc.control.update_scheduler([] {
        core::scheduler_update u;
        u.mode = core::scheduler_mode::automatic;
        u.delay_min_ms = 0;
        u.delay_max_ms = 0;
        return u;
    }());
    h.svc.lifecycle.settle_due();
    auto const failed = h.stored(bad.id);
    CHECK(failed.status == request_status::failed);
    CHECK(failed.failure_reason == "Received a 403");
    CHECK(h.stored(good.id).status == request_status::succeeded);
    CHECK(h.svc.faults.rules().all()[0].hits == 1);
}

TEST_CASE("a stuck outcome rule holds the request until settled by hand", "[core]") {
    core::fault_match m;
    m.operation = "ProvisionPermissionSet";
    harness h(0, {outcome_rule(m, {request_status::in_progress, ""})});
    h.svc.control.update_scheduler([] {
        core::scheduler_update u;
        u.mode = core::scheduler_mode::automatic;
        u.delay_min_ms = 0;
        u.delay_max_ms = 0;
        return u;
    }());
    auto const ps = h.permission_set("Stuck");
    auto const row = h.provision(ps, "111111111111");
    auto const stored = h.stored(row.id);
    CHECK(stored.settle_by == core::settle_mode::held);
    CHECK_FALSE(stored.due_ms);
    h.svc.lifecycle.advance_clock(24 * 3600 * 1000);
    CHECK(h.stored(row.id).status == request_status::in_progress);
    // A change of mode leaves it held.
    h.svc.control.update_scheduler([] {
        core::scheduler_update u;
        u.mode = core::scheduler_mode::polls;
        return u;
    }());
    CHECK(h.svc.provisioning
              .describe_request(instance, core::format_uuid(row.id), request_kind::provision)
              .status == request_status::in_progress);
    h.svc.lifecycle.settle(core::format_uuid(row.id), request_status::succeeded, std::nullopt);
    CHECK(h.stored(row.id).status == request_status::succeeded);

    // The configured rule survives a reset, with its hits back to 0.
    REQUIRE(h.svc.faults.rules().all().size() == 1);
    CHECK(h.svc.faults.rules().all()[0].hits == 1);
    h.svc.faults.replace_rules({outcome_rule(on_operation("CreateAccountAssignment"))});
    CHECK(h.svc.faults.rules().all().size() == 2);
    h.svc.control.reset(std::nullopt);
    REQUIRE(h.svc.faults.rules().all().size() == 1);
    CHECK(h.svc.faults.rules().all()[0].source == core::rule_source::config);
    CHECK(h.svc.faults.rules().all()[0].hits == 0);
}

TEST_CASE("outcome probability: same seed and requests give the same outcomes", "[core]") {
    auto run = [](std::uint64_t seed) {
        core::fault_match m;
        m.kind = request_kind::provision;
        m.probability = 0.5;
        harness h(seed, {outcome_rule(m)});
        auto const ps = h.permission_set("Coin");
        std::string pattern;
        for (int i = 0; i < 24; ++i) {
            auto const account = std::to_string(100000000000 + i);
            auto const row = h.provision(ps, account);
            h.svc.lifecycle.settle(core::format_uuid(row.id), request_status::succeeded,
                                   std::nullopt);
            pattern += h.stored(row.id).planned_status == request_status::failed ? 'F' : 'S';
        }
        return pattern;
    };
    auto const first = run(42);
    CHECK(first == run(42));
    CHECK(first != run(43));
    CHECK(first.find('F') != std::string::npos);
    CHECK(first.find('S') != std::string::npos);
}
