#include "server/scheduler_timer.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <catch2/catch.hpp>
#include <cstdio>
#include <stdexcept>
#include <thread>

#include "server/log.hpp"

namespace {

using namespace icemu::server;
using clock_type = std::chrono::system_clock;

} // namespace

TEST_CASE("scheduler timer settles what is due and sleeps while nothing is", "[server]") {
    net::io_context ioc;
    std::optional<clock_type::time_point> due = clock_type::now() - std::chrono::seconds(1);
    int asked = 0;
    int settled = 0;
    scheduler_timer timer(
        ioc.get_executor(),
        [&] {
            ++asked;
            return due;
        },
        [&] {
            ++settled;
            due.reset();
            return false;
        });
    timer.start();
    ioc.poll();
    CHECK(settled == 1);
    CHECK(asked == 2); // once to find the due request, once after settling it

    SECTION("a poke makes it ask again") {
        due = clock_type::now() - std::chrono::milliseconds(1);
        timer.poke();
        ioc.poll();
        CHECK(settled == 2);
    }
    SECTION("stop ends the loop") {
        timer.stop();
        timer.stop();
        ioc.run(); // returns: nothing is left waiting
        CHECK(settled == 1);
    }
}

TEST_CASE("scheduler timer logs a failing settle and goes on after a back-off", "[server]") {
    net::io_context ioc;
    std::FILE* sink = std::tmpfile();
    logger log(log_level::debug, false, sink);
    int settled = 0;
    scheduler_timer timer(
        ioc.get_executor(),
        [&]() -> std::optional<clock_type::time_point> {
            if (settled >= 2)
                return std::nullopt;
            return clock_type::now() - std::chrono::seconds(1);
        },
        [&] {
            if (++settled == 1)
                throw std::runtime_error("database is locked");
            return false;
        },
        &log);
    timer.start();
    ioc.poll();
    CHECK(settled == 1); // failed once; now backing off instead of spinning
    ioc.run_one();       // the back-off timer (100 ms)
    ioc.poll();
    CHECK(settled == 2);
    timer.stop();
    ioc.run();

    std::rewind(sink);
    char text[512] = {};
    CHECK(std::fread(text, 1, sizeof text - 1, sink) > 0);
    CHECK(std::string(text).find("error=\"database is locked\"") != std::string::npos);
    std::fclose(sink);
}

TEST_CASE("scheduler timer settles a backlog in slices and rests between them", "[server]") {
    net::io_context ioc;
    constexpr int slices = 20;
    int settled = 0;
    int settled_when_call_ran = -1;
    scheduler_timer timer(
        ioc.get_executor(),
        [&]() -> std::optional<clock_type::time_point> {
            if (settled >= slices)
                return std::nullopt;
            return clock_type::now() - std::chrono::seconds(1); // the same due time throughout
        },
        [&] {
            if (settled == 0) // a call becomes ready while the backlog is being settled
                net::post(ioc, [&] { settled_when_call_ran = settled; });
            ++settled;
            // A slice that takes a while: a turn holds only a few of them.
            std::this_thread::sleep_for(std::chrono::microseconds(400));
            return settled < slices;
        });
    timer.start();
    ioc.poll();
    // The first turn's slices, then a rest: the call ran, and the backlog waits.
    CHECK(settled > 0);
    CHECK(settled < slices);
    CHECK(settled_when_call_ran == settled);
    while (settled < slices) // the rests end on their own: the whole backlog, no back-off
        ioc.run_one();
    CHECK(settled == slices);
    timer.stop();
    ioc.run();
}
