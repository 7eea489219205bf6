#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.hpp"
#include "store/records.hpp"

namespace icemu::store {

/// Filters of the admin listing; unset members match everything.
struct request_filter {
    std::optional<request_status> status;
    std::optional<request_kind> kind;
    std::optional<std::string> instance_id;
};

/// The asynchronous requests (provisioning, assignment creation and deletion). Every call
/// throws sqlite_error on failure.
///
/// A settlement is written twice: at once as a row appended to `settled_requests` (in settling
/// order: one page for many) and into the request's own row later, by write_settled(), in the
/// rows' order (creation order: one page for many again), once the requests created before them
/// have settled too. Until then every read here answers as if the row were written: this object
/// keeps a copy of the settlements not yet written (read again from the table after a rollback
/// or when the store is opened).
class requests {
public:
    /// Reads the sequence high-water mark.
    explicit requests(database& db);
    ~requests();
    requests(requests const&) = delete;
    requests& operator=(requests const&) = delete;

    /// Stores a new request; assigns and returns its seq. Its id must be a version-4 UUID
    /// (is_request_id; new ones from new_request_id): it is stored as its key (request_keys.hpp).
    /// Throws sqlite_error (SQLITE_MISUSE) for another id.
    std::int64_t insert(request_row& row);
    /// The request with this id; nothing for an unknown id or one that is not version 4.
    std::optional<request_row> find(request_id const& id);
    /// Requests of one kind in an instance, newest first; `before` is the seq of the last row seen.
    /// Reads only the covering index (migration 5), so a page costs the same at any table size.
    page<request_summary> list(std::string_view instance_id, request_kind kind,
                               std::optional<request_status> status, std::int64_t before,
                               std::int64_t limit);
    /// Every request matching `filter`, oldest first (the admin listing).
    std::vector<request_row> list_all(request_filter const& filter);

    /// True if an IN_PROGRESS request holds the permission set for the account, or for every
    /// account (an ALL_PROVISIONED_ACCOUNTS request); with no account, any IN_PROGRESS request
    /// on the permission set.
    bool in_flight(std::string_view permission_set_id, std::optional<std::string_view> account_id);
    std::int64_t count_in_flight();
    /// True if any request of the instance is IN_PROGRESS.
    bool in_flight_in_instance(std::string_view instance_id);
    /// An IN_PROGRESS request's due time and seq (due order: by due time, then seq).
    struct due_entry {
        std::int64_t due_ms = 0;
        std::int64_t seq = 0;
        request_id id{};
    };
    /// Every IN_PROGRESS request that has a due time (read through the index of the requests
    /// in progress: as many rows as are in flight, whatever the history).
    std::vector<due_entry> due_entries();
    /// Counts the writes that can add or move a due time (insert, reschedule, erase): a copy of
    /// the due times made when it had a value is complete while it has that value.
    std::uint64_t due_changes() const noexcept { return due_changes_; }

    /// Ends an IN_PROGRESS request; false if it was not IN_PROGRESS. Its row is written later
    /// (write_settled); reads answer the new status at once.
    bool settle(request_id const& id, request_status status,
                std::optional<std::string> const& reason);
    /// What a settlement keeps of its request, as find() answered it.
    struct settling {
        request_id id{};
        std::int64_t seq = 0;
        request_kind kind = request_kind::provision;
        std::string_view instance_id;
        std::int64_t created_ms = 0;
    };
    /// settle() of a request that find() answered IN_PROGRESS since the last write (no look-up);
    /// false if it has settled since.
    bool settle(settling const& request, request_status status,
                std::optional<std::string> const& reason);
    /// Writes into their rows the settlements of requests created before `created_before` (in
    /// virtual ms), and the oldest beyond `keep_at_most` settlements not yet written, in the
    /// rows' order, at most `max_rows` of them. True when more of them remain.
    bool write_settled(std::int64_t created_before, std::size_t keep_at_most,
                       std::int64_t max_rows);
    /// True when write_settled() with these bounds would write a row.
    bool writes_due(std::int64_t created_before, std::size_t keep_at_most);
    /// The creation time (virtual ms) of the oldest request whose settlement is not yet written
    /// into its row, if any.
    std::optional<std::int64_t> oldest_unwritten();
    /// Settlements not yet written into their rows.
    std::size_t unwritten() const noexcept { return settled_.size(); }
    void set_polls_left(request_id const& id, std::int64_t polls_left);
    /// Re-plans an IN_PROGRESS request's settlement (a change of scheduler mode).
    void reschedule(request_id const& id, settle_mode by, std::optional<std::int64_t> due_ms,
                    std::int64_t polls_left);
    /// Calls `visit` for every IN_PROGRESS request that the scheduler (not a rule) settles.
    void for_each_schedulable(std::function<void(request_row const&)> const& visit);
    /// (kind, status, count) for every combination present.
    std::vector<std::tuple<request_kind, request_status, std::int64_t>> counts();

    /// The scheduler's virtual-clock offset, kept with the due times it shifts.
    std::int64_t clock_offset_ms();
    void set_clock_offset_ms(std::int64_t offset_ms);

    void erase_instance(std::string_view instance_id);
    void erase_all();

private:
    /// Writes the high-water mark into the open transaction if it moved since it was stored.
    void store_mark();
    /// A settlement not yet written into its row (a row of settled_requests).
    struct settlement {
        std::int64_t n = 0; // its row in settled_requests
        std::int64_t seq = 0;
        request_kind kind = request_kind::provision;
        std::string instance_id;
        std::int64_t created_ms = 0;
        request_status status = request_status::succeeded;
        std::optional<std::string> reason;
    };
    using key_bytes = std::array<unsigned char, 16>;
    /// Makes settled_ the table's again after an undo of the transaction that changed it.
    void sync();
    /// Reads settled_ from settled_requests (the rows still IN_PROGRESS).
    void reload();
    /// writes_due() of settled_ as it is.
    bool first_due(std::int64_t created_before, std::size_t keep_at_most) const noexcept;
    /// The unwritten settlement of `id`, if any.
    settlement const* unwritten(request_id const& id) const;
    /// The rows of one kind in an instance, newest first, from seq `before` down; `status`
    /// filters them as stored. Calls `take` for each until it answers false.
    void scan(std::string_view instance_id, request_kind kind, std::optional<request_status> status,
              std::int64_t before, std::function<bool(request_summary const&)> const& take);
    /// True when one of the ids `s` yields (column 0) has no unwritten settlement.
    bool any_unsettled(statement& s);

    database& db_;
    std::int64_t last_seq_ = 0;     // the seq of the newest insert
    std::uint64_t due_changes_ = 0; // see due_changes()
    std::int64_t stored_seq_ = 0;   // the high-water mark as meta holds it
    // The settlements not yet written into their rows, in the rows' order (the key's: creation
    // time first), and their rows of settled_requests in order.
    std::map<key_bytes, settlement> settled_;
    // Which rows of settled_requests, from the oldest whose settlement is unwritten on (their n
    // grow with each append), are unwritten: the table's rows before the first are deleted.
    class unwritten_rows {
    public:
        void add(std::int64_t n);
        void remove(std::int64_t n);
        void clear() noexcept { flags_.clear(); }
        /// The n of the oldest, if any.
        std::optional<std::int64_t> oldest() const noexcept;

    private:
        std::deque<bool> flags_; // flags_[i]: row first_ + i; the first one is always set
        std::int64_t first_ = 0;
    };
    unwritten_rows settled_rows_;
    std::uint64_t undos_ = 0;      // db.undos() settled_ matches
    std::uint64_t changed_at_ = 0; // db.write_stamp() at settled_'s latest change
};

} // namespace icemu::store
