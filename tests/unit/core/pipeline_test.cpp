#include "api/core/pipeline.hpp"

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <exception>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/core/error.hpp"
#include "api/core/service.hpp"
#include "store/database.hpp"
#include "store/error.hpp"
#include "tests/support/core_error.hpp"
#include "tests/support/fixed_clock.hpp"

namespace {

namespace core = icemu::api::core;
namespace store = icemu::store;
using icemu::test::core_error;
using icemu::test::fixed_clock;
using namespace std::chrono_literals;

// SHA-256("icemu-instance:<owner>")[:16], as in service_test.cpp.
constexpr char const* alice_instance = "560aa041748d679e"; // owner 123456789012

core::caller const alice{"aws", "123456789012"};
core::caller const bob{"huawei", "210987654321"};

struct harness {
    explicit harness(bool tenancy, std::vector<core::fault_rule> faults = {})
        : svc(db, time.clock, options(tenancy, std::move(faults))) {
        svc.instances.ensure_initial_state();
    }
    static core::service_options options(bool tenancy, std::vector<core::fault_rule> faults) {
        core::service_options out;
        out.scheduler.mode = core::scheduler_mode::manual;
        out.instances = {{"123456789012", "", "", ""}, {"210987654321", "", "", ""}};
        out.enforce_tenancy = tenancy;
        out.faults = std::move(faults);
        return out;
    }

    fixed_clock time;
    store::database db{{}};
    core::service svc;
};

// A call that records the steps the pipeline asks of it, in order.
class recording_call final : public core::call {
public:
    explicit recording_call(core::caller by, core::tenancy_targets targets = {})
        : call(std::move(by), "DescribeInstance"), targets_(targets) {}

    mutable std::vector<std::string> steps; // facts(), fault() and targets() are const
    std::function<void()> body = [] {};
    std::function<void()> checks = [] {};

    core::call_facts facts() const override {
        steps.push_back("facts");
        core::call_facts out;
        out.operation = operation;
        out.surface = who.surface;
        out.instance_id = alice_instance;
        return out;
    }
    core::error fault(core::fault_code code) const override {
        steps.push_back("fault");
        return {core::errc::throttled, "surface text for " + std::string(core::to_string(code))};
    }
    void check() override {
        steps.push_back("check");
        checks();
    }
    core::tenancy_targets targets() const override {
        steps.push_back("targets");
        return targets_;
    }
    void run(core::service&) override {
        steps.push_back("run");
        body();
    }

private:
    core::tenancy_targets targets_;
};

core::tenancy_targets instances(std::string_view first, std::string_view second = {}) {
    core::tenancy_targets out;
    out.instance_ids = {first, second};
    return out;
}

core::tenancy_targets permission_set(std::string_view id) {
    core::tenancy_targets out;
    out.permission_set_id = id;
    return out;
}

core::permission_set_input admins() {
    core::permission_set_input out;
    out.name = "Admins";
    return out;
}

core::fault_rule throttle_alice(std::int64_t latency_ms) {
    core::fault_rule rule;
    rule.match.instance_id = alice_instance;
    rule.error = core::fault_error{core::fault_code::throttling, latency_ms};
    return rule;
}

} // namespace

TEST_CASE("pipeline: without rules or tenancy, the checks then the call", "[core][pipeline]") {
    harness h(false);
    recording_call c(alice, instances(alice_instance));
    auto delay = 0ms;
    core::run_call(h.svc, c, delay);
    CHECK(c.steps == std::vector<std::string>{"check", "run"});
    CHECK(delay == 0ms);
}

TEST_CASE("pipeline: a matching error rule answers before the checks, after its latency",
          "[core][pipeline]") {
    harness h(false, {throttle_alice(250)});
    recording_call c(alice);
    auto delay = 0ms;
    REQUIRE_THROWS_MATCHES(core::run_call(h.svc, c, delay), core::error,
                           core_error(core::errc::throttled, core::reason::none,
                                      "surface text for ThrottlingException"));
    CHECK(c.steps == std::vector<std::string>{"facts", "fault"});
    CHECK(delay == 250ms);
}

TEST_CASE("pipeline: an error rule that does not match lets the call run", "[core][pipeline]") {
    auto rule = throttle_alice(250);
    rule.match.surface = "huawei";
    harness h(false, {rule});
    recording_call c(alice);
    auto delay = 0ms;
    core::run_call(h.svc, c, delay);
    CHECK(c.steps == std::vector<std::string>{"facts", "check", "run"});
    CHECK(delay == 0ms);
}

TEST_CASE("pipeline: a failed check stops the call before tenancy", "[core][pipeline]") {
    harness h(true);
    recording_call c(bob, instances(alice_instance));
    c.checks = [] { throw core::error(core::errc::invalid_argument, "bad input"); };
    auto delay = 0ms;
    REQUIRE_THROWS_MATCHES(
        core::run_call(h.svc, c, delay), core::error,
        core_error(core::errc::invalid_argument, core::reason::none, "bad input"));
    CHECK(c.steps == std::vector<std::string>{"check"});
}

TEST_CASE("pipeline: tenancy refuses another account's instance", "[core][pipeline]") {
    harness h(true);
    SECTION("the owner's call runs") {
        recording_call c(alice, instances(alice_instance));
        auto delay = 0ms;
        core::run_call(h.svc, c, delay);
        CHECK(c.steps == std::vector<std::string>{"check", "targets", "run"});
    }
    SECTION("the second instance named is authorized too") {
        recording_call c(bob, instances("", alice_instance));
        auto delay = 0ms;
        REQUIRE_THROWS_AS(core::run_call(h.svc, c, delay), core::error);
        CHECK(c.steps == std::vector<std::string>{"check", "targets"});
    }
    SECTION("a permission set named alone is authorized by its instance") {
        auto const ps = h.svc.permission_sets.create(alice_instance, admins()).id;
        recording_call c(bob, permission_set(ps));
        auto delay = 0ms;
        try {
            core::run_call(h.svc, c, delay);
            FAIL("the call ran");
        } catch (core::error const& e) {
            CHECK(e.code() == core::errc::access_denied);
            CHECK(e.why() == core::reason::not_owner);
        }
        CHECK(c.steps == std::vector<std::string>{"check", "targets"});
    }
}

TEST_CASE("pipeline: without tenancy, no target is asked for", "[core][pipeline]") {
    harness h(false);
    recording_call c(bob, instances(alice_instance));
    auto delay = 0ms;
    core::run_call(h.svc, c, delay);
    CHECK(c.steps == std::vector<std::string>{"check", "run"});
}

TEST_CASE("pipeline: a storage failure becomes a core error", "[core][pipeline]") {
    harness h(false);
    recording_call c(alice);
    auto delay = 0ms;
    auto const fails_with = [&](int code) {
        c.body = [code] { throw store::sqlite_error(code, "INSERT INTO secret_table ..."); };
    };
    SECTION("a full store") {
        fails_with(SQLITE_FULL);
        REQUIRE_THROWS_MATCHES(
            core::run_call(h.svc, c, delay), core::error,
            core_error(core::errc::internal, core::reason::store_full, "The store is full."));
    }
    SECTION("a read-only store, by an extended code") {
        fails_with(SQLITE_READONLY_DBMOVED);
        REQUIRE_THROWS_MATCHES(core::run_call(h.svc, c, delay), core::error,
                               core_error(core::errc::internal, core::reason::store_read_only,
                                          "The store is read-only."));
    }
    SECTION("any other failure, without the storage's text") {
        fails_with(SQLITE_IOERR_WRITE);
        REQUIRE_THROWS_MATCHES(core::run_call(h.svc, c, delay), core::error,
                               core_error(core::errc::internal, core::reason::store_failed,
                                          "An internal error occurred."));
    }
}

TEST_CASE("pipeline: other exceptions pass through unchanged", "[core][pipeline]") {
    harness h(false);
    recording_call c(alice);
    c.body = [] { throw std::logic_error("not a storage failure"); };
    auto delay = 0ms;
    REQUIRE_THROWS_AS(core::run_call(h.svc, c, delay), std::logic_error);
}

TEST_CASE("pipeline: storage_error_of tells storage failures from others", "[core][pipeline]") {
    auto const of = [](auto failure) {
        return core::storage_error_of(std::make_exception_ptr(failure));
    };
    auto const full = of(store::sqlite_error(SQLITE_FULL, "disk"));
    REQUIRE(full);
    CHECK(full->why() == core::reason::store_full);
    CHECK(core::is_storage_failure(full->why()));
    CHECK_FALSE(of(std::runtime_error("other")));
    CHECK_FALSE(of(core::error(core::errc::internal, "core")));
    CHECK_FALSE(core::is_storage_failure(core::reason::none));
    CHECK_FALSE(core::is_storage_failure(core::reason::not_owner));
}
