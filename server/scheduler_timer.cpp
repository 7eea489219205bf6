#include "server/scheduler_timer.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <utility>

#include "server/log.hpp"

namespace icemu::server {
namespace {

// A wait is cut into slices so that a wall-clock jump (the due times are wall-clock) is noticed
// within this bound even without a poke.
constexpr std::chrono::seconds max_slice{30};
constexpr std::chrono::milliseconds first_backoff{100};
constexpr std::chrono::milliseconds max_backoff{5000};
// Slices of a backlog run back to back for about this long, then the loop rests as long.
constexpr std::chrono::microseconds settle_turn{1000};

} // namespace

struct scheduler_timer::state {
    state(net::any_io_executor const& ex, due_fn due, std::function<bool()> settle_fn, logger* l)
        : timer(ex), next_due(std::move(due)), settle(std::move(settle_fn)), log(l) {}

    net::steady_timer timer;
    due_fn next_due;
    std::function<bool()> settle;
    logger* log;
    bool running = false;
    bool stopped = false;

    static net::awaitable<void> run(std::shared_ptr<state> self);

    void report(char const* what, std::exception_ptr const& error) const {
        if (log == nullptr)
            return;
        try {
            std::rethrow_exception(error);
        } catch (std::exception const& e) {
            log->event(log_level::error, what, {{"error", e.what()}});
        } catch (...) {
            log->event(log_level::error, what, {{"error", "unknown exception"}});
        }
    }
};

scheduler_timer::scheduler_timer(net::any_io_executor ex, due_fn next_due,
                                 std::function<bool()> settle, logger* log)
    : state_(std::make_shared<state>(ex, std::move(next_due), std::move(settle), log)) {}

scheduler_timer::~scheduler_timer() {
    stop();
}

void scheduler_timer::start() {
    if (state_->running || state_->stopped)
        return;
    state_->running = true;
    net::co_spawn(state_->timer.get_executor(), state::run(state_),
                  [s = state_](std::exception_ptr error) {
                      s->running = false;
                      if (error)
                          s->report("scheduler timer ended", error);
                  });
}

void scheduler_timer::poke() {
    state_->timer.cancel();
}

void scheduler_timer::stop() {
    state_->stopped = true;
    state_->timer.cancel();
}

net::awaitable<void> scheduler_timer::state::run(std::shared_ptr<state> self) {
    state& s = *self;
    std::chrono::milliseconds backoff = first_backoff;
    std::optional<std::chrono::system_clock::time_point> settled_at;
    while (!s.stopped) {
        std::optional<std::chrono::system_clock::time_point> due;
        bool failed = false;
        try {
            due = s.next_due();
            if (due && *due <= std::chrono::system_clock::now()) {
                // The same due time again right after settling it means settle() cannot end
                // that request: back off instead of spinning.
                if (settled_at != due) {
                    settled_at = due;
                    auto const start = std::chrono::steady_clock::now();
                    bool more = s.settle();
                    while (more && !s.stopped &&
                           std::chrono::steady_clock::now() - start < settle_turn)
                        more = s.settle();
                    if (more && !s.stopped) {
                        // A backlog: rest as long as the slices took, so that calls get at
                        // least half of the time (they need several turns of the event loop
                        // each: a post alone would let a slice run between every two of them).
                        settled_at.reset();
                        s.timer.expires_after(std::chrono::steady_clock::now() - start);
                        co_await s.timer.async_wait(net::as_tuple(net::use_awaitable));
                    }
                    continue; // settling may leave later requests due: ask again
                }
                if (s.log != nullptr)
                    s.log->event(log_level::warn, "scheduler settle left a request due");
                failed = true;
            }
        } catch (...) {
            s.report("scheduler settle failed", std::current_exception());
            failed = true;
        }
        settled_at.reset();
        if (failed) {
            s.timer.expires_after(backoff);
            backoff = std::min(backoff * 2, max_backoff);
        } else if (!due) {
            backoff = first_backoff;
            s.timer.expires_at(net::steady_timer::time_point::max());
        } else {
            backoff = first_backoff;
            auto const left = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                *due - std::chrono::system_clock::now());
            s.timer.expires_after(std::min<std::chrono::steady_clock::duration>(left, max_slice));
        }
        // A poke or stop cancels the wait (operation_aborted); either way the loop asks again.
        co_await s.timer.async_wait(net::as_tuple(net::use_awaitable));
    }
}

} // namespace icemu::server
