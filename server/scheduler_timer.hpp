#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace icemu::server {

namespace net = boost::asio;

class logger;

/// Runs `settle()` when the earliest pending request falls due. A coroutine asks `next_due()`
/// (the wall-clock time, nullopt for "nothing due"), sleeps until then, calls `settle()`, and
/// asks again. `settle()` settles one slice and answers true when it left more due: the
/// coroutine goes on with slices for about a millisecond, then rests as long as they took while
/// the event loop serves calls, so a backlog takes at most about half of the time and never
/// holds calls up behind all of it. Single-threaded: every call must run on `ex`'s thread.
class scheduler_timer {
public:
    using due_fn = std::function<std::optional<std::chrono::system_clock::time_point>()>;

    /// `log` (optional) receives failures of `next_due` or `settle`; after one, the loop backs
    /// off (100 ms, doubling up to 5 s) and goes on. The logger must outlive the timer.
    scheduler_timer(net::any_io_executor ex, due_fn next_due, std::function<bool()> settle,
                    logger* log = nullptr);
    /// Stops the loop; the callbacks are never called after the timer is destroyed.
    ~scheduler_timer();
    scheduler_timer(scheduler_timer const&) = delete;
    scheduler_timer& operator=(scheduler_timer const&) = delete;

    /// Starts the loop; does nothing when it runs already.
    void start();
    /// Makes the loop re-read `next_due()` now (call it after a new request or a clock change).
    void poke();
    /// Ends the loop; the callbacks are not called afterwards. Safe to call more than once.
    void stop();

private:
    struct state;
    std::shared_ptr<state> state_;
};

} // namespace icemu::server
