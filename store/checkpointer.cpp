#include "store/checkpointer.hpp"

#include "store/error.hpp"

namespace icemu::store {

checkpointer::checkpointer(sqlite3* writer, std::string const& path, checkpoint_settings settings)
    : writer_(writer), settings_(settings) {
    sqlite3* raw = nullptr;
    // The same flags as the request connection (no URI), so both name the same file.
    int rc = sqlite3_open_v2(path.c_str(), &raw,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                             nullptr);
    own_.reset(raw);
    // A connection that has read nothing has not opened the WAL yet and takes the file for a
    // rollback-journal one: its checkpoints would do nothing. One read opens the WAL for good.
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(raw, "PRAGMA schema_version", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
        throw sqlite_error(rc, "cannot open " + path + " for checkpoints: " +
                                   (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    thread_ = std::thread([this] { run(); });
    // Replaces wal_autocheckpoint, which is itself a WAL hook: commits no longer checkpoint.
    sqlite3_wal_hook(writer_, &checkpointer::on_commit, this);
}

checkpointer::~checkpointer() {
    sqlite3_wal_hook(writer_, nullptr, nullptr);
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
}

std::uint64_t checkpointer::runs() const {
    std::lock_guard lock(mutex_);
    return runs_;
}

std::uint64_t checkpointer::frames_copied() const {
    std::lock_guard lock(mutex_);
    return copied_;
}

int checkpointer::on_commit(void* self, sqlite3*, char const*, int pages) noexcept {
    auto& me = *static_cast<checkpointer*>(self);
    // Frames this commit added: all of them when it started the WAL over.
    me.fresh_ += pages >= me.last_pages_ ? pages - me.last_pages_ : pages;
    me.last_pages_ = pages;
    if (me.fresh_ >= me.settings_.threshold_pages) {
        me.fresh_ = 0;
        me.wake();
        return SQLITE_OK;
    }
    // Below the threshold the timer takes it: one lock-free store per commit.
    if (!me.dirty_flag_.load(std::memory_order_relaxed))
        me.dirty_flag_.store(true, std::memory_order_relaxed);
    return SQLITE_OK;
}

bool checkpointer::finish_wal() noexcept {
    if (!catch_up_.exchange(false, std::memory_order_relaxed))
        return false;
    // The few frames the background pass left. SQLITE_BUSY: the thread's next pass is running;
    // the next call tries again. A reader still using older frames (another connection) keeps
    // them from being copied: the WAL cannot start over yet, and the thread's next pass decides
    // again.
    int frames = 0;
    int copied = 0;
    int const rc =
        sqlite3_wal_checkpoint_v2(writer_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied);
    if (rc != SQLITE_OK)
        catch_up_.store(true, std::memory_order_relaxed);
    else if (frames > 0 && copied == frames)
        catch_ups_.fetch_add(1, std::memory_order_relaxed);
    return true;
}

// Syncs the database file after each pass. SQLite syncs it only when a pass caught up with the
// WAL, which under sustained writes is the writer's catch-up alone: that fsync then flushed every
// page the background passes had copied (11-18 ms measured, on the request thread).
// False when it failed: then no catch-up may let the WAL start over on top of those pages.
bool checkpointer::sync_database() noexcept {
    sqlite3_file* file = nullptr;
    if (sqlite3_file_control(own_.get(), "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
        file == nullptr || file->pMethods == nullptr)
        return false;
    return file->pMethods->xSync(file, SQLITE_SYNC_NORMAL) == SQLITE_OK;
}

void checkpointer::wake() noexcept {
    {
        std::lock_guard lock(mutex_);
        wanted_ = true;
    }
    cv_.notify_one();
}

void checkpointer::run() noexcept {
    std::unique_lock lock(mutex_);
    for (;;) {
        cv_.wait_for(lock, settings_.interval, [this] { return wanted_ || stop_; });
        bool const last = stop_;
        bool const due = wanted_ || dirty_flag_.exchange(false, std::memory_order_relaxed);
        wanted_ = false;
        if (due || last) {
            lock.unlock();
            // PASSIVE: copies what no reader still needs and never waits for the writer.
            int frames = 0;
            int copied = 0;
            int const rc = sqlite3_wal_checkpoint_v2(own_.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                                     &frames, &copied);
            // `copied` counts every frame of this WAL in the database file, not only this pass's:
            // what this pass added is the difference (all of it when the WAL started over).
            int fresh = 0;
            if (rc == SQLITE_OK) {
                fresh = frames >= last_frames_ && copied >= last_copied_ ? copied - last_copied_
                                                                         : copied;
                last_frames_ = frames;
                last_copied_ = copied;
            }
            bool const synced = fresh == 0 || sync_database();
            if (rc == SQLITE_OK && synced && frames >= settings_.restart_pages &&
                frames - copied <= settings_.residual_pages)
                catch_up_.store(true, std::memory_order_relaxed);
            lock.lock();
            ++runs_;
            copied_ += static_cast<std::uint64_t>(fresh);
        }
        if (last)
            return;
    }
}

} // namespace icemu::store
