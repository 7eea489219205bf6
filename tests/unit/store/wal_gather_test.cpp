#include "store/wal_gather.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include "store/database.hpp"
#include "store/statement.hpp"
#include "tests/support/memory_db.hpp"

namespace {

namespace store = icemu::store;
using icemu::test::count_rows;
using icemu::test::temp_dir;

// A connection of SQLite's own default VFS on the same file: what another reader (the
// checkpointer, or a process after a crash) finds there.
struct plain_reader {
    explicit plain_reader(std::string const& path) {
        REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    }
    ~plain_reader() { sqlite3_close_v2(db); }
    std::int64_t count(char const* table) {
        store::statement s(db, std::string("SELECT count(*) FROM ") + table);
        REQUIRE(s.step());
        return s.column_int64(0);
    }
    std::string integrity() {
        store::statement s(db, "PRAGMA integrity_check");
        REQUIRE(s.step());
        return std::string(s.column_text(0));
    }
    sqlite3* db = nullptr;
};

void insert_rows(store::database& db, int rows, int blob_bytes) {
    db.exec("BEGIN IMMEDIATE");
    store::statement s(db.handle(), "INSERT INTO t(x, b) VALUES (?, randomblob(?))");
    for (int n = 0; n < rows; ++n) {
        s.bind(1, std::int64_t{n}).bind(2, std::int64_t{blob_bytes});
        REQUIRE(s.run() == 1);
        s.reset();
    }
    db.exec("COMMIT");
}

} // namespace

TEST_CASE("a gathering WAL writes a commit's frames once, before the commit returns", "[store]") {
    temp_dir dir;
    auto const options = dir.db_options();
    store::database db(options);
    REQUIRE(db.gathering_wal_writes());
    db.exec("CREATE TABLE t(x INTEGER, b BLOB)");
    plain_reader reader(options.path);
    for (int commit = 1; commit <= 20; ++commit) {
        auto const before = store::wal_gather_stats();
        insert_rows(db, 30, 500); // several pages: several frames, two writes each
        auto const after = store::wal_gather_stats();
        CHECK(after.commit_flushes == before.commit_flushes + 1);
        CHECK(after.gathered - before.gathered >= 2 * 4);
        // Another connection of the plain VFS sees the commit at once: its frames are in the
        // file, not only in the writer's memory.
        CHECK(reader.count("t") == commit * 30);
    }
    CHECK(reader.integrity() == "ok");
}

TEST_CASE("a commit larger than the gathering bound is written in parts and still whole",
          "[store]") {
    temp_dir dir;
    auto const options = dir.db_options();
    store::database db(options);
    REQUIRE(db.gathering_wal_writes());
    db.exec("CREATE TABLE t(x INTEGER, b BLOB)");
    plain_reader reader(options.path);
    auto const before = store::wal_gather_stats();
    insert_rows(db, 6000, 1000); // about 6 MB of frames in one commit
    auto const after = store::wal_gather_stats();
    CHECK(after.flushes - before.flushes >= 2); // at the 4 MiB bound, then at the commit frame
    CHECK(after.commit_flushes == before.commit_flushes + 1);
    CHECK(reader.count("t") == 6000);
    CHECK(reader.integrity() == "ok");
}

TEST_CASE("a gathering WAL keeps SQLite's order through spills, rewrites and restarts", "[store]") {
    temp_dir dir;
    auto const options = dir.db_options();
    {
        store::database db(options);
        REQUIRE(db.gathering_wal_writes());
        // A tiny cache: a large transaction spills pages to the WAL and changes them again,
        // which SQLite does by rewriting those frames (and their checksums) in place.
        db.exec("PRAGMA cache_size=10");
        db.exec("CREATE TABLE t(x INTEGER, b BLOB)");
        auto const before = store::wal_gather_stats();
        for (int round = 0; round < 5; ++round) {
            db.exec("BEGIN IMMEDIATE");
            db.exec(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400) "
                "INSERT INTO t(x, b) SELECT i, randomblob(300) FROM n");
            db.exec("UPDATE t SET b = randomblob(300) WHERE x % 3 = 0");
            db.exec("UPDATE t SET b = randomblob(290) WHERE x % 5 = 0");
            db.exec("COMMIT");
            // Copy everything and start the WAL over: its header is written again at offset 0.
            db.exec("PRAGMA wal_checkpoint(RESTART)");
        }
        // Writes that were not appends: the five WAL headers, and many more frames (and their
        // checksums) rewritten in place.
        CHECK(store::wal_gather_stats().in_place - before.in_place > 5 + 100);
        plain_reader reader(options.path);
        CHECK(reader.count("t") == 5 * 400);
        CHECK(reader.integrity() == "ok");
    }
    // Reopened after a clean close, and by the plain VFS.
    plain_reader reader(options.path);
    CHECK(reader.count("t") == 5 * 400);
    CHECK(reader.integrity() == "ok");
}

TEST_CASE("a WAL cut back by journal_size_limit after it started over gathers again", "[store]") {
    temp_dir dir;
    auto const options = dir.db_options();
    store::database db(options);
    REQUIRE(db.gathering_wal_writes());
    db.exec("PRAGMA journal_size_limit=65536");
    db.exec("CREATE TABLE t(x INTEGER, b BLOB)");
    insert_rows(db, 2000, 1000); // about 2 MB of WAL: far over the limit
    db.exec("PRAGMA wal_checkpoint(RESTART)");
    // The next commit starts the WAL over, and SQLite then cuts its file back to the limit.
    insert_rows(db, 10, 500);
    plain_reader reader(options.path);
    for (int commit = 0; commit < 5; ++commit) {
        auto const before = store::wal_gather_stats();
        insert_rows(db, 10, 500);
        auto const after = store::wal_gather_stats();
        CHECK(after.commit_flushes == before.commit_flushes + 1);
        CHECK(after.in_place == before.in_place); // appends, gathered: none written alone
    }
    CHECK(reader.count("t") == 2000 + 6 * 10);
    CHECK(reader.integrity() == "ok");
}

TEST_CASE("what a gathering WAL committed survives the process ending without a close", "[store]") {
    temp_dir dir;
    auto const options = dir.db_options();
    {
        store::database db(options);
        db.exec("CREATE TABLE t(x INTEGER, b BLOB)");
    }
    pid_t const child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // As after kill -9: no destructor, no close, no checkpoint.
        int status = 1;
        try {
            auto* db = new store::database(options);
            if (db->gathering_wal_writes()) {
                for (int commit = 0; commit < 10; ++commit)
                    insert_rows(*db, 25, 700);
                status = 0;
            }
        } catch (...) {
        }
        _exit(status);
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    plain_reader reader(options.path);
    CHECK(reader.count("t") == 250);
    CHECK(reader.integrity() == "ok");
    store::database again(options);
    CHECK(count_rows(again, "t") == 250);
}

TEST_CASE("a read-only or in-memory store does not gather", "[store]") {
    store::database memory({});
    CHECK_FALSE(memory.gathering_wal_writes());
    temp_dir dir;
    auto options = dir.db_options();
    { store::database db(options); }
    options.read_only = true;
    store::database read_only(options);
    CHECK_FALSE(read_only.gathering_wal_writes());
    auto plain = dir.db_options("plain.db");
    plain.gather_wal_writes = false;
    store::database off(plain);
    CHECK_FALSE(off.gathering_wal_writes());
}
