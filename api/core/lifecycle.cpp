// The request lifecycle: starting, planning and applying each request, settling what is due (for
// the scheduler timer, before each call and on the admin's clock advance), the admin's settle,
// and the next due time.
#include "api/core/lifecycle.hpp"

#include <algorithm>
#include <iterator>
#include <limits>
#include <utility>

#include "api/core/context.hpp"
#include "api/core/error.hpp"
#include "api/core/fault_control.hpp"
#include "api/core/model_convert.hpp"
#include "api/core/regions.hpp"
#include "ids/ids.hpp"
#include "store/database.hpp"
#include "store/error.hpp"
#include "store/requests.hpp"
#include "store/resources.hpp"

namespace icemu::api::core {

namespace {

// A virtual clock at most about 100 years ahead of wall time keeps due times (now + offset +
// delay) far from int64 overflow.
constexpr std::int64_t max_clock_offset_ms = 100LL * 366 * 24 * 60 * 60 * 1000;

} // namespace

lifecycle::lifecycle(context& ctx, fault_control& faults) : ctx_(ctx), faults_(faults) {}

bool lifecycle::settle_due(std::int64_t max_rows, std::int64_t max_overdue_ms) {
    if (ctx_.db.read_only()) // nothing can settle; reads go on answering what is stored
        return false;
    auto const earliest = earliest_due();
    std::int64_t const now = ctx_.time.now_ms();
    if (!earliest || *earliest > now)
        return false;
    if (now - *earliest > max_overdue_ms)
        return true;
    // One savepoint for the slice: the requests that fall due while calls keep coming are
    // settled together, and share the group commit with those calls' own writes.
    bool more = false;
    try {
        store::write_scope scope(ctx_.db);
        more = settle_due_by(now, nullptr, max_rows);
        scope.release();
    } catch (...) {
        due_known_ = false; // the entries taken are due again: read them back
        throw;
    }
    auto const next = earliest_due();
    return more && next && *next <= now;
}

bool lifecycle::settle_due_by(std::int64_t now, std::vector<request_id>* settled,
                              std::int64_t max_rows) {
    version_memo memo;
    know_due();
    for (; max_rows > 0 && !due_.empty() && due_.begin()->due_ms <= now; --max_rows) {
        auto const entry = *due_.begin();
        due_.erase(due_.begin());
        auto stored = ctx_.requests.find(entry.id);
        // Settled or erased some other way, or re-planned (the copy is read again then).
        if (!stored || stored->status != store::request_status::in_progress ||
            stored->due_ms != entry.due_ms)
            continue;
        auto row = to_core(std::move(*stored));
        apply(row, row.planned_status, row.planned_reason, &memo);
        if (settled != nullptr)
            settled->push_back(entry.id);
    }
    return max_rows == 0 && !due_.empty() && due_.begin()->due_ms <= now;
}

void lifecycle::settle_due_before_call() {
    try {
        if (!due_at_once_.empty() && !ctx_.db.read_only()) {
            auto const ids = std::move(due_at_once_);
            due_at_once_.clear();
            std::int64_t const now = ctx_.time.now_ms();
            store::write_scope scope(ctx_.db);
            for (auto const& id : ids) {
                // Gone (its write rolled back, its instance deleted) or settled already (by the
                // timer, an admin settle, a mode change): nothing to do.
                auto row = ctx_.requests.find(id);
                if (!row || row->status != store::request_status::in_progress || !row->due_ms ||
                    *row->due_ms > now)
                    continue;
                auto request = to_core(std::move(*row));
                apply(request, request.planned_status, request.planned_reason);
            }
            scope.release();
        }
        settle_due(pre_call_rows, pre_call_overdue_ms);
    } catch (store::sqlite_error const&) {
        // Rolled back: the requests stay due. Had the failure taken the shared transaction with
        // other requests' changes, the next commit reports it to them.
    }
}

bool lifecycle::write_settled(std::int64_t max_rows, bool all) {
    if (ctx_.db.read_only())
        return false;
    std::int64_t const before = all ? std::numeric_limits<std::int64_t>::max() : write_before();
    std::size_t const keep = all ? 0 : max_unwritten;
    if (!ctx_.requests.writes_due(before, keep))
        return false; // nothing to write: no savepoint, no commit
    store::write_scope scope(ctx_.db);
    bool const more = ctx_.requests.write_settled(before, keep, max_rows);
    scope.release();
    return more;
}

std::int64_t lifecycle::write_before() const {
    // Every request created before then is due (delays are at most delay_max_ms); the margin
    // lets the timer settle the last of them first.
    return ctx_.time.now_ms() - ctx_.settings.delay_max_ms - write_margin_ms;
}

std::optional<std::int64_t> lifecycle::next_due_wall_ms() {
    auto const earliest = earliest_due();
    if (!earliest)
        return std::nullopt;
    return *earliest - ctx_.time.offset_ms();
}

std::optional<std::int64_t> lifecycle::next_write_wall_ms() {
    auto const oldest = ctx_.requests.oldest_unwritten();
    if (!oldest)
        return std::nullopt;
    std::int64_t const now = ctx_.time.now_ms();
    // write_before() must have passed it: one ms after.
    std::int64_t const at =
        ctx_.requests.unwritten() > max_unwritten
            ? now
            : std::max(now, *oldest + ctx_.settings.delay_max_ms + write_margin_ms + 1);
    return at - ctx_.time.offset_ms();
}

async_request lifecycle::settle(std::string_view id_text, request_status status,
                                std::optional<std::string> failure_reason) {
    auto const id = ids::parse_uuid(id_text);
    auto found = id ? ctx_.requests.find(*id) : std::nullopt;
    if (!found)
        throw error(errc::not_found, "no request with id " + std::string(id_text),
                    reason::request_not_found);
    auto request = to_core(std::move(*found));
    if (request.status != request_status::in_progress)
        throw error(errc::conflict, "request " + std::string(id_text) + " is already " +
                                        std::string(to_string(request.status)));
    if (status == request_status::in_progress)
        throw error(errc::invalid_argument, "status must be SUCCEEDED or FAILED");
    if (status == request_status::succeeded)
        failure_reason.reset();
    store::write_scope scope(ctx_.db);
    apply(request, status, std::move(failure_reason));
    scope.release();
    // A settlement only takes a due time away: its entry is dropped when it comes up, and the
    // copy of the due times stays good (no reading them all again for every settle by hand).
    if (on_schedule_changed)
        on_schedule_changed();
    return request;
}

std::vector<request_id> lifecycle::advance_clock(std::int64_t ms) {
    if (ms < 0)
        throw error(errc::invalid_argument, "ms must be a non-negative integer");
    if (ms > max_clock_offset_ms - ctx_.time.offset_ms())
        throw error(errc::invalid_argument, "ms would move the clock more than " +
                                                std::to_string(max_clock_offset_ms) +
                                                " ms (about 100 years) ahead of wall time");
    std::vector<request_id> settled;
    try {
        store::write_scope scope(ctx_.db);
        ctx_.time.set_offset_ms(ctx_.time.offset_ms() + ms);
        ctx_.requests.set_clock_offset_ms(ctx_.time.offset_ms());
        settle_due_by(ctx_.time.now_ms(), &settled);
        scope.release();
    } catch (...) {
        schedule_changed(); // the entries taken are due again: read them back
        throw;
    }
    if (on_schedule_changed) // due times do not move with the clock: the copy stays good
        on_schedule_changed();
    return settled;
}

async_request lifecycle::start(caller const& who, async_request row, bool settle_now,
                               std::optional<std::string> planned_failure) {
    row.id = ctx_.ids.request_uuid();
    row.status = request_status::in_progress;
    row.created_ms = ctx_.time.now_ms();
    row.surface = std::string(who.surface);
    row.planned_status = request_status::succeeded;
    bool const held = faults_.apply_outcome_rules(row);
    if (planned_failure) {
        row.planned_status = request_status::failed;
        row.planned_reason = std::move(planned_failure);
    }
    plan(row, settle_now);
    if (held) {
        // Stuck by a rule: no due time, no polls; only the admin settle ends it.
        row.settle_by = settle_mode::held;
        row.due_ms.reset();
        row.polls_left = 0;
    }
    auto stored = to_store(std::move(row));
    // No reading of the due times on a call's path: a copy out of date is read again by the
    // timer (schedule_added pokes it).
    bool const due_was_known = due_in_sync();
    store::write_scope scope(ctx_.db, store::single_statement);
    ctx_.requests.insert(stored);
    scope.release();
    auto const seq = stored.seq;
    row = to_core(std::move(stored));
    if (row.due_ms && *row.due_ms <= row.created_ms)
        due_at_once_.push_back(row.id);
    schedule_added(seq, row.id, row.due_ms, due_was_known);
    return row;
}

void lifecycle::count_poll(async_request& row) {
    // A read-only store cannot count polls: the request answers as it stands.
    if (row.status != request_status::in_progress || row.settle_by != settle_mode::polls ||
        ctx_.db.read_only())
        return;
    store::write_scope scope(ctx_.db);
    if (row.polls_left <= 1) {
        apply(row, row.planned_status, row.planned_reason);
    } else {
        row.polls_left -= 1;
        ctx_.requests.set_polls_left(row.id, row.polls_left);
    }
    scope.release();
}

void lifecycle::plan(async_request& row, bool settle_now) {
    // One draw per planning whatever the mode, so the sequence of delays depends only on the
    // seed and the order of requests.
    std::int64_t const delay =
        ctx_.random.between(ctx_.settings.delay_min_ms, ctx_.settings.delay_max_ms);
    row.due_ms.reset();
    row.polls_left = 0;
    if (settle_now) {
        row.settle_by = settle_mode::at_due;
        row.due_ms = ctx_.time.now_ms();
        return;
    }
    switch (ctx_.settings.mode) {
    case scheduler_mode::automatic:
        row.settle_by = settle_mode::at_due;
        row.due_ms = ctx_.time.now_ms() + delay;
        return;
    case scheduler_mode::polls:
        row.settle_by = settle_mode::polls;
        row.polls_left = ctx_.settings.polls;
        return;
    case scheduler_mode::manual: row.settle_by = settle_mode::manual; return;
    }
}

void lifecycle::apply(async_request& row, request_status status, std::optional<std::string> reason,
                      version_memo* memo) {
    if (!ctx_.requests.settle(
            {row.id, row.seq, to_store(row.kind), row.instance_id, row.created_ms},
            to_store(status), reason))
        return;
    // The timer writes the row later: it must wake for the first one waiting (a settlement by
    // polls or by hand wakes it for nothing else) and when too many wait.
    if (auto const waiting = ctx_.requests.unwritten();
        (waiting == 1 || waiting == max_unwritten + 1) && on_schedule_changed)
        on_schedule_changed();
    row.status = status;
    row.failure_reason = std::move(reason);
    row.due_ms.reset();
    if (status == request_status::succeeded) {
        // Each kind's effect; a FAILED request has none. The permission set's version is read
        // only by the kinds about a permission set, and once per settlement pass (`memo`).
        auto const version = [&] {
            if (memo != nullptr && memo->permission_set_id == row.permission_set_id &&
                memo->instance_id == row.instance_id && !memo->permission_set_id.empty())
                return memo->version;
            auto const ps =
                ctx_.resources.find_permission_set(row.instance_id, row.permission_set_id);
            std::int64_t const found = ps ? ps->version : std::int64_t{1};
            if (memo != nullptr && ps)
                *memo = {row.instance_id, row.permission_set_id, found};
            return found;
        };
        switch (row.kind) {
        case request_kind::provision:
            if (row.account_id)
                ctx_.resources.set_provisioned(row.instance_id, row.permission_set_id,
                                               *row.account_id, version());
            else
                ctx_.resources.set_provisioned_everywhere(row.permission_set_id, version());
            break;
        case request_kind::assignment_create:
            ctx_.resources.insert_assignment(
                {0, row.instance_id, row.permission_set_id, row.account_id.value_or(""),
                 row.principal_type.value_or(""), row.principal_id.value_or("")});
            ctx_.resources.provision_if_absent(row.instance_id, row.permission_set_id,
                                               row.account_id.value_or(""), version());
            break;
        case request_kind::assignment_delete: {
            auto const account = row.account_id.value_or("");
            ctx_.resources.erase_assignment({0, row.instance_id, row.permission_set_id, account,
                                             row.principal_type.value_or(""),
                                             row.principal_id.value_or("")});
            // The last assignment gone, the permission set is deprovisioned from the account.
            if (ctx_.resources.count_assignments(row.permission_set_id, account) == 0)
                ctx_.resources.erase_provisioned(row.permission_set_id, account);
            break;
        }
        case request_kind::instance_encryption:
            ctx_.resources.apply_pending_encryption(row.instance_id);
            break;
        case request_kind::access_control_attributes:
            break; // the configuration's status is its request's (access_control.cpp)
        case request_kind::region: break; // below: a FAILED one has an effect too
        }
    }
    if (row.kind == request_kind::region)
        settle_region(ctx_.db, row);
    if (on_settled)
        on_settled(row);
}

void lifecycle::rolled_back() {
    schedule_changed();
}

bool lifecycle::due_in_sync() const noexcept {
    return due_known_ && ctx_.db.rollbacks() == due_rollbacks_ &&
           ctx_.requests.due_changes() == due_changes_;
}

void lifecycle::know_due() {
    if (due_in_sync())
        return;
    due_.clear();
    for (auto const& e : ctx_.requests.due_entries())
        due_.insert({e.due_ms, e.seq, e.id});
    due_known_ = true;
    due_rollbacks_ = ctx_.db.rollbacks();
    due_changes_ = ctx_.requests.due_changes();
}

std::optional<std::int64_t> lifecycle::earliest_due() {
    know_due();
    if (due_.empty())
        return std::nullopt;
    return due_.begin()->due_ms;
}

void lifecycle::schedule_added(std::int64_t seq, request_id const& id,
                               std::optional<std::int64_t> due_ms, bool due_was_known) {
    if (!due_was_known || ctx_.db.rollbacks() != due_rollbacks_ ||
        ctx_.requests.due_changes() != due_changes_ + 1) {
        // Another write came between (or the copy was not known): read them all again.
        due_known_ = false;
    } else {
        due_changes_ = ctx_.requests.due_changes();
        if (due_ms)
            due_.insert({*due_ms, seq, id});
    }
    if (!due_ms) // settled by polls, by hand or by the admin: nothing for the timer
        return;
    // Not the earliest: the timer's wait stands.
    if (due_known_ && due_.begin()->due_ms < *due_ms)
        return;
    if (on_schedule_changed)
        on_schedule_changed();
}

void lifecycle::schedule_changed() {
    due_known_ = false;
    if (on_schedule_changed)
        on_schedule_changed();
}

} // namespace icemu::api::core
