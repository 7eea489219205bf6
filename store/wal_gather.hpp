#pragma once

#include <sqlite3.h>

#include <cstdint>

namespace icemu::store {

/// The name of a SQLite VFS over the default one that, for a connection that asks for it
/// (gather_wal_writes), gathers the frames a commit appends to the WAL and writes them with one
/// pwrite when the commit frame is complete, instead of two per frame (the frame's header, then
/// its page). Every other file and connection passes through unchanged. Registered on first use.
char const* gathering_vfs();

/// Gathers the WAL writes of `db`'s main database from now on. Its WAL must be open (a first read
/// in WAL mode opens it) and both files must come from gathering_vfs(); false otherwise, and
/// nothing changes. A commit's frames still reach the file before the commit is published to any
/// reader and before sqlite3_step(COMMIT) returns; a failed write fails the commit as before.
bool gather_wal_writes(sqlite3* db) noexcept;

/// What the gathering has done so far, process-wide (for tests).
struct wal_gather_counts {
    std::uint64_t flushes = 0;        // writes of gathered bytes
    std::uint64_t gathered = 0;       // xWrite calls taken into a buffer
    std::uint64_t commit_flushes = 0; // flushes that a commit frame's end made
    std::uint64_t in_place = 0;       // writes of a gathering WAL that were not appends
};
wal_gather_counts wal_gather_stats() noexcept;

} // namespace icemu::store
