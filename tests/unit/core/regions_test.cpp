// The Regions of an instance (core::add_region and the rest): the configured primary Region
// first, added Regions moved ADDING -> ACTIVE and REMOVING -> gone by their REGION requests.
#include "api/core/regions.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/core/error.hpp"
#include "api/core/service.hpp"
#include "store/database.hpp"

namespace {

namespace core = icemu::api::core;
namespace store = icemu::store;
using core::request_kind;
using core::request_status;

constexpr std::string_view owner = "123456789012";

struct fixture {
    explicit fixture(core::scheduler_mode mode = core::scheduler_mode::manual,
                     std::int64_t delay_ms = 1000, std::int64_t polls = 1,
                     std::string primary = "eu-west-1")
        : svc(db, time, options(mode, delay_ms, polls, std::move(primary))) {
        svc.instances.ensure_initial_state();
        instance = svc.instances.list({}).items.at(0).id;
    }
    static core::service_options options(core::scheduler_mode mode, std::int64_t delay_ms,
                                         std::int64_t polls, std::string primary) {
        core::service_options out;
        out.scheduler.mode = mode;
        out.scheduler.delay_min_ms = out.scheduler.delay_max_ms = delay_ms;
        out.scheduler.polls = polls;
        out.instances.push_back({std::string(owner), "", "", ""});
        out.primary_region = std::move(primary);
        return out;
    }
    std::string status(std::string_view name) {
        return std::string(core::describe_region(svc, instance, name).status);
    }
    // "name:STATUS" of every Region, page after page of `limit`.
    std::vector<std::string> listed(std::int64_t limit = 100) {
        std::vector<std::string> out;
        core::page_request page{limit, std::nullopt};
        do {
            auto const got = core::list_regions(svc, instance, page);
            for (auto const& r : got.items)
                out.push_back(r.name + ":" + std::string(r.status) + (r.primary ? ":primary" : ""));
            page.token = got.next_token;
        } while (page.token);
        return out;
    }
    std::string region_request() {
        core::request_filter filter;
        filter.kind = request_kind::region;
        filter.status = request_status::in_progress;
        auto const rows = svc.control.admin_requests(filter);
        REQUIRE(rows.size() == 1);
        return core::format_uuid(rows[0].id);
    }

    std::int64_t wall_ms = 1'700'000'000'000;
    core::clock time{[this] { return wall_ms; }};
    store::database db{store::database_options{}};
    core::service svc;
    std::string instance;
    core::caller who{"aws", std::string(owner)};
};

auto is_error(core::errc code, std::string const& text) {
    return Catch::Predicate<core::error>(
        [=](core::error const& e) { return e.code() == code && e.what() == text; },
        "core::error(" + std::to_string(static_cast<int>(code)) + ", " + text + ")");
}

} // namespace

TEST_CASE("the primary Region is the configured one, ACTIVE since the instance was created",
          "[core][regions]") {
    fixture f;
    auto const primary = core::describe_region(f.svc, f.instance, "eu-west-1");
    CHECK(primary.status == "ACTIVE");
    CHECK(primary.primary);
    CHECK(primary.added_ms == f.svc.instances.describe(f.instance).row.created_ms);
    CHECK(f.listed() == std::vector<std::string>{"eu-west-1:ACTIVE:primary"});
    CHECK_THROWS_MATCHES(
        core::describe_region(f.svc, f.instance, "us-east-1"), core::error,
        is_error(core::errc::not_found, "Region us-east-1 is not enabled for the instance."));
    CHECK_THROWS_MATCHES(
        core::remove_region(f.svc, f.who, f.instance, "eu-west-1"), core::error,
        is_error(core::errc::invalid_argument, "The primary Region eu-west-1 cannot be removed."));
    CHECK_THROWS_MATCHES(
        core::add_region(f.svc, f.who, f.instance, "eu-west-1"), core::error,
        is_error(core::errc::conflict, "Region eu-west-1 is already enabled for the instance."));
    CHECK(core::list_regions(f.svc, "0000000000000000", {}).items.empty());
    CHECK_THROWS_AS(core::describe_region(f.svc, "0000000000000000", "eu-west-1"), core::error);
}

TEST_CASE("an added Region is ADDING until its request succeeds, REMOVING until it is gone",
          "[core][regions]") {
    fixture f;
    f.wall_ms += 5000;
    auto const added = core::add_region(f.svc, f.who, f.instance, "us-east-1");
    CHECK(added.status == "ADDING");
    CHECK(added.added_ms == f.wall_ms);
    CHECK_THROWS_MATCHES(
        core::add_region(f.svc, f.who, f.instance, "us-east-1"), core::error,
        is_error(core::errc::conflict, "Region us-east-1 is already enabled for the instance."));
    CHECK(f.listed() == std::vector<std::string>{"eu-west-1:ACTIVE:primary", "us-east-1:ADDING"});
    // No removal while a workflow is in flight.
    CHECK_THROWS_MATCHES(
        core::remove_region(f.svc, f.who, f.instance, "us-east-1"), core::error,
        is_error(core::errc::conflict,
                 "An add or remove Region workflow is in progress for the instance."));
    f.svc.lifecycle.settle(f.region_request(), request_status::succeeded, std::nullopt);
    CHECK(f.status("us-east-1") == "ACTIVE");
    CHECK(core::describe_region(f.svc, f.instance, "us-east-1").added_ms == f.wall_ms);

    CHECK(core::remove_region(f.svc, f.who, f.instance, "us-east-1").status == "REMOVING");
    CHECK(f.status("us-east-1") == "REMOVING");
    f.svc.lifecycle.settle(f.region_request(), request_status::succeeded, std::nullopt);
    CHECK_THROWS_AS(core::describe_region(f.svc, f.instance, "us-east-1"), core::error);
    CHECK(f.listed() == std::vector<std::string>{"eu-west-1:ACTIVE:primary"});
    CHECK_THROWS_MATCHES(
        core::remove_region(f.svc, f.who, f.instance, "us-east-1"), core::error,
        is_error(core::errc::not_found, "Region us-east-1 is not enabled for the instance."));
}

TEST_CASE("a failed add leaves no Region, a failed remove leaves it ACTIVE", "[core][regions]") {
    fixture f;
    core::add_region(f.svc, f.who, f.instance, "us-west-2");
    auto const add = f.region_request();
    f.svc.lifecycle.settle(add, request_status::failed, std::string("no capacity"));
    CHECK(f.listed() == std::vector<std::string>{"eu-west-1:ACTIVE:primary"});
    // The reason stays with the request.
    core::request_filter filter;
    filter.kind = request_kind::region;
    auto const rows = f.svc.control.admin_requests(filter);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].failure_reason == std::optional<std::string>("no capacity"));

    core::add_region(f.svc, f.who, f.instance, "us-west-2");
    f.svc.lifecycle.settle(f.region_request(), request_status::succeeded, std::nullopt);
    core::remove_region(f.svc, f.who, f.instance, "us-west-2");
    f.svc.lifecycle.settle(f.region_request(), request_status::failed, std::string("busy"));
    CHECK(f.listed() == std::vector<std::string>{"eu-west-1:ACTIVE:primary", "us-west-2:ACTIVE"});
}

TEST_CASE("Regions settle at their due time and on the Nth describe", "[core][regions]") {
    SECTION("at the due time") {
        fixture f(core::scheduler_mode::automatic, 1000);
        core::add_region(f.svc, f.who, f.instance, "ap-south-1");
        CHECK(f.status("ap-south-1") == "ADDING");
        f.svc.lifecycle.advance_clock(999);
        CHECK(f.status("ap-south-1") == "ADDING");
        f.svc.lifecycle.advance_clock(1);
        CHECK(f.status("ap-south-1") == "ACTIVE");
    }
    SECTION("in polls mode") {
        fixture f(core::scheduler_mode::polls, 1000, 2);
        core::add_region(f.svc, f.who, f.instance, "ap-south-1");
        CHECK(f.listed() ==
              std::vector<std::string>{"eu-west-1:ACTIVE:primary", "ap-south-1:ADDING"});
        CHECK(f.status("ap-south-1") == "ADDING");
        CHECK(f.status("ap-south-1") == "ACTIVE");
        core::remove_region(f.svc, f.who, f.instance, "ap-south-1");
        CHECK(f.status("ap-south-1") == "REMOVING");
        CHECK_THROWS_AS(f.status("ap-south-1"), core::error);
    }
}

TEST_CASE("Region pages: the primary Region first, then the added ones in order",
          "[core][regions]") {
    fixture f;
    std::vector<std::string> expected{"eu-west-1:ACTIVE:primary"};
    for (std::string name : {"us-east-1", "us-east-2", "us-west-1", "us-west-2"}) {
        core::add_region(f.svc, f.who, f.instance, name);
        f.svc.lifecycle.settle(f.region_request(), request_status::succeeded, std::nullopt);
        expected.push_back(name + ":ACTIVE");
    }
    CHECK(f.listed() == expected);
    CHECK(f.listed(1) == expected);
    CHECK(f.listed(2) == expected);
    auto const first = core::list_regions(f.svc, f.instance, {1, std::nullopt});
    REQUIRE(first.next_token);
    CHECK_THROWS_AS(core::list_regions(f.svc, "0123456789abcdef", {1, first.next_token}),
                    core::error);
}

TEST_CASE("a reset, global or of the instance, clears the added Regions", "[core][regions]") {
    fixture f;
    core::add_region(f.svc, f.who, f.instance, "us-east-1");
    f.svc.control.reset(f.instance);
    CHECK(f.listed() == std::vector<std::string>{"eu-west-1:ACTIVE:primary"});
    core::add_region(f.svc, f.who, f.instance, "us-east-1");
    f.svc.control.reset(std::nullopt);
    CHECK(f.listed() == std::vector<std::string>{"eu-west-1:ACTIVE:primary"});
}
