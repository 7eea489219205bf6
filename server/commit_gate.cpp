#include "server/commit_gate.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <utility>

namespace icemu::server {

// The waiters of one flush sleep on a timer that never expires on its own: the flush stores
// the commit's outcome and cancels it, which wakes them all at once (Boost 1.81 has no
// channel-free broadcast primitive that is cheaper).
struct commit_gate::batch {
    explicit batch(net::any_io_executor const& ex)
        : wake(ex, net::steady_timer::time_point::max()) {}
    net::steady_timer wake;
    std::size_t waiters = 0;
    bool done = false;
    std::exception_ptr error;
};

commit_gate::commit_gate(net::any_io_executor ex, std::function<bool()> pending,
                         std::function<void()> commit,
                         std::function<void(std::exception_ptr)> on_error)
    : ex_(std::move(ex)),
      pending_(std::move(pending)),
      commit_(std::move(commit)),
      on_error_(std::move(on_error)),
      alive_(std::make_shared<bool>(true)) {}

commit_gate::~commit_gate() {
    *alive_ = false;
}

net::awaitable<void> commit_gate::wait() {
    if (!pending_())
        co_return;
    if (!next_)
        next_ = std::make_shared<batch>(ex_);
    std::shared_ptr<batch> const mine = next_;
    ++mine->waiters;
    schedule();
    while (!mine->done) // the timer is only ever cancelled by the flush, but be strict
        co_await mine->wake.async_wait(net::as_tuple(net::use_awaitable));
    if (mine->error)
        std::rethrow_exception(mine->error);
}

void commit_gate::flush_soon() {
    schedule();
}

void commit_gate::share_reads(std::function<void()> begin, std::function<void()> end) {
    begin_read_ = std::move(begin);
    end_read_ = std::move(end);
}

void commit_gate::after_commit(std::function<void()> fn) {
    after_commit_ = std::move(fn);
}

void commit_gate::before_dispatch() {
    if (!begin_read_)
        return;
    begin_read_();
    schedule();
}

void commit_gate::schedule() {
    if (scheduled_)
        return;
    scheduled_ = true;
    // post, not dispatch: the flush runs after the reads that completed together with this one.
    net::post(ex_, [this, alive = alive_] {
        if (*alive)
            flush();
    });
}

void commit_gate::flush() {
    // Gathering: while the batch gained waiters since the last pass, the flush goes behind the
    // reactor's next poll once more, so that requests already sent join this commit instead of
    // paying for one of their own (a commit's WAL frames, locks and COMMIT cost about what a
    // few requests do). Bounded: a steady stream cannot hold a batch open.
    if (next_ && next_->waiters > gathered_ && passes_ < gather_passes_) {
        gathered_ = next_->waiters;
        ++passes_;
        net::post(ex_, [this, alive = alive_] {
            if (*alive)
                flush();
        });
        return;
    }
    passes_ = 0;
    gathered_ = 0;
    scheduled_ = false;
    std::shared_ptr<batch> const waiters = std::move(next_);
    next_.reset();
    std::exception_ptr error;
    bool committed = false;
    try {
        if (pending_()) {
            commit_();
            committed = true;
        }
    } catch (...) {
        error = std::current_exception();
    }
    if (end_read_)
        end_read_();
    if (waiters) {
        waiters->done = true;
        waiters->error = error;
        waiters->wake.cancel(); // queues their completions
    } else if (error && on_error_) {
        on_error_(error);
    }
    if (committed && after_commit_)
        net::post(ex_, [this, alive = alive_] {
            if (*alive)
                after_commit_();
        });
}

} // namespace icemu::server
