#pragma once

#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/checkpointer.hpp"
#include "store/statement.hpp"

namespace icemu::store {

struct database_options {
    std::string path = ":memory:";
    bool synchronous_full =
        false; // FULL survives power loss; NORMAL (WAL) survives a process crash
    std::int64_t cache_kib = 8192;
    /// Bytes of the database file SQLite may map (read through the OS cache, no copy into its own
    /// cache; mapped pages are not anonymous memory). Bounded: 0 turns mapping off.
    std::int64_t mmap_bytes = 256 * 1024 * 1024;
    /// Checkpoint the WAL on a thread of its own (see checkpointer) instead of in the commit that
    /// fills it. Ignored for an in-memory database.
    bool background_checkpoints = true;
    checkpoint_settings checkpoints;
    /// Opens the file read-only (SQLITE_OPEN_READONLY): reads work, every write throws
    /// SQLITE_READONLY. The file must exist and hold the current schema (else unusable_store).
    bool read_only = false;
    /// The most the database file may hold (PRAGMA max_page_count, rounded down to whole pages,
    /// never below its current size); 0: no limit. A write that needs more throws SQLITE_FULL.
    std::int64_t max_size_bytes = 0;
    /// Writes the frames of each commit to the WAL with one write (wal_gather.hpp) instead of two
    /// a frame. Ignored for an in-memory or read-only database.
    bool gather_wal_writes = true;
    /// The page size of a new database file (0: SQLite's, 4096); a file keeps the size it was
    /// made with. A settlement changes a few rows in pages of several indexes, and each commit
    /// writes every page it changed to the WAL, then the checkpoint to the file: small pages
    /// write about a third of the bytes of 4 KiB ones, for the same instructions.
    int new_page_size = 1024;
};

/// The one SQLite connection, in WAL mode, with migrations applied. Writes go into one shared
/// transaction that commit() ends, so requests that arrive together share a commit (group
/// commit); each request's changes sit in a write_scope savepoint inside it. Not thread-safe.
class database {
public:
    /// Opens (creating if needed) and migrates. Throws sqlite_error.
    explicit database(database_options const& options);
    ~database();
    database(database const&) = delete;
    database& operator=(database const&) = delete;

    sqlite3* handle() const noexcept { return db_.get(); }
    /// Runs one or more statements without results. Throws sqlite_error.
    void exec(std::string_view sql);
    /// A prepared statement kept for the connection's life, keyed by the address of `sql`, which
    /// must be a string literal. Use through statement_use so it is reset after use.
    statement& cached(char const* sql);

    /// True when opened read-only (database_options::read_only).
    bool read_only() const noexcept { return read_only_; }
    /// The size limit in bytes that applies (0: none): max_size_bytes rounded down to whole
    /// pages, or the file's size when it was larger already.
    std::int64_t max_size_bytes() const noexcept { return max_size_bytes_; }

    /// True while the shared write transaction is open (changes not yet durable), or lost with
    /// changes that the next commit() must report.
    bool in_transaction() const noexcept { return open_ || broken_; }
    /// Opens the shared write transaction unless it is open; ends a read transaction first.
    /// Throws sqlite_error (SQLITE_READONLY at once on a read-only store).
    void begin();
    /// Opens a read transaction (a deferred BEGIN) unless a transaction is open, so that the
    /// reads until end_read() share one snapshot and one WAL read lock: in autocommit every
    /// statement takes and drops that lock (two fcntl calls, a tenth of a Describe's time).
    /// Only this connection writes, and begin() ends it first, so the snapshot is never stale.
    void begin_read() noexcept;
    /// Ends the read transaction begin_read() opened, if it is still a read transaction.
    void end_read() noexcept;
    /// True while a read transaction of begin_read() is open.
    bool reading() const noexcept { return reading_; }
    /// Commits the shared write transaction if open; on failure rolls it back and throws. After
    /// the transaction was lost with released changes in it (see lost()), throws that failure
    /// once and rolls back whatever was written since: the whole batch fails together.
    void commit();
    /// `fn` runs inside the shared write transaction just before each commit() that commits
    /// it (not when it fails or was abandoned): for a value that many writes of one batch
    /// change, written once. If it throws, the commit fails as a whole. `owner` identifies it
    /// for remove_before_commit(), which its owner must call before it goes away.
    void add_before_commit(void const* owner, std::function<void()> fn);
    void remove_before_commit(void const* owner) noexcept;
    /// Abandons the shared write transaction if open.
    void rollback() noexcept;
    /// Shared write transactions rolled back so far, by rollback(), abandon(), lost() or a
    /// failed commit(): a cache of what the store held (see core::service) is stale when it
    /// changed.
    std::uint64_t rollbacks() const noexcept { return rollbacks_; }
    /// Undos so far: rollbacks() and every write_scope rolled back to its savepoint.
    std::uint64_t undos() const noexcept { return undos_; }
    /// Orders writes: a new value when the shared transaction opens and when a write_scope
    /// opens; a change made while it is S is undone only by an undo from a stamp at most S.
    std::uint64_t write_stamp() const noexcept { return stamps_; }
    /// The least stamp from which the undos after the first `seen` undid changes: no change made
    /// at a smaller stamp was undone by them (max when none; 0 when they are too many to tell).
    std::uint64_t undone_from(std::uint64_t seen) const noexcept;
    /// Abandons it after a failure (`cause`, an extended result code): when released changes
    /// were in it, the next commit() throws, so no waiter is told they are durable.
    void abandon(int cause = SQLITE_ABORT) noexcept;
    /// Records that SQLite itself rolled the shared transaction back (SQLITE_FULL, IOERR or
    /// NOMEM in a statement without a statement journal): as abandon(cause), without a ROLLBACK.
    void lost(int cause) noexcept;
    /// Pages the database file holds (0: a new, empty file).
    std::int64_t page_count();
    /// Bytes the database file occupies (page_count * page_size).
    std::int64_t size_bytes();
    /// Moves the WAL's content into the database file (PASSIVE: never waits).
    void checkpoint() noexcept;
    /// Checkpoints the background thread has run (0 without one).
    std::uint64_t background_checkpoints() const {
        return checkpointer_ ? checkpointer_->runs() : 0;
    }
    /// Copies what the background checkpoints left of a large WAL so that the next commit
    /// starts it over (checkpointer::finish_wal), if a pass asked for it: ends a shared read
    /// first. Inside a write transaction it leaves the copy to the next begin(), before its
    /// BEGIN. Nothing without a checkpointer.
    void finish_wal() noexcept;
    /// True when a background pass asked for a catch-up (see finish_wal).
    bool catch_up_due() const noexcept { return checkpointer_ && checkpointer_->catch_up_due(); }
    /// Catch-ups that copied all of a large WAL (0 without a checkpointer; for tests).
    std::uint64_t catch_up_checkpoints() const {
        return checkpointer_ ? checkpointer_->catch_ups() : 0;
    }
    /// True when the frames of a commit reach the WAL in one write (database_options).
    bool gathering_wal_writes() const noexcept { return gathering_; }
    /// WAL frames the background thread copied into the database file (0 without one).
    std::uint64_t background_frames_copied() const {
        return checkpointer_ ? checkpointer_->frames_copied() : 0;
    }

private:
    friend class write_scope; // marks released_, takes stamps, notes undos
    void limit_size(std::int64_t bytes);
    /// Counts an undo of the changes made since stamp `from`.
    void note_undo(std::uint64_t from) noexcept;
    struct close {
        void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
    };
    std::unique_ptr<sqlite3, close> db_;
    std::unordered_map<char const*, std::unique_ptr<statement>> cache_;
    std::vector<std::pair<void const*, std::function<void()>>> before_commit_;
    bool open_ = false;
    bool reading_ = false;          // a read transaction of begin_read() is open
    bool catch_up_put_off_ = false; // finish_wal() found a write open: begin() runs it
    bool broken_ = false;
    bool released_ = false;        // a write_scope released changes into the open transaction
    int broken_cause_ = SQLITE_OK; // why the transaction with released changes was lost
    bool read_only_ = false;
    bool gathering_ = false;
    std::int64_t max_size_bytes_ = 0;
    std::uint64_t rollbacks_ = 0;                // see rollbacks()
    std::uint64_t undos_ = 0;                    // see undos()
    std::uint64_t stamps_ = 0;                   // see write_stamp()
    std::uint64_t transaction_stamp_ = 0;        // when the shared transaction opened
    std::array<std::uint64_t, 64> undone_{};     // undone_[n % 64]: the stamp undo n undid from
    std::unique_ptr<checkpointer> checkpointer_; // last: stops before the connection closes
};

/// Tag of a write_scope whose writes are one statement (see there).
struct single_statement_t {
    explicit single_statement_t() = default;
};
inline constexpr single_statement_t single_statement{};

/// One request's writes: a SAVEPOINT inside the shared transaction. release() keeps them (they
/// become durable at the next commit()); leaving the scope without release() rolls them back.
class write_scope {
public:
    explicit write_scope(database& db);
    /// For writes that are one statement: no savepoint (two statements fewer per request). A
    /// statement that fails leaves nothing behind in SQLite (its constraints are checked before
    /// it writes), or else rolls the whole transaction back, which the scope reports as with a
    /// savepoint.
    write_scope(database& db, single_statement_t);
    ~write_scope();
    write_scope(write_scope const&) = delete;
    write_scope& operator=(write_scope const&) = delete;
    void release();

private:
    database& db_;
    bool savepoint_ = true;
    bool done_ = false;
    std::uint64_t stamp_ = 0; // the database's write stamp when this scope opened
};

} // namespace icemu::store
