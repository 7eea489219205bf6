#include "server/scheduler_timer.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <cstdio>
#include <stdexcept>

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
