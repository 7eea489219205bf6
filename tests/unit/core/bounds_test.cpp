#include <catch2/catch.hpp>
#include <limits>
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

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();

struct world {
    world() { svc.instances.ensure_initial_state(); }
    fixed_clock time;
    store::database db{{}};
    core::service svc{db, time.clock, {}};
};

} // namespace

TEST_CASE("service advance_clock refuses a move that would overflow the clock", "[core]") {
    // The admin API's {"ms": 9223372036854775807} overflowed offset + wall time (UBSan).
    world w;
    std::string const text =
        "ms would move the clock more than 3162240000000 ms (about 100 years) ahead of wall time";
    REQUIRE_THROWS_MATCHES(w.svc.lifecycle.advance_clock(int64_max), core::error,
                           core_error(core::errc::invalid_argument, core::reason::none, text));
    w.svc.lifecycle.advance_clock(3'162'240'000'000 - 5);
    REQUIRE_THROWS_MATCHES(w.svc.lifecycle.advance_clock(6), core::error,
                           core_error(core::errc::invalid_argument, core::reason::none, text));
    w.svc.lifecycle.advance_clock(5);
    CHECK(w.svc.control.health().clock_offset_ms == 3'162'240'000'000);
}

TEST_CASE("service update_scheduler limits delays to a day, as the configuration does", "[core]") {
    // A delay of 9223372036854775807 ms made each new request's due time overflow.
    world w;
    core::scheduler_update update;
    update.delay_max_ms = int64_max;
    REQUIRE_THROWS_MATCHES(w.svc.control.update_scheduler(update), core::error,
                           core_error(core::errc::invalid_argument, core::reason::none,
                                      "delay_ms is limited to 86400000 ms (one day)"));
    update.delay_max_ms = 86'400'000;
    CHECK(w.svc.control.update_scheduler(update).delay_max_ms == 86'400'000);
}
