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
/// no request waits for a checkpoint's bulk (its page copies and, with synchronous=NORMAL, its
/// fsyncs). The request connection's automatic checkpoint is replaced by a WAL hook that wakes
/// this thread each time commits have added `threshold_pages` frames; the thread also checkpoints
/// every `interval` while the WAL is not empty. PASSIVE checkpoints never block the writer.
///
/// The writer starts the WAL over from its beginning only when a checkpoint has copied all of it,
/// which a thread of its own never manages under sustained writes: commits land while it copies
/// (a 5 s write benchmark grew the WAL to 600 MiB). So once the WAL holds `restart_pages` frames
/// and a background pass has left at most `residual_pages` uncopied, finish_wal() (called on the
/// writer's thread between transactions: the commit gate calls it after a commit, once that
/// commit's answers are on their way) copies those few, where no commit can land in between, and
/// the write after it restarts the WAL.
///
/// That catch-up and the restart fsync the WAL and the database file on the request thread: no
/// call is served for 10-35 ms (perf sched: the request thread's sleeps under a write benchmark
/// were those fsyncs). `restart_pages` makes it rare: with about 4 pages a write, 16,384 pages
/// brought it three times a second and a write p99 of 32-40 ms; 262,144 (a WAL of about 270 MiB
/// at 1 KiB pages, reached only under sustained writes) every 5-6 s and a p99 of 9-13 ms.
struct checkpoint_settings {
    /// 16,384 frames (16 MiB at 1 KiB pages): about two passes a second under sustained writes.
    /// Each pass copies a hot page (the ends of the indexes) once however often it changed, so
    /// fewer passes copy less: 18.5 KiB written to disk and 94 us of CPU a request under
    /// bench/write.lua at 32 connections, against 32.6 KiB and 116 us with a pass every 1,000.
    int threshold_pages = 16384;
    std::chrono::milliseconds interval{1000};
    int restart_pages = 262144;
    int residual_pages = 512;
};

class checkpointer {
public:
    /// Opens the second connection on `path` and installs the hook on `writer`. Throws
    /// sqlite_error when the connection cannot be opened.
    checkpointer(sqlite3* writer, std::string const& path, checkpoint_settings settings);
    /// Stops the thread after a last checkpoint and removes the hook.
    ~checkpointer();
    checkpointer(checkpointer const&) = delete;
    checkpointer& operator=(checkpointer const&) = delete;

    /// Checkpoints run so far (for tests).
    std::uint64_t runs() const;
    /// WAL frames those checkpoints copied into the database file (for tests).
    std::uint64_t frames_copied() const;
    /// Asks the thread for a pass now (as the hook does per `threshold_pages` new frames).
    void wake() noexcept;
    /// True when a pass left a large WAL nearly copied (see finish_wal).
    bool catch_up_due() const noexcept { return catch_up_.load(std::memory_order_relaxed); }
    /// On the writer's thread, outside any transaction of its connection: copies what the last
    /// pass left of a large WAL, so that the next commit starts it over. False when no pass asked
    /// for it. Its fsyncs (WAL, then database file) take 2-5 ms here: hence not in the commit.
    bool finish_wal() noexcept;
    /// finish_wal() calls that copied all of a large WAL, so that the next commit
    /// starts it over (for tests).
    std::uint64_t catch_ups() const { return catch_ups_.load(std::memory_order_relaxed); }

private:
    static int on_commit(void* self, sqlite3* db, char const* name, int pages) noexcept;
    bool sync_database() noexcept;
    void run() noexcept;

    struct close {
        void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
    };
    sqlite3* writer_;
    std::unique_ptr<sqlite3, close> own_;
    checkpoint_settings settings_;
    // The writer's thread only (the hook):
    int last_pages_ = 0; // the WAL's frames after the previous commit
    int fresh_ = 0;      // frames added since the thread was last woken
    // The thread's only: the WAL's frames and the frames copied, after the previous pass.
    int last_frames_ = 0;
    int last_copied_ = 0;
    // Shared:
    std::atomic<bool> catch_up_{false}; // a pass left a large WAL nearly copied
    std::atomic<std::uint64_t> catch_ups_{0};
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
