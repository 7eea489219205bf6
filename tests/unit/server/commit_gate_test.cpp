#include "server/commit_gate.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <stdexcept>

namespace {

using namespace icemu::server;

} // namespace

TEST_CASE("commit gate wait returns at once when nothing is pending", "[server]") {
    net::io_context ioc;
    int commits = 0;
    commit_gate gate(
        ioc.get_executor(), [] { return false; }, [&] { ++commits; });
    bool done = false;
    net::co_spawn(ioc, gate.wait(), [&](std::exception_ptr e) { done = !e; });
    ioc.run();
    CHECK(done);
    CHECK(commits == 0);
}

TEST_CASE("commit gate flush_soon commits pending changes once without a waiter", "[server]") {
    net::io_context ioc;
    bool dirty = true;
    int commits = 0;
    commit_gate gate(
        ioc.get_executor(), [&] { return dirty; },
        [&] {
            ++commits;
            dirty = false;
        });
    gate.flush_soon();
    gate.flush_soon();
    CHECK(commits == 0); // posted, not run inline
    ioc.run();
    CHECK(commits == 1);
    CHECK_FALSE(gate.pending());
}

TEST_CASE("commit gate hands an unobserved commit failure to on_error", "[server]") {
    net::io_context ioc;
    std::string reported;
    commit_gate gate(
        ioc.get_executor(), [] { return true; }, [] { throw std::runtime_error("disk full"); },
        [&](std::exception_ptr e) {
            try {
                std::rethrow_exception(e);
            } catch (std::exception const& x) {
                reported = x.what();
            }
        });
    gate.flush_soon();
    ioc.run();
    CHECK(reported == "disk full");
}

TEST_CASE("commit gate wakes each batch with its own commit", "[server]") {
    net::io_context ioc;
    bool dirty = true;
    int commits = 0;
    commit_gate gate(
        ioc.get_executor(), [&] { return dirty; },
        [&] {
            ++commits;
            dirty = false;
        });
    int woken = 0;
    auto waiter = [&]() -> net::awaitable<void> {
        co_await gate.wait();
        ++woken;
        dirty = true; // a change made after the first commit needs a second one
        co_await gate.wait();
        ++woken;
    };
    net::co_spawn(ioc, waiter(), [](std::exception_ptr e) {
        if (e)
            std::rethrow_exception(e);
    });
    ioc.run();
    CHECK(commits == 2);
    CHECK(woken == 2);
}
