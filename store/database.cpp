#include "store/database.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "store/error.hpp"
#include "store/schema.hpp"
#include "store/wal_gather.hpp"

namespace icemu::store {

database::database(database_options const& options) : read_only_(options.read_only) {
    // Before the first connection: no global mutex around every allocation for statistics
    // nobody reads (SQLITE_MISUSE once SQLite is initialised, which changes nothing).
    static int const configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    static_cast<void>(configured);
    sqlite3* raw = nullptr;
    // Read-only is SQLite's own flag, not file permissions: it holds for root too, and a missing
    // file is an error instead of a new empty store.
    int const mode = read_only_ ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    int const rc =
        sqlite3_open_v2(options.path.c_str(), &raw,
                        mode | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, gathering_vfs());
    db_.reset(raw);
    if (rc != SQLITE_OK) {
        std::string const message = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
        throw sqlite_error(rc, "cannot open " + options.path + ": " + message);
    }
    sqlite3_extended_result_codes(raw, 1);
    // WAL: readers never block the writer, and a commit is one append. NORMAL survives a crash of
    // the process (the WAL is on disk before the answer); FULL also survives power loss. A
    // read-only connection cannot change the journal mode: it reads the file as it is.
    exec("PRAGMA cache_size=-" + std::to_string(options.cache_kib));
    exec("PRAGMA mmap_size=" + std::to_string(options.mmap_bytes));
    exec("PRAGMA temp_store=MEMORY");
    // Debian builds SQLite with SECURE_DELETE on: every cell a change moves or removes is zeroed
    // on its page, for a privacy an emulator's store does not need.
    exec("PRAGMA secure_delete=OFF");
    exec("PRAGMA busy_timeout=5000");
    // A newer icemu's store may mean something else by the same rows (migration 6 changed what
    // a request's key is): refuse it rather than misread it or write rows it would misread.
    if (int const stored = stored_schema_version(*this); stored > schema_version())
        throw unusable_store(SQLITE_ERROR, "its schema is version " + std::to_string(stored) +
                                               ", newer than this icemu's (" +
                                               std::to_string(schema_version()) +
                                               "): open it with the icemu that wrote it");
    if (read_only_) {
        exec(options.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
        int const stored = stored_schema_version(*this);
        if (stored < schema_version())
            throw unusable_store(SQLITE_READONLY, "opened read-only, but its schema is version " +
                                                      std::to_string(stored) +
                                                      " and icemu needs version " +
                                                      std::to_string(schema_version()) +
                                                      ": open it once writable to migrate it");
    } else {
        // A new file holds nothing to protect until the schema exists: switching it to WAL and
        // creating the schema without fsyncs (a rollback journal and its four syncs, then the
        // WAL's) takes most of a cold start's time away. A file with pages keeps the configured
        // level throughout.
        if (page_count() == 0) {
            exec("PRAGMA synchronous=OFF");
            // Before the first table: a page size is fixed when the file is made.
            if (options.new_page_size > 0)
                exec("PRAGMA page_size=" + std::to_string(options.new_page_size));
        }
        exec("PRAGMA journal_mode=WAL");
        migrate(*this);
        exec(options.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    }
    if (options.max_size_bytes > 0)
        limit_size(options.max_size_bytes);
    bool const in_memory = options.path.empty() || options.path == ":memory:" ||
                           options.path.starts_with("file::memory:");
    // The frames of a commit go to the WAL in one write (wal_gather.hpp); the migrations above
    // have opened it.
    if (!read_only_ && !in_memory && options.gather_wal_writes)
        gathering_ = gather_wal_writes(db_.get());
    if (options.background_checkpoints && !in_memory && !read_only_)
        checkpointer_ =
            std::make_unique<checkpointer>(db_.get(), options.path, options.checkpoints);
}

void database::limit_size(std::int64_t bytes) {
    std::int64_t page_size = 0;
    {
        statement s(db_.get(), "PRAGMA page_size");
        if (s.step())
            page_size = s.column_int64(0);
    }
    if (page_size <= 0)
        throw sqlite_error(SQLITE_ERROR, "cannot read the page size");
    // SQLite never lowers max_page_count below the pages in use: it answers what applies.
    statement s(db_.get(), "PRAGMA max_page_count=" +
                               std::to_string(std::max<std::int64_t>(1, bytes / page_size)));
    if (s.step())
        max_size_bytes_ = s.column_int64(0) * page_size;
}

database::~database() {
    end_read();
    // Statements first: sqlite3_close_v2 would otherwise defer the close until they are gone.
    cache_.clear();
    rollback();
}

void database::exec(std::string_view sql) {
    std::string const text(sql);
    char* error = nullptr;
    int const rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        std::string message = error != nullptr ? error : sqlite3_errstr(rc);
        sqlite3_free(error);
        throw sqlite_error(sqlite3_extended_errcode(db_.get()), message);
    }
}

statement& database::cached(char const* sql) {
    auto& slot = cache_[sql];
    if (!slot)
        slot = std::make_unique<statement>(db_.get(), sql);
    return *slot;
}

void database::begin() {
    if (open_)
        return;
    // BEGIN IMMEDIATE itself succeeds on a read-only connection; fail before any work instead.
    if (read_only_)
        throw sqlite_error(SQLITE_READONLY, "attempt to write a readonly database");
    // Not upgraded in place: BEGIN IMMEDIATE takes the write lock before anything is read.
    end_read();
    // A catch-up that finish_wal() had to put off (a write was open) runs here, before this
    // write: under a steady stream of writes there may always be one open after a commit.
    if (catch_up_put_off_) {
        catch_up_put_off_ = false;
        if (checkpointer_ && checkpointer_->catch_up_due())
            checkpointer_->finish_wal();
    }
    statement_use s(cached("BEGIN IMMEDIATE"));
    s->run();
    open_ = true;
    transaction_stamp_ = ++stamps_;
}

void database::note_undo(std::uint64_t from) noexcept {
    ++undos_;
    undone_[undos_ % undone_.size()] = from;
}

std::uint64_t database::undone_from(std::uint64_t seen) const noexcept {
    if (undos_ - seen > undone_.size())
        return 0;
    std::uint64_t least = std::numeric_limits<std::uint64_t>::max();
    for (std::uint64_t n = seen + 1; n <= undos_; ++n)
        least = std::min(least, undone_[n % undone_.size()]);
    return least;
}

void database::begin_read() noexcept {
    if (open_ || reading_ || sqlite3_get_autocommit(db_.get()) == 0)
        return;
    try {
        statement_use s(cached("BEGIN"));
        s->run();
        reading_ = true;
    } catch (...) { // the reads then run in autocommit, each its own transaction
    }
}

void database::end_read() noexcept {
    if (!reading_)
        return;
    reading_ = false;
    // Nothing to write: COMMIT only releases the read lock. SQLite may have ended the
    // transaction itself after an I/O error, leaving autocommit on.
    if (open_ || sqlite3_get_autocommit(db_.get()) != 0)
        return;
    try {
        statement_use s(cached("COMMIT"));
        s->run();
    } catch (...) {
    }
    if (sqlite3_get_autocommit(db_.get()) == 0) // never left open for begin() to trip over
        sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void database::commit() {
    if (broken_) {
        // Requests answered after the loss joined the same batch, whose waiters all hear of the
        // failure: their changes go too, so nobody is told "failed" about a change that stays.
        int const cause = broken_cause_;
        broken_ = false;
        broken_cause_ = SQLITE_OK;
        rollback();
        std::string message = "the shared write transaction was rolled back";
        if (cause != SQLITE_ABORT)
            message.append(": ").append(sqlite3_errstr(cause));
        throw sqlite_error(cause, message);
    }
    if (!open_)
        return;
    if (sqlite3_get_autocommit(db_.get()) != 0) {
        // SQLite ended it without a write_scope noticing: whatever it held is gone.
        lost(SQLITE_ABORT);
        commit();
        return;
    }
    try {
        for (auto const& hook : before_commit_)
            hook.second();
        statement_use s(cached("COMMIT"));
        s->run();
        open_ = false;
        released_ = false;
    } catch (...) {
        rollback();
        throw;
    }
}

void database::add_before_commit(void const* owner, std::function<void()> fn) {
    before_commit_.emplace_back(owner, std::move(fn));
}

void database::remove_before_commit(void const* owner) noexcept {
    std::erase_if(before_commit_, [owner](auto const& hook) { return hook.first == owner; });
}

void database::rollback() noexcept {
    if (!open_)
        return;
    open_ = false;
    ++rollbacks_;
    note_undo(transaction_stamp_);
    released_ = false;
    if (sqlite3_get_autocommit(db_.get()) == 0)
        sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void database::abandon(int cause) noexcept {
    if (!open_)
        return;
    bool const had_changes = released_;
    rollback();
    if (had_changes && !broken_) {
        broken_ = true;
        broken_cause_ = cause;
    }
}

void database::lost(int cause) noexcept {
    abandon(cause); // no ROLLBACK is sent: rollback() sees that SQLite is in autocommit again
}

std::int64_t database::page_count() {
    statement_use count(cached("PRAGMA page_count"));
    return count->step() ? count->column_int64(0) : 0;
}

std::int64_t database::size_bytes() {
    std::int64_t const pages = page_count();
    statement_use size(cached("PRAGMA page_size"));
    return size->step() ? pages * size->column_int64(0) : 0;
}

void database::finish_wal() noexcept {
    if (!checkpointer_ || !checkpointer_->catch_up_due())
        return;
    end_read(); // a checkpoint cannot run inside the connection's own transaction
    if (open_ || sqlite3_get_autocommit(db_.get()) == 0) {
        catch_up_put_off_ = true; // the next begin() runs it
        return;
    }
    checkpointer_->finish_wal();
}

void database::checkpoint() noexcept {
    sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
}

write_scope::write_scope(database& db) : db_(db) {
    db_.begin();
    stamp_ = ++db_.stamps_;
    statement_use s(db_.cached("SAVEPOINT request"));
    s->run();
}

write_scope::write_scope(database& db, single_statement_t) : db_(db), savepoint_(false) {
    db_.begin();
    stamp_ = ++db_.stamps_;
}

write_scope::~write_scope() {
    if (done_)
        return;
    int const failure = sqlite3_extended_errcode(db_.handle()); // of the statement that threw
    // SQLITE_FULL, IOERR or NOMEM in a statement that has no statement journal (a one-row
    // INSERT) makes SQLite roll back the whole transaction, the other requests' released changes
    // with it: there is no savepoint left to undo, and the batch must fail as a whole.
    if (sqlite3_get_autocommit(db_.handle()) != 0) {
        db_.lost(failure);
        return;
    }
    if (!savepoint_) {
        // A statement that failed on a constraint wrote nothing (SQLite checks them first).
        // Anything else that can stop it between its writes and leave the transaction open
        // (a corrupt page) is not undone without a savepoint: give the whole batch up.
        switch (failure & 0xff) {
        case SQLITE_CORRUPT:
        case SQLITE_IOERR:
        case SQLITE_FULL:
        case SQLITE_NOMEM:
        case SQLITE_INTERRUPT:
        case SQLITE_NOTADB: db_.abandon(failure); break;
        default: break;
        }
        return;
    }
    try {
        db_.note_undo(stamp_);
        statement_use rollback(db_.cached("ROLLBACK TO request"));
        rollback->run();
        statement_use release(db_.cached("RELEASE request"));
        release->run();
    } catch (...) {
        // The savepoint could not be undone: abandon the whole shared transaction rather than
        // commit a half-done request later; the next commit() reports it to every waiter.
        db_.abandon(sqlite3_extended_errcode(db_.handle()));
    }
}

void write_scope::release() {
    if (savepoint_) {
        statement_use s(db_.cached("RELEASE request"));
        s->run();
    }
    done_ = true;
    db_.released_ = true;
}

} // namespace icemu::store
