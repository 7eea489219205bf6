#pragma once

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace icemu::store {

/// Moves the WAL into the database file on a thread of its own, over a second connection, so that
/// no request waits for a checkpoint (its page copies and, with synchronous=NORMAL, its fsyncs).
/// The request connection's automatic checkpoint is replaced by a WAL hook that wakes this thread
/// once the WAL holds `threshold_pages` pages; the thread also checkpoints every `interval` while
/// the WAL is not empty. PASSIVE checkpoints never block the writer, and the writer restarts the
/// WAL from its beginning once a checkpoint has copied all of it, so the WAL stays small.
class checkpointer {
public:
    /// Opens the second connection on `path` and installs the hook on `writer`. Throws
    /// sqlite_error when the connection cannot be opened.
    checkpointer(sqlite3* writer, std::string const& path, int threshold_pages,
                 std::chrono::milliseconds interval);
    /// Stops the thread after a last checkpoint and removes the hook.
    ~checkpointer();
    checkpointer(checkpointer const&) = delete;
    checkpointer& operator=(checkpointer const&) = delete;

    /// Checkpoints run so far (for tests).
    std::uint64_t runs() const;
    /// WAL frames those checkpoints copied into the database file (for tests).
    std::uint64_t frames_copied() const;

private:
    static int on_commit(void* self, sqlite3* db, char const* name, int pages) noexcept;
    void wake() noexcept;
    void run() noexcept;

    struct close {
        void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
    };
    sqlite3* writer_;
    std::unique_ptr<sqlite3, close> own_;
    int threshold_;
    std::chrono::milliseconds interval_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    bool wanted_ = false;
    bool stop_ = false;
    std::atomic<bool> dirty_flag_{false}; // a commit since the last checkpoint
    std::uint64_t runs_ = 0;
    std::uint64_t copied_ = 0;
    std::thread thread_;
};

} // namespace icemu::store
