#pragma once

#include <cstdint>
#include <functional>
#include <optional>
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

    /// Ends an IN_PROGRESS request; false if it was not IN_PROGRESS.
    bool settle(request_id const& id, request_status status,
                std::optional<std::string> const& reason);
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

    database& db_;
    std::int64_t last_seq_ = 0;     // the seq of the newest insert
    std::uint64_t due_changes_ = 0; // see due_changes()
    std::int64_t stored_seq_ = 0;   // the high-water mark as meta holds it
};

} // namespace icemu::store
