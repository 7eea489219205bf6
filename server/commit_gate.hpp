#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <exception>
#include <functional>
#include <memory>

namespace icemu::server {

namespace net = boost::asio;

/// Group commit: requests answered together share one commit. A session that changed state
/// calls `wait()` before writing its response; the first waiter posts a flush behind the
/// handlers already queued on the executor, so their changes join the same commit.
/// Single-threaded: every call must run on `ex`'s thread.
class commit_gate {
public:
    /// `pending()` says whether uncommitted changes exist; `commit()` makes them durable (it
    /// may throw). `on_error` (optional) receives a failure of a flush that no waiter observes.
    commit_gate(net::any_io_executor ex, std::function<bool()> pending,
                std::function<void()> commit,
                std::function<void(std::exception_ptr)> on_error = {});
    ~commit_gate();
    commit_gate(commit_gate const&) = delete;
    commit_gate& operator=(commit_gate const&) = delete;

    /// True when there are uncommitted changes.
    bool pending() const { return pending_(); }

    /// Returns at once when nothing is pending; otherwise waits for the next flush, which runs
    /// `commit()` once (if still pending) for every waiter registered before it. Rethrows that
    /// commit's exception in each of them.
    net::awaitable<void> wait();

    /// Schedules a flush with no waiter (for changes made outside a request, e.g. settlement).
    void flush_soon();

    /// Shares one read transaction among the requests dispatched together: before_dispatch()
    /// calls `begin` (which opens it unless a transaction is open) and schedules a flush unless
    /// one is posted already; that flush calls `end` after any commit. Without it, each read is
    /// its own transaction.
    void share_reads(std::function<void()> begin, std::function<void()> end);
    /// Called before a request is dispatched (see share_reads).
    void before_dispatch();

    /// `fn` runs after each flush that committed, posted behind the completions of that flush's
    /// waiters: for work that must not delay their answers (the WAL's catch-up checkpoint).
    void after_commit(std::function<void()> fn);

    /// How many more times a flush with waiters lets the reactor poll before it commits, as
    /// long as each poll brought more waiters (0: commit at the first flush).
    void gather(int passes) { gather_passes_ = passes; }

private:
    struct batch;
    void schedule();
    void flush();

    net::any_io_executor ex_;
    std::function<bool()> pending_;
    std::function<void()> commit_;
    std::function<void(std::exception_ptr)> on_error_;
    std::function<void()> begin_read_;
    std::function<void()> end_read_;
    std::function<void()> after_commit_;
    std::shared_ptr<batch> next_; // the waiters of the next flush; null when none
    bool scheduled_ = false;      // a flush is posted and has not run yet
    int gather_passes_ = 0;
    int passes_ = 0;              // passes the posted flush has made so far
    std::size_t gathered_ = 0;    // waiters of next_ at the last pass
    std::shared_ptr<bool> alive_; // lets a posted flush outlive a destroyed gate safely
};

} // namespace icemu::server
