#include "store/database.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <thread>

#include "store/checkpointer.hpp"
#include "store/error.hpp"
#include "store/schema.hpp"
#include "store/statement.hpp"
#include "tests/support/memory_db.hpp"

namespace {

namespace store = icemu::store;
using icemu::test::count_rows;
using icemu::test::temp_dir;

int user_version(store::database& db) {
    store::statement s(db.handle(), "PRAGMA user_version");
    REQUIRE(s.step());
    return static_cast<int>(s.column_int64(0));
}

void insert_value(store::database& db, std::int64_t value) {
    store::statement s(db.handle(), "INSERT INTO t(x) VALUES (?)");
    s.bind(1, value);
    REQUIRE(s.run() == 1);
}

bool has_value(store::database& db, std::int64_t value) {
    store::statement s(db.handle(), "SELECT 1 FROM t WHERE x = ?");
    s.bind(1, value);
    return s.step();
}

// Ten rows of a 4 KB blob in one transaction: ten WAL frames and a few more.
void insert_blobs(store::database& db) {
    db.exec("BEGIN");
    db.exec(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10)"
        " INSERT INTO big SELECT randomblob(4000) FROM n");
    db.exec("COMMIT");
}

// The checkpoint sequence number of the WAL header (bytes 12-15, big-endian): SQLite adds one
// each time a writer starts the WAL over from its first frame.
std::uint32_t wal_restarts(std::string const& wal) {
    std::ifstream in(wal, std::ios::binary);
    unsigned char header[16] = {};
    in.read(reinterpret_cast<char*>(header), sizeof header);
    REQUIRE(in.gcount() == sizeof header);
    return (std::uint32_t{header[12]} << 24) | (std::uint32_t{header[13]} << 16) |
           (std::uint32_t{header[14]} << 8) | std::uint32_t{header[15]};
}

} // namespace

TEST_CASE("migrations bring user_version to schema_version and create the tables", "[store]") {
    store::database db({});
    CHECK(store::schema_version() >= 1);
    CHECK(user_version(db) == store::schema_version());
    // Later migrations add tables; these are the foundation's and must always be there.
    for (char const* name :
         {"assignments", "instances", "meta", "permission_sets", "provisioned", "requests"}) {
        store::statement table(db.handle(),
                               "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
        table.bind(1, name);
        CAPTURE(name);
        CHECK(table.step());
    }
    CHECK(count_rows(db, "meta") == 2);
}

TEST_CASE("migrating an up-to-date database again changes nothing", "[store]") {
    temp_dir dir;
    {
        store::database db(dir.db_options());
        db.exec(
            "INSERT INTO instances(id, owner_account, identity_store_id, status, created_ms) "
            "VALUES ('0123456789abcdef', '123456789012', 'd-1', 'ACTIVE', 1)");
    }
    store::database db(dir.db_options());
    CHECK(user_version(db) == store::schema_version());
    CHECK(count_rows(db, "instances") == 1);
    CHECK(count_rows(db, "meta") == 2);
}

TEST_CASE("statement reports a UNIQUE violation as sqlite_error with the extended code",
          "[store]") {
    store::database db({});
    db.exec("CREATE TABLE t(x INTEGER UNIQUE)");
    insert_value(db, 7);
    store::statement again(db.handle(), "INSERT INTO t(x) VALUES (7)");
    REQUIRE_THROWS_MATCHES(again.run(), store::sqlite_error,
                           Catch::Predicate<store::sqlite_error>(
                               [](store::sqlite_error const& e) {
                                   return e.code() == SQLITE_CONSTRAINT_UNIQUE &&
                                          std::string(e.what()) == "UNIQUE constraint failed: t.x";
                               },
                               "code SQLITE_CONSTRAINT_UNIQUE, text naming t.x"));
    CHECK(count_rows(db, "t") == 1);
}

TEST_CASE("statement reports a syntax error at prepare time", "[store]") {
    store::database db({});
    REQUIRE_THROWS_MATCHES(store::statement(db.handle(), "SELEC 1"), store::sqlite_error,
                           Catch::Predicate<store::sqlite_error>(
                               [](store::sqlite_error const& e) {
                                   return e.code() == SQLITE_ERROR &&
                                          std::string(e.what()).find("syntax error") !=
                                              std::string::npos;
                               },
                               "SQLITE_ERROR with a syntax error text"));
}

TEST_CASE("exec reports a failure as sqlite_error with the extended code", "[store]") {
    store::database db({});
    db.exec("CREATE TABLE t(x INTEGER NOT NULL)");
    REQUIRE_THROWS_MATCHES(db.exec("INSERT INTO t(x) VALUES (NULL)"), store::sqlite_error,
                           Catch::Predicate<store::sqlite_error>(
                               [](store::sqlite_error const& e) {
                                   return e.code() == SQLITE_CONSTRAINT_NOTNULL &&
                                          std::string(e.what()) ==
                                              "NOT NULL constraint failed: t.x";
                               },
                               "SQLITE_CONSTRAINT_NOTNULL naming t.x"));
}

TEST_CASE("a write_scope without release rolls back only its own changes", "[store]") {
    store::database db({});
    db.exec("CREATE TABLE t(x INTEGER)");
    {
        store::write_scope kept(db);
        insert_value(db, 1);
        kept.release();
    }
    CHECK(db.in_transaction());
    {
        store::write_scope dropped(db);
        insert_value(db, 2);
        CHECK(has_value(db, 2));
    }
    CHECK(db.in_transaction());
    CHECK(has_value(db, 1));
    CHECK_FALSE(has_value(db, 2));
    db.commit();
    CHECK_FALSE(db.in_transaction());
    CHECK(has_value(db, 1));
    CHECK_FALSE(has_value(db, 2));
    CHECK(count_rows(db, "t") == 1);
}

TEST_CASE("rollback abandons every released scope of the shared transaction", "[store]") {
    store::database db({});
    db.exec("CREATE TABLE t(x INTEGER)");
    {
        store::write_scope scope(db);
        insert_value(db, 1);
        scope.release();
    }
    db.rollback();
    CHECK_FALSE(db.in_transaction());
    CHECK(count_rows(db, "t") == 0);
}

TEST_CASE("commit after abandon throws SQLITE_ABORT once and keeps nothing", "[store]") {
    store::database db({});
    db.exec("CREATE TABLE t(x INTEGER)");
    {
        store::write_scope scope(db);
        insert_value(db, 1);
        scope.release();
    }
    db.abandon();
    CHECK(db.in_transaction());
    REQUIRE_THROWS_MATCHES(db.commit(), store::sqlite_error,
                           Catch::Predicate<store::sqlite_error>(
                               [](store::sqlite_error const& e) {
                                   return e.code() == SQLITE_ABORT &&
                                          std::string(e.what()) ==
                                              "the shared write transaction was rolled back";
                               },
                               "SQLITE_ABORT, the transaction was rolled back"));
    CHECK_FALSE(db.in_transaction());
    CHECK_NOTHROW(db.commit());
    CHECK(count_rows(db, "t") == 0);
}

TEST_CASE("rollbacks counts every shared transaction given up, and no commit", "[store]") {
    store::database db({});
    db.exec("CREATE TABLE t(x INTEGER UNIQUE)");
    auto const write = [&](std::int64_t value) {
        store::write_scope scope(db);
        insert_value(db, value);
        scope.release();
    };
    CHECK(db.rollbacks() == 0);
    write(1);
    db.commit();
    CHECK(db.rollbacks() == 0);
    write(2);
    db.rollback();
    CHECK(db.rollbacks() == 1);
    write(3);
    db.abandon();
    CHECK(db.rollbacks() == 2);
    CHECK_THROWS_AS(db.commit(), store::sqlite_error); // reports the loss; nothing more to undo
    CHECK(db.rollbacks() == 2);
    db.rollback(); // nothing open
    CHECK(db.rollbacks() == 2);
}

TEST_CASE("commit with no transaction open is a no-op", "[store]") {
    store::database db({});
    REQUIRE_FALSE(db.in_transaction());
    CHECK_NOTHROW(db.commit());
    CHECK_FALSE(db.in_transaction());
    // Still usable: a scope opens the shared transaction and commit ends it.
    db.exec("CREATE TABLE t(x INTEGER)");
    {
        store::write_scope scope(db);
        insert_value(db, 3);
        scope.release();
    }
    CHECK(db.in_transaction());
    db.commit();
    CHECK_FALSE(db.in_transaction());
    CHECK_NOTHROW(db.commit());
}

TEST_CASE("cached returns the same statement for the same literal", "[store]") {
    store::database db({});
    static constexpr char const* sql_a = "SELECT 1";
    static constexpr char const* sql_b = "SELECT 2";
    store::statement& first = db.cached(sql_a);
    store::statement& second = db.cached(sql_a);
    store::statement& other = db.cached(sql_b);
    CHECK(&first == &second);
    CHECK(&first != &other);
    {
        store::statement_use use(first);
        REQUIRE(use->step());
        CHECK(use->column_int64(0) == 1);
    }
    // Reset by statement_use: it runs again from the start.
    store::statement_use use(db.cached(sql_a));
    REQUIRE(use->step());
    CHECK(use->column_int64(0) == 1);
}

TEST_CASE("a reopened file database sees committed rows and not uncommitted ones", "[store]") {
    temp_dir dir;
    {
        store::database db(dir.db_options());
        db.exec("CREATE TABLE t(x INTEGER)");
        {
            store::write_scope scope(db);
            insert_value(db, 1);
            scope.release();
        }
        db.commit();
        {
            store::write_scope scope(db);
            insert_value(db, 2);
            scope.release();
        }
        REQUIRE(db.in_transaction());
        // Destroyed with the shared transaction open: the destructor rolls it back.
    }
    store::database db(dir.db_options());
    CHECK_FALSE(db.in_transaction());
    CHECK(has_value(db, 1));
    CHECK_FALSE(has_value(db, 2));
    CHECK(count_rows(db, "t") == 1);
}

TEST_CASE("database reports a file it cannot open", "[store]") {
    temp_dir dir;
    store::database_options options;
    options.path = (dir.path() / "missing" / "icemu.db").string();
    REQUIRE_THROWS_MATCHES(
        store::database(options), store::sqlite_error,
        Catch::Predicate<store::sqlite_error>(
            [&](store::sqlite_error const& e) {
                return e.code() == SQLITE_CANTOPEN &&
                       std::string(e.what()).starts_with("cannot open " + options.path + ": ");
            },
            "SQLITE_CANTOPEN naming the path"));
}

namespace {

// A file store whose table `t` has room for a few rows at most: max_size_bytes is the size it
// has once `t` exists plus `spare_pages` pages.
store::database_options tight_store(temp_dir const& dir, std::int64_t spare_pages) {
    auto options = dir.db_options();
    std::int64_t size = 0;
    {
        store::database db(options);
        db.exec("CREATE TABLE t(x INTEGER, pad TEXT)");
        size = db.size_bytes();
    }
    options.max_size_bytes = size + spare_pages * 4096;
    return options;
}

// Inserts rows of 3 KiB until SQLite answers SQLITE_FULL; returns that error's code.
int fill_until_full(store::database& db, std::int64_t first) {
    for (std::int64_t x = first; x < first + 1000; ++x) {
        store::statement s(db.handle(), "INSERT INTO t(x, pad) VALUES (?, ?)");
        s.bind(1, x).bind(2, std::string(3000, 'p'));
        try {
            s.run();
        } catch (store::sqlite_error const& e) {
            return e.code();
        }
    }
    return SQLITE_OK;
}

std::string integrity(store::database& db) {
    store::statement s(db.handle(), "PRAGMA integrity_check");
    REQUIRE(s.step());
    return std::string(s.column_text(0));
}

} // namespace

TEST_CASE("max_size_bytes caps the file: a write beyond it throws SQLITE_FULL", "[store]") {
    temp_dir dir;
    auto const options = tight_store(dir, 4);
    store::database db(options);
    CHECK(db.max_size_bytes() == options.max_size_bytes);
    {
        store::write_scope scope(db);
        CHECK(fill_until_full(db, 1) == SQLITE_FULL);
    }
    // Nothing was released into the transaction SQLite rolled back: no batch to fail.
    CHECK_FALSE(db.in_transaction());
    CHECK_NOTHROW(db.commit());
    CHECK(count_rows(db, "t") == 0);
    CHECK(integrity(db) == "ok");
    // Small writes still fit in the pages the store has.
    {
        store::write_scope scope(db);
        insert_value(db, 7);
        scope.release();
    }
    db.commit();
    CHECK(has_value(db, 7));
}

TEST_CASE("max_size_bytes never shrinks a store below its size", "[store]") {
    temp_dir dir;
    auto options = tight_store(dir, 0);
    std::int64_t const size = options.max_size_bytes;
    options.max_size_bytes = 4096;
    store::database db(options);
    CHECK(db.max_size_bytes() == size);
    CHECK(db.size_bytes() == size);
}

TEST_CASE("SQLITE_FULL that rolls back the shared transaction fails the whole batch", "[store]") {
    temp_dir dir;
    store::database db(tight_store(dir, 4));
    {
        store::write_scope earlier(db); // another request's change, answered, not yet committed
        insert_value(db, 1);
        earlier.release();
    }
    {
        // A one-row INSERT has no statement journal: SQLITE_FULL ends the whole transaction.
        store::write_scope failing(db);
        CHECK(fill_until_full(db, 100) == SQLITE_FULL);
        REQUIRE(sqlite3_get_autocommit(db.handle()) != 0);
    }
    CHECK(db.in_transaction()); // lost with a released change: the next commit must say so
    {
        store::write_scope later(db); // answered after the loss, before the commit: same batch
        insert_value(db, 2);
        later.release();
    }
    REQUIRE_THROWS_MATCHES(
        db.commit(), store::sqlite_error,
        Catch::Predicate<store::sqlite_error>(
            [](store::sqlite_error const& e) {
                return e.code() == SQLITE_FULL &&
                       std::string(e.what()) ==
                           "the shared write transaction was rolled back: database or disk is full";
            },
            "SQLITE_FULL, naming the loss"));
    CHECK_FALSE(db.in_transaction());
    CHECK(count_rows(db, "t") == 0); // neither the earlier nor the later change stayed
    CHECK(integrity(db) == "ok");
    {
        store::write_scope next(db);
        insert_value(db, 3);
        next.release();
    }
    CHECK_NOTHROW(db.commit());
    CHECK(count_rows(db, "t") == 1);
}

TEST_CASE("a single-statement write_scope: a failed statement leaves the batch as it was",
          "[store]") {
    store::database db({});
    db.exec("CREATE TABLE t(x INTEGER UNIQUE)");
    {
        store::write_scope earlier(db, store::single_statement);
        insert_value(db, 1);
        earlier.release();
    }
    {
        store::write_scope failing(db, store::single_statement);
        store::statement s(db.handle(), "INSERT INTO t(x) VALUES (1)");
        CHECK_THROWS_AS(s.run(), store::sqlite_error); // the UNIQUE constraint
    }
    CHECK(db.in_transaction());
    {
        store::write_scope dropped(db, store::single_statement); // never released, never ran
    }
    {
        store::write_scope later(db, store::single_statement);
        insert_value(db, 2);
        later.release();
    }
    CHECK_NOTHROW(db.commit());
    CHECK_FALSE(db.in_transaction());
    CHECK(count_rows(db, "t") == 2);
    CHECK(has_value(db, 1));
    CHECK(has_value(db, 2));
}

TEST_CASE("SQLITE_FULL in a single-statement write_scope fails the whole batch", "[store]") {
    temp_dir dir;
    store::database db(tight_store(dir, 4));
    {
        store::write_scope earlier(db, store::single_statement);
        insert_value(db, 1);
        earlier.release();
    }
    {
        store::write_scope failing(db, store::single_statement);
        CHECK(fill_until_full(db, 100) == SQLITE_FULL);
        REQUIRE(sqlite3_get_autocommit(db.handle()) != 0);
    }
    CHECK(db.in_transaction()); // lost with a released change: the next commit must say so
    CHECK_THROWS_AS(db.commit(), store::sqlite_error);
    CHECK(count_rows(db, "t") == 0);
    CHECK(integrity(db) == "ok");
}

TEST_CASE("a read-only store reads and refuses every write at once", "[store]") {
    temp_dir dir;
    auto options = dir.db_options();
    {
        store::database db(options);
        db.exec("CREATE TABLE t(x INTEGER)");
        insert_value(db, 5);
    }
    options.read_only = true;
    store::database db(options);
    CHECK(db.read_only());
    CHECK(has_value(db, 5));
    REQUIRE_THROWS_MATCHES(
        store::write_scope(db), store::sqlite_error,
        Catch::Predicate<store::sqlite_error>(
            [](store::sqlite_error const& e) { return e.code() == SQLITE_READONLY; },
            "SQLITE_READONLY"));
    CHECK_FALSE(db.in_transaction());
    CHECK_THROWS_AS(db.exec("INSERT INTO t(x) VALUES (6)"), store::sqlite_error);
    CHECK(count_rows(db, "t") == 1);
}

TEST_CASE("a read-only store must exist and hold the current schema", "[store]") {
    temp_dir dir;
    auto options = dir.db_options();
    options.read_only = true;
    SECTION("a missing file is not created") {
        CHECK_THROWS_MATCHES(
            store::database(options), store::sqlite_error,
            Catch::Predicate<store::sqlite_error>(
                [](store::sqlite_error const& e) { return e.code() == SQLITE_CANTOPEN; },
                "SQLITE_CANTOPEN"));
        CHECK_FALSE(std::filesystem::exists(options.path));
    }
    SECTION("an older schema cannot be migrated") {
        sqlite3* raw = nullptr;
        REQUIRE(sqlite3_open(options.path.c_str(), &raw) == SQLITE_OK);
        REQUIRE(sqlite3_exec(raw, "CREATE TABLE x(y); PRAGMA user_version=1", nullptr, nullptr,
                             nullptr) == SQLITE_OK);
        sqlite3_close(raw);
        std::string const expected =
            "opened read-only, but its schema is version 1 and icemu "
            "needs version " +
            std::to_string(store::schema_version()) + ": open it once writable to migrate it";
        CHECK_THROWS_MATCHES(store::database(options), store::unusable_store,
                             Catch::Predicate<store::unusable_store>(
                                 [&](store::unusable_store const& e) {
                                     return e.code() == SQLITE_READONLY && e.what() == expected;
                                 },
                                 "unusable_store naming both versions"));
    }
}

TEST_CASE("classify tells a full and a read-only store from other failures", "[store]") {
    CHECK(store::classify(SQLITE_FULL) == store::failure::full);
    CHECK(store::classify(SQLITE_READONLY) == store::failure::read_only);
    CHECK(store::classify(SQLITE_READONLY_DBMOVED) == store::failure::read_only);
    CHECK(store::classify(SQLITE_IOERR_WRITE) == store::failure::other);
    CHECK(store::classify(SQLITE_CONSTRAINT_UNIQUE) == store::failure::other);
}

TEST_CASE("the WAL is checkpointed by the background thread, not by commits", "[store]") {
    temp_dir dir;
    auto options = dir.db_options();
    options.checkpoints.threshold_pages = 1000;
    {
        store::database db(options);
        db.exec("CREATE TABLE big(x BLOB)");
        CHECK(db.background_checkpoints() == 0);
        // 1,200 rows of 4,000 bytes in the WAL: past the threshold that wakes the checkpointer.
        for (int batch = 0; batch < 12; ++batch) {
            db.exec("BEGIN");
            db.exec(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)"
                " INSERT INTO big SELECT randomblob(4000) FROM n");
            db.exec("COMMIT");
        }
        auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (db.background_frames_copied() < 1200 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        CHECK(db.background_checkpoints() > 0);
        // Copied into the database file, not merely attempted: at least a frame per row's page.
        CHECK(db.background_frames_copied() >= 1200);
    }
    store::database again(options);
    CHECK(count_rows(again, "big") == 1200);
}

TEST_CASE("background checkpoints can be turned off and never run for :memory:", "[store]") {
    temp_dir dir;
    auto options = dir.db_options();
    options.background_checkpoints = false;
    store::database off(options);
    store::database memory({});
    off.exec("CREATE TABLE t(x)");
    memory.exec("CREATE TABLE t(x)");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(off.background_checkpoints() == 0);
    CHECK(memory.background_checkpoints() == 0);
}

TEST_CASE("begin_read shares one read transaction until end_read or a write", "[store]") {
    temp_dir dir;
    store::database db(dir.db_options());
    db.exec("CREATE TABLE t(x INTEGER)");
    db.begin_read();
    CHECK(db.reading());
    CHECK(sqlite3_get_autocommit(db.handle()) == 0);
    CHECK_FALSE(has_value(db, 1));
    db.begin_read(); // already open: nothing happens
    // A write ends it first and takes the write lock (BEGIN IMMEDIATE inside an open
    // transaction would fail with "cannot start a transaction within a transaction").
    {
        store::write_scope scope(db);
        CHECK_FALSE(db.reading());
        insert_value(db, 1);
        scope.release();
    }
    db.begin_read(); // inside the shared write transaction: nothing to open
    CHECK_FALSE(db.reading());
    db.commit();
    CHECK(sqlite3_get_autocommit(db.handle()) != 0);
    db.begin_read();
    CHECK(has_value(db, 1)); // the new snapshot sees the commit
    db.end_read();
    CHECK_FALSE(db.reading());
    CHECK(sqlite3_get_autocommit(db.handle()) != 0);
    db.end_read(); // nothing open: a no-op
    CHECK(sqlite3_get_autocommit(db.handle()) != 0);
}

TEST_CASE("a read-only store shares reads too", "[store]") {
    temp_dir dir;
    auto options = dir.db_options();
    {
        store::database db(options);
        db.exec("CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (7)");
    }
    options.read_only = true;
    store::database db(options);
    db.begin_read();
    CHECK(db.reading());
    CHECK(has_value(db, 7));
    db.end_read();
    CHECK(sqlite3_get_autocommit(db.handle()) != 0);
}

TEST_CASE("sustained writes keep the WAL from growing without bound", "[store]") {
    temp_dir dir;
    auto options = dir.db_options();
    options.new_page_size = 4096; // the frame counts below are of 4 KiB pages (a blob each)
    options.checkpoints.threshold_pages = 50;
    options.checkpoints.restart_pages = 200;
    store::database db(options);
    db.exec("CREATE TABLE big(x BLOB)");
    auto const wal = options.path + "-wal";
    insert_blobs(db);
    auto const first = wal_restarts(wal);
    // Commits a few milliseconds apart. Where a pass of the thread is slower than that (fsync on a
    // real disk), only the writer's catch-up lets the WAL start over; where a pass fits between
    // two commits (a container whose fsync does nothing) it starts over on its own. Either way it
    // must start over: written until it has twice (a deadline, not a count, ends the wait).
    // The WAL file keeps its largest size; bounded, it ends up below half of what every frame
    // would take, however long a loaded machine kept the passes behind at first. Grown without
    // bound, it never does and the deadline ends the loop.
    int batches = 1;
    auto const wal_bounded = [&] {
        return std::filesystem::file_size(wal) <
               static_cast<std::uintmax_t>(batches) * 10u * 4120u / 2u;
    };
    auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while ((wal_restarts(wal) < first + 2 || batches < 100 || !wal_bounded()) &&
           std::chrono::steady_clock::now() < deadline) {
        insert_blobs(db);
        db.finish_wal(); // as the commit gate does after each commit
        ++batches;
        // 3 ms apart: a pace the passes follow on a loaded 2-core machine too (1 ms apart, with
        // other builds' fsyncs slowing the passes, the WAL passed the bound below in some runs).
        std::this_thread::sleep_for(std::chrono::milliseconds(3));
    }
    CHECK(wal_restarts(wal) >= first + 2);
    CHECK(wal_bounded());
    CHECK(count_rows(db, "big") == batches * 10);
}

TEST_CASE("the writer copies the frames a pass left so that the WAL starts over", "[store]") {
    temp_dir dir;
    auto options = dir.db_options();
    options.new_page_size = 4096; // the frame counts below are of 4 KiB pages (a blob each)
    options.background_checkpoints = false;
    store::database db(options);
    db.exec("CREATE TABLE big(x BLOB)");
    // Passes only when asked: each wake() is one pass, in the order the test needs.
    store::checkpoint_settings settings;
    settings.threshold_pages = 1'000'000;
    settings.interval = std::chrono::hours(1);
    settings.restart_pages = 200;
    settings.residual_pages = 512;
    store::checkpointer thread(db.handle(), options.path, settings);
    auto pass = [&thread] {
        auto const before = thread.runs();
        thread.wake();
        auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (thread.runs() == before && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        REQUIRE(thread.runs() == before + 1);
    };
    auto const wal = options.path + "-wal";
    insert_blobs(db);
    // A reader of another connection keeps the frames after its snapshot from being copied.
    store::database reader(options);
    reader.begin_read();
    REQUIRE(count_rows(reader, "big") == 10);
    for (int i = 0; i < 20; ++i)
        insert_blobs(db);
    pass(); // copies up to the reader's frames and leaves 200: a large WAL nearly copied
    auto const before = wal_restarts(wal);
    CHECK(thread.catch_up_due());
    CHECK(thread.finish_wal()); // the writer's catch-up copies nothing the reader still needs
    CHECK(thread.catch_ups() == 0);
    CHECK_FALSE(thread.finish_wal()); // not again before the thread's next pass
    insert_blobs(db);
    CHECK(wal_restarts(wal) == before);

    // Again with the reader's snapshot at the end: the pass leaves the last 20 frames only.
    reader.end_read();
    reader.begin_read();
    REQUIRE(count_rows(reader, "big") == 220);
    insert_blobs(db);
    insert_blobs(db);
    pass();
    reader.end_read();
    insert_blobs(db); // a commit alone copies nothing: the catch-up is the caller's
    CHECK(thread.catch_ups() == 0);
    CHECK(wal_restarts(wal) == before);
    CHECK(thread.finish_wal()); // copies the rest...
    CHECK(thread.catch_ups() == 1);
    CHECK(wal_restarts(wal) == before);
    insert_blobs(db); // ...so this commit starts the WAL over
    CHECK(wal_restarts(wal) == before + 1);
    CHECK(count_rows(db, "big") == 260);
}

TEST_CASE("a catch-up put off by an open write runs at the next begin", "[store]") {
    temp_dir dir;
    auto options = dir.db_options();
    options.new_page_size = 4096; // the frame counts below are of 4 KiB pages (a blob each)
    options.checkpoints.threshold_pages = 1'000'000; // passes by the timer only
    options.checkpoints.interval = std::chrono::milliseconds(10);
    options.checkpoints.restart_pages = 200;
    store::database db(options);
    db.exec("CREATE TABLE big(x BLOB)");
    insert_blobs(db);
    // A reader of another connection keeps the pass from copying the frames after it, so the
    // WAL grows past 200 frames and the pass leaves it nearly copied: a catch-up is due.
    store::database reader(options);
    reader.begin_read();
    REQUIRE(count_rows(reader, "big") == 10);
    for (int i = 0; i < 20; ++i)
        insert_blobs(db);
    // The timer's next pass sees the WAL past 200 frames with 200 left behind the reader.
    auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!db.catch_up_due() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    REQUIRE(db.catch_up_due());
    reader.end_read();

    db.begin(); // a write of the same round is open when the gate's hook runs
    db.finish_wal();
    CHECK(db.catch_up_checkpoints() == 0);
    db.exec("INSERT INTO big VALUES (x'00')");
    db.commit();
    db.begin(); // runs the catch-up before its BEGIN
    CHECK(db.catch_up_checkpoints() == 1);
    CHECK(db.in_transaction());
    db.exec("INSERT INTO big VALUES (x'01')");
    db.commit();
    CHECK(count_rows(db, "big") == 212);
}

TEST_CASE("a store of a newer schema is refused, not misread", "[store]") {
    temp_dir dir;
    auto const options = dir.db_options();
    {
        store::database db(options);
        db.exec("PRAGMA user_version=" + std::to_string(store::schema_version() + 1));
    }
    try {
        store::database again(options);
        FAIL("opened a store of a newer schema");
    } catch (store::unusable_store const& e) {
        CHECK(std::string(e.what()).find("newer than this icemu's") != std::string::npos);
    }
}

TEST_CASE("a new store is made with 1 KiB pages and an existing one keeps its size", "[store]") {
    temp_dir dir;
    auto const page_size = [](store::database& db) {
        store::statement s(db.handle(), "PRAGMA page_size");
        REQUIRE(s.step());
        return s.column_int64(0);
    };
    {
        store::database db(dir.db_options("new.db"));
        CHECK(page_size(db) == 1024);
    }
    auto old_options = dir.db_options("old.db");
    old_options.new_page_size = 4096;
    {
        store::database db(old_options);
        CHECK(page_size(db) == 4096);
    }
    store::database reopened(dir.db_options("old.db"));
    CHECK(page_size(reopened) == 4096);
    store::database again(dir.db_options("new.db"));
    CHECK(page_size(again) == 1024);
}

TEST_CASE("undone_from tells from which write stamp the undos since a count undid changes",
          "[store]") {
    store::database db({});
    db.exec("CREATE TABLE t(x)");
    auto const before = db.undos();
    CHECK(db.undone_from(before) == std::numeric_limits<std::uint64_t>::max());
    std::uint64_t kept_at = 0;
    {
        store::write_scope kept(db);
        db.exec("INSERT INTO t VALUES (1)");
        kept_at = db.write_stamp();
        kept.release();
    }
    std::uint64_t undone_at = 0;
    {
        store::write_scope undone(db);
        undone_at = db.write_stamp();
        db.exec("INSERT INTO t VALUES (2)");
    }
    // The savepoint's undo took back nothing from before it opened.
    CHECK(db.undos() == before + 1);
    CHECK(db.undone_from(before) == undone_at);
    CHECK(db.undone_from(before) > kept_at);
    // The transaction's took back everything since it opened, the kept scope's change too.
    db.rollback();
    CHECK(db.undos() == before + 2);
    CHECK(db.undone_from(before) <= kept_at);
    CHECK(db.undone_from(before + 1) <= kept_at);
    CHECK(db.undone_from(before + 2) == std::numeric_limits<std::uint64_t>::max());
    // Too many undos ago to tell: from the start.
    for (int n = 0; n < 70; ++n) {
        store::write_scope undone(db);
    }
    CHECK(db.undone_from(before) == 0);
    CHECK(db.undone_from(db.undos() - 1) > kept_at);
}
