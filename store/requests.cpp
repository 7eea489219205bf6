#include "store/requests.hpp"

#include <tuple>

#include "store/error.hpp"
#include "store/page_reader.hpp"
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

std::int64_t as_int(auto e) {
    return static_cast<std::int64_t>(e);
}

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
    statement_use s(db_.cached("SELECT " ICEMU_REQUEST_COLUMNS " FROM requests WHERE id = ?"));
    auto const key = key_of(id);
    s->bind_blob(1, key.bytes);
    if (!s->step())
        return std::nullopt;
    return read_request(*s);
}

page<request_summary> requests::list(std::string_view instance_id, request_kind kind,
                                     std::optional<request_status> status, std::int64_t before,
                                     std::int64_t limit) {
    // IN_PROGRESS and FAILED from the partial index of each (the status is the index's), and
    // SUCCEEDED, most requests, from the index of all with their status.
    if (status == request_status::in_progress || status == request_status::failed) {
        statement_use s(
            status == request_status::in_progress
                ? db_.cached("SELECT id, seq, 0, created_ms FROM requests INDEXED BY "
                             "requests_in_progress_by_kind WHERE instance_id = ? AND kind = ? "
                             "AND status = 0 AND seq < ? ORDER BY seq DESC LIMIT ?")
                : db_.cached("SELECT id, seq, 2, created_ms FROM requests INDEXED BY "
                             "requests_failed_by_kind WHERE instance_id = ? AND kind = ? AND "
                             "status = 2 AND seq < ? ORDER BY seq DESC LIMIT ?"));
        s->bind(1, instance_id).bind(2, as_int(kind)).bind(3, before).bind(4, limit + 1);
        return read_page<request_summary>(*s, limit, read_summary, 1);
    }
    if (status) {
        statement_use s(
            db_.cached("SELECT id, seq, status, created_ms FROM requests "
                       "INDEXED BY requests_by_kind WHERE instance_id = ? AND kind = ? AND "
                       "status = ? AND seq < ? ORDER BY seq DESC LIMIT ?"));
        s->bind(1, instance_id).bind(2, as_int(kind)).bind(3, as_int(*status)).bind(4, before);
        s->bind(5, limit + 1);
        return read_page<request_summary>(*s, limit, read_summary, 1);
    }
    statement_use s(
        db_.cached("SELECT id, seq, status, created_ms FROM requests "
                   "INDEXED BY requests_by_kind WHERE instance_id = ? AND kind = ? AND "
                   "seq < ? ORDER BY seq DESC LIMIT ?"));
    s->bind(1, instance_id).bind(2, as_int(kind)).bind(3, before).bind(4, limit + 1);
    return read_page<request_summary>(*s, limit, read_summary, 1);
}

std::vector<request_row> requests::list_all(request_filter const& filter) {
    statement_use s(db_.cached("SELECT " ICEMU_REQUEST_COLUMNS
                               " FROM requests WHERE (?1 < 0 OR status = ?1) AND "
                               "(?2 < 0 OR kind = ?2) AND (?3 IS NULL OR instance_id = ?3) "
                               "ORDER BY seq"));
    s->bind(1, filter.status ? as_int(*filter.status) : -1);
    s->bind(2, filter.kind ? as_int(*filter.kind) : -1);
    s->bind(3, filter.instance_id);
    std::vector<request_row> out;
    while (s->step())
        out.push_back(read_request(*s));
    return out;
}

bool requests::in_flight(std::string_view permission_set_id,
                         std::optional<std::string_view> account_id) {
    if (!account_id) {
        statement_use s(
            db_.cached("SELECT 1 FROM requests INDEXED BY requests_in_flight WHERE "
                       "permission_set_id = ? AND status = 0 LIMIT 1"));
        s->bind(1, permission_set_id);
        return s->step();
    }
    // Two probes of the partial index, each a seek, rather than one OR of the two accounts,
    // which SQLite cannot seek on: with an OR every request in flight on the permission set
    // would be visited. One statement: one step instead of two.
    statement_use s(db_.cached(
        "SELECT EXISTS(SELECT 1 FROM requests INDEXED BY requests_in_flight WHERE "
        "permission_set_id = ?1 AND account_id = ?2 AND status = 0) OR EXISTS(SELECT 1 FROM "
        "requests INDEXED BY requests_in_flight WHERE permission_set_id = ?1 AND account_id IS "
        "NULL AND status = 0)"));
    s->bind(1, permission_set_id).bind(2, *account_id);
    return s->step() && s->column_int64(0) != 0;
}

std::int64_t requests::count_in_flight() {
    // The partial index holds only the requests in flight: counting it never scans history.
    statement_use s(
        db_.cached("SELECT count(*) FROM requests INDEXED BY requests_in_flight WHERE status = 0"));
    return s->step() ? s->column_int64(0) : 0;
}

bool requests::in_flight_in_instance(std::string_view instance_id) {
    statement_use s(
        db_.cached("SELECT 1 FROM requests INDEXED BY requests_in_progress_by_kind WHERE "
                   "instance_id = ? AND status = 0 LIMIT 1"));
    s->bind(1, instance_id);
    return s->step();
}

std::vector<requests::due_entry> requests::due_entries() {
    statement_use s(
        db_.cached("SELECT due_ms, seq, id FROM requests INDEXED BY requests_in_progress_by_kind "
                   "WHERE status = 0 AND due_ms IS NOT NULL"));
    std::vector<due_entry> out;
    while (s->step())
        out.push_back({s->column_int64(0), s->column_int64(1), id_in(*s, 2)});
    return out;
}

bool requests::settle(request_id const& id, request_status status,
                      std::optional<std::string> const& reason) {
    statement_use s(db_.cached(
        "UPDATE requests SET status = ?, failure_reason = ?, due_ms = NULL WHERE id = ? AND "
        "status = 0"));
    s->bind(1, as_int(status)).bind(2, reason).bind_blob(3, key_of(id).bytes);
    return s->run() > 0;
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
    std::vector<request_row> rows;
    while (s->step())
        rows.push_back(read_request(*s));
    s->reset();
    for (auto const& row : rows)
        visit(row);
}

std::vector<std::tuple<request_kind, request_status, std::int64_t>> requests::counts() {
    statement_use s(
        db_.cached("SELECT kind, status, count(*) FROM requests GROUP BY kind, status"));
    std::vector<std::tuple<request_kind, request_status, std::int64_t>> out;
    while (s->step())
        out.emplace_back(static_cast<request_kind>(s->column_int64(0)),
                         static_cast<request_status>(s->column_int64(1)), s->column_int64(2));
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
    statement_use s(db_.cached("DELETE FROM requests WHERE instance_id = ?"));
    s->bind(1, instance_id);
    s->run();
    ++due_changes_;
}

void requests::erase_all() {
    db_.exec("DELETE FROM requests");
    ++due_changes_;
}

} // namespace icemu::store
