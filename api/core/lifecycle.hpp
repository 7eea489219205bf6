#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "api/core/model.hpp"

namespace icemu::api::core {

struct context;
class fault_control;

/// The request lifecycle (lifecycle.cpp): starting requests, planning them by the scheduler's
/// settings, settling what is due (for the scheduler timer, before each call and on the admin's
/// clock advance), the admin's settle, and the next due time the timer waits for.
class lifecycle {
public:
    lifecycle(context& ctx, fault_control& faults);

    /// Called whenever the earliest due time may have changed (wire it to the scheduler timer).
    std::function<void()> on_schedule_changed;
    /// Called for every request as it settles (wire it to the log).
    std::function<void(async_request const&)> on_settled;

    /// Settles up to `max_rows` of the requests due by the scheduler's clock, oldest due first,
    /// in one savepoint of the shared transaction: all of them, or (store::sqlite_error) none,
    /// and they stay due. True when more are due: the caller lets other work run, then calls
    /// again (a backlog is settled in slices, so calls are not held up behind all of it). Cheap
    /// when nothing is due: the next due time is kept, so a call is one comparison.
    /// Settles nothing (and answers true) when the oldest due is more than `max_overdue_ms`
    /// overdue.
    bool settle_due(std::int64_t max_rows = std::numeric_limits<std::int64_t>::max(),
                    std::int64_t max_overdue_ms = std::numeric_limits<std::int64_t>::max());
    /// Before a call runs: settles the requests made due at once (a delay of 0, or nothing to
    /// do) since the last call, whatever else is due, so that each is settled before any later
    /// call is answered; then at most pre_call_rows more, the oldest due, unless it is more
    /// than pre_call_overdue_ms overdue. Such a backlog (more due than icemu settles as fast as
    /// calls come) is left to the scheduler timer's slices, and calls go first (else every call
    /// of a busy icemu would also pay for a settlement). A storage failure (a full or read-only
    /// store) leaves those requests due instead of failing the call, so reads keep working; the
    /// scheduler timer retries them and logs the failure.
    void settle_due_before_call();
    static constexpr std::int64_t pre_call_rows = 1;
    static constexpr std::int64_t pre_call_overdue_ms = 100;
    /// Writes into their rows up to `max_rows` settlements (store::requests::write_settled), in
    /// one savepoint: those of requests created more than the longest delay (and a margin) ago,
    /// when every request created before them has settled too, so that the rows written
    /// together are neighbours; and the oldest beyond max_unwritten. All of them when `all`
    /// (before a stop). True when more are due to be written.
    bool write_settled(std::int64_t max_rows, bool all = false);
    static constexpr std::int64_t write_margin_ms = 250;
    static constexpr std::size_t max_unwritten = 100'000;
    /// The earliest due time in wall-clock epoch ms (virtual time minus the offset), if any.
    std::optional<std::int64_t> next_due_wall_ms();
    /// When write_settled() next has settlements to write, in wall-clock epoch ms, if any.
    std::optional<std::int64_t> next_write_wall_ms();
    /// The shared transaction was rolled back (a failed commit): requests it settled are in
    /// flight again with their old due times. Reads the due times again and wakes the timer.
    void rolled_back();

    /// The admin's settle: settles an IN_PROGRESS request now; not_found if unknown, conflict if
    /// already settled.
    async_request settle(std::string_view id_text, request_status status,
                         std::optional<std::string> failure_reason);
    /// Moves the clock forward and settles what became due; returns their ids in due order.
    std::vector<request_id> advance_clock(std::int64_t ms);

    /// Starts `row` (its kind and targets set): a new id, the outcome rules, `planned_failure`
    /// (a FAILED plan whatever the rules planned), the plan, and the insert. `settle_now`: due
    /// at once (nothing to do).
    async_request start(caller const& who, async_request row, bool settle_now,
                        std::optional<std::string> planned_failure = std::nullopt);
    /// Counts a describe of an IN_PROGRESS request that polls settle, settling it on the Nth.
    void count_poll(async_request& row);
    /// Plans `row` by the scheduler's settings (one draw of the random stream).
    void plan(async_request& row, bool settle_now);
    /// The due times changed (requests erased or re-planned): reads the due times again and
    /// wakes the timer.
    void schedule_changed();

private:
    /// The version of a permission set that a settlement records, looked up once per batch.
    struct version_memo {
        std::string instance_id;
        std::string permission_set_id;
        std::int64_t version = 0;
    };
    /// Settles `row` with `status` and applies its effects; `memo` (optional) carries the last
    /// permission set's version across the rows of one batch.
    void apply(async_request& row, request_status status, std::optional<std::string> reason,
               version_memo* memo = nullptr);
    /// Settles the requests due by `now`, in due order and in batches, inside the caller's
    /// write scope, up to `max_rows` of them; appends their ids to `settled` when given. True
    /// when it stopped at `max_rows` (more may be due).
    bool settle_due_by(std::int64_t now, std::vector<request_id>* settled = nullptr,
                       std::int64_t max_rows = std::numeric_limits<std::int64_t>::max());
    /// Makes due_ the store's due times: read again when unknown, after a rollback, or when a
    /// write other than this class's own inserts added or moved one (store due_changes()).
    void know_due();
    /// True when due_ is the store's due times: read, with no rollback and no other write since.
    bool due_in_sync() const noexcept;
    /// Settlements of requests created before this (virtual ms) are written into their rows.
    std::int64_t write_before() const;
    /// The earliest due time, if any request in flight has one.
    std::optional<std::int64_t> earliest_due();
    /// A request this class inserted (`seq` its store seq): copied into due_ if it has a due
    /// time and due_ was complete before the insert; wakes the timer when it is the earliest.
    void schedule_added(std::int64_t seq, request_id const& id, std::optional<std::int64_t> due_ms,
                        bool due_was_known);

    context& ctx_;
    fault_control& faults_;
    // The due times of the requests in flight that settle by time, in due order: the store's,
    // kept here so that no index in due order has to take a write for every request. An entry
    // whose request was settled or erased otherwise is dropped when it comes up.
    struct due_entry {
        std::int64_t due_ms = 0;
        std::int64_t seq = 0; // ties: creation order
        request_id id{};
        friend auto operator<=>(due_entry const& a, due_entry const& b) noexcept {
            return std::tie(a.due_ms, a.seq) <=> std::tie(b.due_ms, b.seq);
        }
        friend bool operator==(due_entry const& a, due_entry const& b) noexcept {
            return a.due_ms == b.due_ms && a.seq == b.seq;
        }
    };
    std::set<due_entry> due_;
    bool due_known_ = false;
    std::uint64_t due_rollbacks_ = 0; // db.rollbacks() when due_ was read
    std::uint64_t due_changes_ = 0;   // requests.due_changes() due_ matches
    // Requests made due at once since the last call (settle_due_before_call settles them).
    std::vector<request_id> due_at_once_;
};

} // namespace icemu::api::core
