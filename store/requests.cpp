#include "store/requests.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <tuple>
#include <utility>

#include "store/error.hpp"
#include "store/request_keys.hpp"

namespace icemu::store {

namespace {

#define ICEMU_REQUEST_COLUMNS                                                                   \
    "id, seq, kind, status, instance_id, permission_set_id, account_id, principal_type, "       \
    "principal_id, failure_reason, created_ms, due_ms, settle_by, polls_left, planned_status, " \
    "planned_reason, surface"

// The id of the key in column `column` (see request_keys.hpp).
request_id id_in(statement const& s, int column) noexcept {
    request_key key;
    auto const blob = s.column_blob(column);
    if (blob.size() == key.bytes.size())
        std::copy(blob.begin(), blob.end(), key.bytes.begin());
    return id_of(key);
}

request_row read_request(statement const& s) {
    request_row row;
    row.id = id_in(s, 0);
    row.seq = s.column_int64(1);
    row.kind = static_cast<request_kind>(s.column_int64(2));
    row.status = static_cast<request_status>(s.column_int64(3));
    row.instance_id = s.column_string(4);
    row.permission_set_id = s.column_string(5);
    row.account_id = s.column_optional(6);
    row.principal_type = s.column_optional(7);
    row.principal_id = s.column_optional(8);
    row.failure_reason = s.column_optional(9);
    row.created_ms = s.column_int64(10);
    row.due_ms = s.column_optional_int64(11);
    row.settle_by = static_cast<settle_mode>(s.column_int64(12));
    row.polls_left = s.column_int64(13);
    row.planned_status = static_cast<request_status>(s.column_int64(14));
    row.planned_reason = s.column_optional(15);
    row.surface = s.column_string(16);
    return row;
}

request_summary read_summary(statement const& s) {
    request_summary row;
    row.id = id_in(s, 0);
    row.seq = s.column_int64(1);
    row.status = static_cast<request_status>(s.column_int64(2));
    row.created_ms = s.column_int64(3);
    return row;
}

// A row as its settlement not yet written into it makes it.
void settled_into(request_row& row, request_status status,
                  std::optional<std::string> const& reason) {
    row.status = status;
    row.failure_reason = reason;
    row.due_ms.reset();
}

std::int64_t as_int(auto e) {
    return static_cast<std::int64_t>(e);
}

// The lists of one kind in an instance, newest first (LIMIT -1: no limit). IN_PROGRESS and
// FAILED from the partial index of each (the status is the index's), and SUCCEEDED, most
// requests, from the index of all with their status.
constexpr char const* list_in_progress_sql =
    "SELECT id, seq, 0, created_ms FROM requests INDEXED BY requests_in_progress_by_kind WHERE "
    "instance_id = ? AND kind = ? AND status = 0 AND seq < ? ORDER BY seq DESC LIMIT ?";
constexpr char const* list_failed_sql =
    "SELECT id, seq, 2, created_ms FROM requests INDEXED BY requests_failed_by_kind WHERE "
    "instance_id = ? AND kind = ? AND status = 2 AND seq < ? ORDER BY seq DESC LIMIT ?";
constexpr char const* list_status_sql =
    "SELECT id, seq, status, created_ms FROM requests INDEXED BY requests_by_kind WHERE "
    "instance_id = ? AND kind = ? AND status = ? AND seq < ? ORDER BY seq DESC LIMIT ?";
constexpr char const* list_all_sql =
    "SELECT id, seq, status, created_ms FROM requests INDEXED BY requests_by_kind WHERE "
    "instance_id = ? AND kind = ? AND seq < ? ORDER BY seq DESC LIMIT ?";

} // namespace

requests::requests(database& db) : db_(db) {
    {
        statement_use s(db_.cached("SELECT value FROM meta WHERE key = 'request_seq'"));
        if (s->step())
            last_seq_ = stored_seq_ = s->column_int64(0);
    }
    // The high-water mark is written once per commit, inside it, rather than by every insert:
    // a seq is still never reused (a rolled-back insert may leave a gap, which ordering does not
    // mind), and start-up needs no table scan.
    db_.add_before_commit(this, [this] { store_mark(); });
    reload(); // the settlements a stop left unwritten
    undos_ = db_.undos();
}

requests::~requests() {
    // Inserts of this object that are still uncommitted may be committed after it is gone:
    // their mark goes into the same transaction now.
    if (last_seq_ != stored_seq_ && sqlite3_get_autocommit(db_.handle()) == 0) {
        try {
            store_mark();
        } catch (...) { // the commit that follows fails the same way, or there is none
        }
    }
    db_.remove_before_commit(this);
}

void requests::store_mark() {
    if (last_seq_ == stored_seq_)
        return;
    statement_use mark(db_.cached("UPDATE meta SET value = ? WHERE key = 'request_seq'"));
    mark->bind(1, last_seq_);
    mark->run();
    stored_seq_ = last_seq_;
}

std::int64_t requests::insert(request_row& row) {
    if (!is_request_id(row.id))
        throw sqlite_error(SQLITE_MISUSE, "a request id must be a version-4 UUID");
    row.seq = last_seq_ + 1;
    statement_use s(db_.cached("INSERT INTO requests(" ICEMU_REQUEST_COLUMNS
                               ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    auto const key = key_of(row.id);
    s->bind_blob(1, key.bytes)
        .bind(2, row.seq)
        .bind(3, as_int(row.kind))
        .bind(4, as_int(row.status));
    s->bind(5, row.instance_id).bind(6, row.permission_set_id).bind(7, row.account_id);
    s->bind(8, row.principal_type).bind(9, row.principal_id).bind(10, row.failure_reason);
    s->bind(11, row.created_ms);
    if (row.due_ms)
        s->bind(12, *row.due_ms);
    s->bind(13, as_int(row.settle_by)).bind(14, row.polls_left);
    s->bind(15, as_int(row.planned_status)).bind(16, row.planned_reason).bind(17, row.surface);
    s->run();
    last_seq_ = row.seq;
    ++due_changes_;
    return row.seq;
}

std::optional<request_row> requests::find(request_id const& id) {
    if (!is_request_id(id)) // no key: another version's bits would name a v4 id's request
        return std::nullopt;
    sync();
    statement_use s(db_.cached("SELECT " ICEMU_REQUEST_COLUMNS " FROM requests WHERE id = ?"));
    auto const key = key_of(id);
    s->bind_blob(1, key.bytes);
    if (!s->step())
        return std::nullopt;
    auto row = read_request(*s);
    if (auto const* settled = unwritten(id))
        settled_into(row, settled->status, settled->reason);
    return row;
}

page<request_summary> requests::list(std::string_view instance_id, request_kind kind,
                                     std::optional<request_status> status, std::int64_t before,
                                     std::int64_t limit) {
    sync();
    page<request_summary> out;
    auto keep = [&](request_summary const& row) {
        if (std::ssize(out.rows) == limit) {
            out.next_after = out.rows.back().seq;
            return false;
        }
        out.rows.push_back(row);
        return true;
    };
    if (settled_.empty() || !status || *status == request_status::in_progress) {
        // Without settlements waiting to be written, the rows as stored. Else those settled
        // have the status of their settlement: an IN_PROGRESS list leaves them out.
        scan(instance_id, kind, status, before, [&](request_summary const& stored) {
            auto row = stored;
            if (auto const* settled = unwritten(row.id)) {
                if (status)
                    return true;
                row.status = settled->status;
            }
            return keep(row);
        });
        return out;
    }
    // SUCCEEDED or FAILED: the rows stored so, merged (newest first) with the settlements so
    // that are not yet written into their rows (which are stored IN_PROGRESS).
    std::vector<request_summary> waiting;
    for (auto const& [key, settled] : settled_)
        if (settled.status == *status && settled.kind == kind && settled.seq < before &&
            settled.instance_id == instance_id)
            waiting.push_back(
                {id_of(request_key{key}), settled.seq, settled.status, settled.created_ms});
    std::ranges::sort(waiting, std::ranges::greater{}, &request_summary::seq);
    auto next = waiting.begin();
    bool full = false;
    scan(instance_id, kind, status, before, [&](request_summary const& stored) {
        for (; next != waiting.end() && next->seq > stored.seq; ++next)
            if (!keep(*next)) {
                full = true;
                return false;
            }
        full = !keep(stored);
        return !full;
    });
    for (; !full && next != waiting.end(); ++next)
        full = !keep(*next);
    return out;
}

void requests::scan(std::string_view instance_id, request_kind kind,
                    std::optional<request_status> status, std::int64_t before,
                    std::function<bool(request_summary const&)> const& take) {
    statement& s = db_.cached(!status                                  ? list_all_sql
                              : *status == request_status::in_progress ? list_in_progress_sql
                              : *status == request_status::failed      ? list_failed_sql
                                                                       : list_status_sql);
    statement_use use(s);
    s.bind(1, instance_id).bind(2, as_int(kind));
    int column = 3;
    if (status && *status == request_status::succeeded)
        s.bind(column++, as_int(*status));
    s.bind(column, before);
    s.bind(column + 1, std::int64_t{-1});
    while (s.step())
        if (!take(read_summary(s)))
            return;
}

std::vector<request_row> requests::list_all(request_filter const& filter) {
    sync();
    // A status filter applies to the rows as settled, written or not.
    bool const patch = !settled_.empty();
    statement_use s(db_.cached("SELECT " ICEMU_REQUEST_COLUMNS
                               " FROM requests WHERE (?1 < 0 OR status = ?1) AND "
                               "(?2 < 0 OR kind = ?2) AND (?3 IS NULL OR instance_id = ?3) "
                               "ORDER BY seq"));
    s->bind(1, filter.status && !patch ? as_int(*filter.status) : -1);
    s->bind(2, filter.kind ? as_int(*filter.kind) : -1);
    s->bind(3, filter.instance_id);
    std::vector<request_row> out;
    while (s->step()) {
        auto row = read_request(*s);
        if (patch) {
            if (auto const* settled = unwritten(row.id))
                settled_into(row, settled->status, settled->reason);
            if (filter.status && row.status != *filter.status)
                continue;
        }
        out.push_back(std::move(row));
    }
    return out;
}

bool requests::in_flight(std::string_view permission_set_id,
                         std::optional<std::string_view> account_id) {
    sync();
    // Rows stored IN_PROGRESS whose settlement is not yet written do not count: the ids, until
    // one without. With an account, two probes of the partial index, each a seek, rather than one
    // OR of the two accounts, which SQLite cannot seek on (every request in flight on the
    // permission set would be visited); one statement: one step instead of two.
    if (!account_id) {
        statement_use s(
            db_.cached("SELECT id FROM requests INDEXED BY requests_in_flight WHERE "
                       "permission_set_id = ? AND status = 0"));
        s->bind(1, permission_set_id);
        return any_unsettled(*s);
    }
    statement_use s(db_.cached(
        "SELECT id FROM requests INDEXED BY requests_in_flight WHERE permission_set_id = ?1 "
        "AND account_id = ?2 AND status = 0 UNION ALL SELECT id FROM requests INDEXED BY "
        "requests_in_flight WHERE permission_set_id = ?1 AND account_id IS NULL AND "
        "status = 0"));
    s->bind(1, permission_set_id).bind(2, *account_id);
    return any_unsettled(*s);
}

std::int64_t requests::count_in_flight() {
    // The partial index holds only the requests in flight: counting it never scans history.
    sync();
    statement_use s(
        db_.cached("SELECT count(*) FROM requests INDEXED BY requests_in_flight WHERE status = 0"));
    // Every settlement not yet written is of a row stored IN_PROGRESS.
    return (s->step() ? s->column_int64(0) : 0) - std::ssize(settled_);
}

bool requests::in_flight_in_instance(std::string_view instance_id) {
    sync();
    statement_use s(
        db_.cached("SELECT id FROM requests INDEXED BY requests_in_progress_by_kind WHERE "
                   "instance_id = ? AND status = 0"));
    s->bind(1, instance_id);
    return any_unsettled(*s);
}

bool requests::any_unsettled(statement& s) {
    while (s.step())
        if (unwritten(id_in(s, 0)) == nullptr)
            return true;
    return false;
}

std::vector<requests::due_entry> requests::due_entries() {
    statement_use s(
        db_.cached("SELECT due_ms, seq, id FROM requests INDEXED BY requests_in_progress_by_kind "
                   "WHERE status = 0 AND due_ms IS NOT NULL"));
    sync();
    std::vector<due_entry> out;
    while (s->step()) {
        auto const id = id_in(*s, 2);
        if (unwritten(id) == nullptr) // settled already
            out.push_back({s->column_int64(0), s->column_int64(1), id});
    }
    return out;
}

bool requests::settle(request_id const& id, request_status status,
                      std::optional<std::string> const& reason) {
    auto const row = find(id);
    if (!row || row->status != request_status::in_progress)
        return false;
    return settle({row->id, row->seq, row->kind, row->instance_id, row->created_ms}, status,
                  reason);
}

bool requests::settle(settling const& request, request_status status,
                      std::optional<std::string> const& reason) {
    sync();
    auto const key = key_of(request.id);
    if (!is_request_id(request.id) || settled_.contains(key.bytes))
        return false;
    // Appended in settling order, with what reads need of the row until it is written.
    statement_use s(
        db_.cached("INSERT INTO settled_requests(id, seq, kind, instance_id, created_ms, status, "
                   "failure_reason) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    s->bind_blob(1, key.bytes).bind(2, request.seq).bind(3, as_int(request.kind));
    s->bind(4, request.instance_id).bind(5, request.created_ms).bind(6, as_int(status));
    s->bind(7, reason);
    s->run();
    changed_at_ = db_.write_stamp();
    settlement settled{sqlite3_last_insert_rowid(db_.handle()),
                       request.seq,
                       request.kind,
                       std::string(request.instance_id),
                       request.created_ms,
                       status,
                       reason};
    settled_rows_.add(settled.n);
    settled_.emplace(key.bytes, std::move(settled));
    return true;
}

bool requests::write_settled(std::int64_t created_before, std::size_t keep_at_most,
                             std::int64_t max_rows) {
    if (!writes_due(created_before, keep_at_most))
        return false;
    changed_at_ = db_.write_stamp();
    auto it = settled_.begin();
    for (; max_rows > 0 && first_due(created_before, keep_at_most); --max_rows) {
        statement_use s(
            db_.cached("UPDATE requests SET status = ?, failure_reason = ?, due_ms = NULL WHERE "
                       "id = ? AND status = 0"));
        s->bind(1, as_int(it->second.status)).bind(2, it->second.reason).bind_blob(3, it->first);
        s->run();
        settled_rows_.remove(it->second.n);
        it = settled_.erase(it);
    }
    // The rows of settled_requests before the oldest still unwritten (rows since then that
    // were written stay until the prefix reaches them: reload() skips them), one range.
    statement_use erase(db_.cached("DELETE FROM settled_requests WHERE n < ?"));
    erase->bind(1, settled_rows_.oldest().value_or(std::numeric_limits<std::int64_t>::max()));
    erase->run();
    return first_due(created_before, keep_at_most);
}

bool requests::writes_due(std::int64_t created_before, std::size_t keep_at_most) {
    sync();
    return first_due(created_before, keep_at_most);
}

bool requests::first_due(std::int64_t created_before, std::size_t keep_at_most) const noexcept {
    return !settled_.empty() &&
           (settled_.begin()->second.created_ms < created_before || settled_.size() > keep_at_most);
}

std::optional<std::int64_t> requests::oldest_unwritten() {
    sync();
    if (settled_.empty())
        return std::nullopt;
    return settled_.begin()->second.created_ms;
}

void requests::sync() {
    // An undo of the changes made since a stamp at most that of settled_'s latest change may have
    // taken some of them back: what settled_requests holds now is the truth.
    if (db_.undos() != undos_) {
        if (changed_at_ != 0 && db_.undone_from(undos_) <= changed_at_)
            reload();
        undos_ = db_.undos();
    }
}

void requests::reload() {
    settled_.clear();
    settled_rows_.clear();
    statement_use s(db_.cached(
        "SELECT l.n, l.id, l.seq, l.kind, l.instance_id, l.created_ms, l.status, "
        "l.failure_reason FROM settled_requests l JOIN requests r ON r.id = l.id AND r.status = 0 "
        "ORDER BY l.n"));
    while (s->step()) {
        key_bytes key{};
        auto const blob = s->column_blob(1);
        if (blob.size() != key.size())
            continue;
        std::copy(blob.begin(), blob.end(), key.begin());
        settlement settled{s->column_int64(0),
                           s->column_int64(2),
                           static_cast<request_kind>(s->column_int64(3)),
                           s->column_string(4),
                           s->column_int64(5),
                           static_cast<request_status>(s->column_int64(6)),
                           s->column_optional(7)};
        settled_rows_.add(settled.n);
        settled_.insert_or_assign(key, std::move(settled));
    }
}

void requests::unwritten_rows::add(std::int64_t n) {
    if (flags_.empty())
        first_ = n;
    for (; n < first_; --first_) // not after appends, which take a greater n: kept whole
        flags_.push_front(false);
    auto const at = static_cast<std::size_t>(n - first_);
    if (at >= flags_.size())
        flags_.resize(at + 1, false);
    flags_[at] = true;
}

void requests::unwritten_rows::remove(std::int64_t n) {
    if (n < first_ || n - first_ >= std::ssize(flags_))
        return;
    flags_[static_cast<std::size_t>(n - first_)] = false;
    while (!flags_.empty() && !flags_.front()) {
        flags_.pop_front();
        ++first_;
    }
}

std::optional<std::int64_t> requests::unwritten_rows::oldest() const noexcept {
    if (flags_.empty())
        return std::nullopt;
    return first_;
}

requests::settlement const* requests::unwritten(request_id const& id) const {
    if (settled_.empty())
        return nullptr;
    auto const found = settled_.find(key_of(id).bytes);
    return found == settled_.end() ? nullptr : &found->second;
}

void requests::set_polls_left(request_id const& id, std::int64_t polls_left) {
    statement_use s(db_.cached("UPDATE requests SET polls_left = ? WHERE id = ?"));
    s->bind(1, polls_left).bind_blob(2, key_of(id).bytes);
    s->run();
}

void requests::reschedule(request_id const& id, settle_mode by, std::optional<std::int64_t> due_ms,
                          std::int64_t polls_left) {
    statement_use s(
        db_.cached("UPDATE requests SET settle_by = ?, due_ms = ?, polls_left = ? WHERE id = ? AND "
                   "status = 0"));
    s->bind(1, as_int(by));
    if (due_ms)
        s->bind(2, *due_ms);
    s->bind(3, polls_left).bind_blob(4, key_of(id).bytes);
    s->run();
    ++due_changes_;
}

void requests::for_each_schedulable(std::function<void(request_row const&)> const& visit) {
    statement_use s(db_.cached("SELECT " ICEMU_REQUEST_COLUMNS
                               " FROM requests WHERE status = 0 AND settle_by <> 3 ORDER BY seq"));
    sync();
    std::vector<request_row> rows;
    while (s->step()) {
        auto row = read_request(*s);
        if (unwritten(row.id) == nullptr) // settled already
            rows.push_back(std::move(row));
    }
    s->reset();
    for (auto const& row : rows)
        visit(row);
}

std::vector<std::tuple<request_kind, request_status, std::int64_t>> requests::counts() {
    statement_use s(
        db_.cached("SELECT kind, status, count(*) FROM requests GROUP BY kind, status"));
    sync();
    std::map<std::pair<request_kind, request_status>, std::int64_t> counted;
    while (s->step())
        counted[{static_cast<request_kind>(s->column_int64(0)),
                 static_cast<request_status>(s->column_int64(1))}] = s->column_int64(2);
    for (auto const& [key, settled] : settled_) { // their rows are stored IN_PROGRESS
        --counted[{settled.kind, request_status::in_progress}];
        ++counted[{settled.kind, settled.status}];
    }
    std::vector<std::tuple<request_kind, request_status, std::int64_t>> out;
    for (auto const& [combination, count] : counted)
        if (count > 0)
            out.emplace_back(combination.first, combination.second, count);
    return out;
}

std::int64_t requests::clock_offset_ms() {
    statement_use s(db_.cached("SELECT value FROM meta WHERE key = 'clock_offset_ms'"));
    return s->step() ? s->column_int64(0) : 0;
}

void requests::set_clock_offset_ms(std::int64_t offset_ms) {
    statement_use s(db_.cached("UPDATE meta SET value = ? WHERE key = 'clock_offset_ms'"));
    s->bind(1, offset_ms);
    s->run();
}

void requests::erase_instance(std::string_view instance_id) {
    sync();
    statement_use s(db_.cached("DELETE FROM requests WHERE instance_id = ?"));
    s->bind(1, instance_id);
    s->run();
    ++due_changes_;
    statement_use settled(db_.cached("DELETE FROM settled_requests WHERE instance_id = ?"));
    settled->bind(1, instance_id);
    settled->run();
    changed_at_ = db_.write_stamp();
    for (auto it = settled_.begin(); it != settled_.end();) {
        if (it->second.instance_id != instance_id) {
            ++it;
            continue;
        }
        settled_rows_.remove(it->second.n);
        it = settled_.erase(it);
    }
}

void requests::erase_all() {
    sync();
    db_.exec("DELETE FROM requests; DELETE FROM settled_requests");
    ++due_changes_;
    changed_at_ = db_.write_stamp();
    settled_.clear();
    settled_rows_.clear();
}

} // namespace icemu::store
