#include "server/commit_gate.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <catch2/catch.hpp>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

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

TEST_CASE("commit gate shares one read transaction per round and ends it after the commit",
          "[server]") {
    net::io_context ioc;
    std::vector<std::string> events;
    bool dirty = false;
    commit_gate gate(
        ioc.get_executor(), [&] { return dirty; },
        [&] {
            events.push_back("commit");
            dirty = false;
        });
    gate.share_reads([&] { events.push_back("begin"); }, [&] { events.push_back("end"); });
    // Three requests dispatched in one round: each asks, one flush ends the shared transaction.
    gate.before_dispatch();
    gate.before_dispatch();
    dirty = true; // the second request wrote
    gate.before_dispatch();
    CHECK(events == std::vector<std::string>{"begin", "begin", "begin"}); // nothing ended inline
    ioc.run();
    CHECK(events == std::vector<std::string>{"begin", "begin", "begin", "commit", "end"});
    // The next round opens and ends its own.
    ioc.restart();
    gate.before_dispatch();
    ioc.run();
    CHECK(events.back() == "end");
    CHECK(std::count(events.begin(), events.end(), "end") == 2);
}

TEST_CASE("commit gate without share_reads leaves reads alone", "[server]") {
    net::io_context ioc;
    int commits = 0;
    commit_gate gate(
        ioc.get_executor(), [] { return false; }, [&] { ++commits; });
    gate.before_dispatch(); // schedules nothing
    CHECK(ioc.run() == 0);
    CHECK(commits == 0);
}

TEST_CASE("commit gate runs after_commit behind the waiters' wake-ups and only after a commit",
          "[server]") {
    net::io_context ioc;
    std::vector<std::string> events;
    bool dirty = true;
    bool fail = false;
    commit_gate gate(
        ioc.get_executor(), [&] { return dirty; },
        [&] {
            if (fail)
                throw std::runtime_error("disk full");
            events.push_back("commit");
            dirty = false;
        },
        [](std::exception_ptr) {});
    gate.after_commit([&] { events.push_back("after"); });
    auto waiter = [&](std::string name) -> net::awaitable<void> {
        co_await gate.wait();
        events.push_back(name); // where a session writes its answer
    };
    auto rethrow = [](std::exception_ptr e) {
        if (e)
            std::rethrow_exception(e);
    };
    net::co_spawn(ioc, waiter("answer 1"), rethrow);
    net::co_spawn(ioc, waiter("answer 2"), rethrow);
    ioc.run();
    CHECK(events == std::vector<std::string>{"commit", "answer 1", "answer 2", "after"});

    // Nothing pending: a flush commits nothing and nothing runs after it.
    events.clear();
    ioc.restart();
    gate.flush_soon();
    ioc.run();
    CHECK(events.empty());

    // A failed commit: no after_commit either.
    dirty = true;
    fail = true;
    ioc.restart();
    gate.flush_soon();
    ioc.run();
    CHECK(events.empty());
}

namespace {

// Requests that arrive one handler turn apart (as reads completed by successive polls of the
// reactor do), each changing state and waiting for its commit; returns how many waited in each
// commit.
std::vector<int> staggered_batches(int gather_passes, int arrivals) {
    net::io_context ioc;
    bool dirty = false;
    int waiting = 0;
    std::vector<int> batches;
    commit_gate gate(
        ioc.get_executor(), [&] { return dirty; },
        [&] {
            batches.push_back(waiting);
            waiting = 0;
            dirty = false;
        });
    gate.gather(gather_passes);
    int woken = 0;
    auto waiter = [&]() -> net::awaitable<void> {
        dirty = true;
        ++waiting;
        co_await gate.wait();
        ++woken;
    };
    std::function<void(int)> arrive = [&](int left) {
        net::co_spawn(ioc, waiter(), [](std::exception_ptr e) {
            if (e)
                std::rethrow_exception(e);
        });
        if (left > 1)
            net::post(ioc, [&arrive, left] { arrive(left - 1); });
    };
    net::post(ioc, [&] { arrive(arrivals); });
    ioc.run();
    CHECK(woken == arrivals);
    return batches;
}

} // namespace

TEST_CASE("commit gate gathers requests that arrive while it flushes into one commit, boundedly",
          "[server]") {
    // Without gathering, each arrival pays for a commit of its own.
    CHECK(staggered_batches(0, 3) == std::vector<int>{1, 1, 1});
    // Gathering: the flush lets the later ones join while each pass brings more.
    CHECK(staggered_batches(4, 3) == std::vector<int>{3});
    // A steady stream cannot hold a batch open beyond the passes allowed.
    auto const batches = staggered_batches(2, 20);
    CHECK(batches.size() > 1);
    for (int size : batches)
        CHECK(size <= 3);
    int total = 0;
    for (int size : batches)
        total += size;
    CHECK(total == 20);
}
