#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

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

    /// True while the shared write transaction is open (changes not yet durable).
    bool in_transaction() const noexcept { return open_ || broken_; }
    /// Opens the shared write transaction unless it is open.
    void begin();
    /// Commits the shared write transaction if open; on failure rolls it back and throws.
    void commit();
    /// Abandons the shared write transaction if open.
    void rollback() noexcept;
    /// Abandons it after a failure: the next commit() throws, so no waiter is told it is durable.
    void abandon() noexcept;
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

private:
    struct close {
        void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
    };
    std::unique_ptr<sqlite3, close> db_;
    std::unordered_map<char const*, std::unique_ptr<statement>> cache_;
    bool open_ = false;
    bool broken_ = false;
    std::unique_ptr<checkpointer>
        checkpointer_; // declared last: stops before the connection closes
};

/// One request's writes: a SAVEPOINT inside the shared transaction. release() keeps them (they
/// become durable at the next commit()); leaving the scope without release() rolls them back.
class write_scope {
public:
    explicit write_scope(database& db);
    ~write_scope();
    write_scope(write_scope const&) = delete;
    write_scope& operator=(write_scope const&) = delete;
    void release();

private:
    database& db_;
    bool done_ = false;
};

} // namespace icemu::store
