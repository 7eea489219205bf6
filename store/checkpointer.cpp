#include "store/checkpointer.hpp"

#include "store/error.hpp"

namespace icemu::store {

checkpointer::checkpointer(sqlite3* writer, std::string const& path, int threshold_pages,
                           std::chrono::milliseconds interval)
    : writer_(writer), threshold_(threshold_pages), interval_(interval) {
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
    if (pages >= me.threshold_) {
        me.wake();
        return SQLITE_OK;
    }
    // Below the threshold the timer takes it: one lock-free store per commit.
    if (!me.dirty_flag_.load(std::memory_order_relaxed))
        me.dirty_flag_.store(true, std::memory_order_relaxed);
    return SQLITE_OK;
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
        cv_.wait_for(lock, interval_, [this] { return wanted_ || stop_; });
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
            lock.lock();
            ++runs_;
            if (rc == SQLITE_OK && copied > 0)
                copied_ += static_cast<std::uint64_t>(copied);
        }
        if (last)
            return;
    }
}

} // namespace icemu::store
