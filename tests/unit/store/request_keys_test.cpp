#include "store/request_keys.hpp"

#include <bit>
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <set>

#include "api/core/ids.hpp"
#include "store/database.hpp"
#include "store/error.hpp"
#include "store/requests.hpp"
#include "store/statement.hpp"
#include "tests/support/memory_db.hpp"

namespace {

namespace store = icemu::store;
using icemu::test::temp_dir;

store::request_id random_v4(std::mt19937_64& engine) {
    store::request_id id{};
    for (auto& byte : id)
        byte = static_cast<unsigned char>(engine() & 0xff);
    id[6] = static_cast<unsigned char>((id[6] & 0x0f) | 0x40);
    id[8] = static_cast<unsigned char>((id[8] & 0x3f) | 0x80);
    return id;
}

int differing_bits(store::request_id const& a, store::request_id const& b) {
    int n = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        n += std::popcount(static_cast<unsigned>(a[i] ^ b[i]));
    return n;
}

store::request_row row_with(store::request_id const& id) {
    store::request_row row;
    row.id = id;
    row.instance_id = "0123456789abcdef";
    row.permission_set_id = "ps0000000000000a";
    row.account_id = "111111111111";
    row.created_ms = 1000;
    row.surface = "aws";
    return row;
}

} // namespace

TEST_CASE("a request id and its key map to each other both ways", "[store]") {
    std::mt19937_64 engine(7);
    for (int i = 0; i < 10000; ++i) {
        auto const id = random_v4(engine);
        auto const key = store::key_of(id);
        CHECK((key.bytes[0] & 0xfc) == 0); // 122 bits: the top six are zero
        REQUIRE(store::id_of(key) == id);
    }
    // Every key is some id's: the Feistel network is a permutation of the 122 bits.
    store::request_key key;
    key.bytes[15] = 1;
    CHECK(store::key_of(store::id_of(key)) == key);
    key.bytes[0] = 0x03;
    key.bytes[7] = 0xff;
    CHECK(store::key_of(store::id_of(key)) == key);
}

TEST_CASE("the permutation is pinned: an id means the same request in every version", "[store]") {
    // Values from tests/integration/test_crash.py's own implementation of the same network.
    store::request_key one;
    one.bytes[15] = 1;
    CHECK(icemu::api::core::format_uuid(store::id_of(one)) ==
          "e4aed7fb-3bed-4c76-9c31-2412c142bf49");
    store::request_key key{{0x01, 0x8f, 0x2a, 0x3b, 0x4c, 0x5d, 0x6e, 0x7f, 0x80, 0x91, 0xa2, 0xb3,
                            0xc4, 0xd5, 0xe6, 0xf7}};
    CHECK(icemu::api::core::format_uuid(store::id_of(key)) ==
          "5280fba2-f47f-44fc-930b-8f9dda40307e");
}

TEST_CASE("new request ids are version 4, unique, random-looking, and their keys ordered",
          "[store]") {
    std::mt19937_64 engine(11);
    std::set<store::request_id> seen;
    store::request_key previous{};
    std::int64_t total_distance = 0;
    store::request_id previous_id{};
    for (int i = 0; i < 2000; ++i) {
        // Two ids a millisecond: neighbours share their time, as under load.
        auto const id = store::new_request_id(1'800'000'000'000 + i / 2, engine(), engine());
        REQUIRE(store::is_request_id(id));
        REQUIRE(seen.insert(id).second);
        auto const key = store::key_of(id);
        if (i % 2 == 0) // a later millisecond sorts after every key of the earlier ones
            CHECK(previous.bytes < key.bytes);
        previous = key;
        if (i > 0)
            total_distance += differing_bits(previous_id, id);
        previous_id = id;
    }
    // Consecutive ids differ in about half of their 122 free bits, as random ones do (the mean
    // of 1,999 such distances is within a few tenths of 61; a counter would differ in a few).
    double const mean = static_cast<double>(total_distance) / 1999.0;
    CHECK(mean > 58.0);
    CHECK(mean < 64.0);
}

TEST_CASE("only version-4 ids name requests", "[store]") {
    store::database db({});
    store::requests repo(db);
    std::mt19937_64 engine(3);
    auto const id = store::new_request_id(1'800'000'000'000, engine(), engine());
    store::write_scope scope(db);
    auto row = row_with(id);
    repo.insert(row);
    scope.release();
    db.commit();
    REQUIRE(repo.find(id));
    // The same 122 bits with another version nibble or variant: not the same id.
    auto other_version = id;
    other_version[6] = static_cast<unsigned char>((id[6] & 0x0f) | 0x10);
    CHECK_FALSE(repo.find(other_version));
    auto other_variant = id;
    other_variant[8] = static_cast<unsigned char>(id[8] & 0x3f);
    CHECK_FALSE(repo.find(other_variant));
    auto bad = row_with(other_version);
    CHECK_THROWS_AS(repo.insert(bad), store::sqlite_error);
}

TEST_CASE("migration 6 re-keys the requests stored before it under their ids", "[store]") {
    temp_dir dir;
    auto const options = dir.db_options();
    std::mt19937_64 engine(5);
    std::vector<store::request_id> ids;
    {
        store::database db(options);
        // A store of schema 5: rows keyed by the id itself.
        db.exec("BEGIN");
        for (int i = 0; i < 50; ++i) {
            ids.push_back(random_v4(engine));
            store::statement s(
                db.handle(),
                "INSERT INTO requests(id, seq, kind, status, instance_id, permission_set_id, "
                "created_ms, settle_by, planned_status, surface) "
                "VALUES (?, ?, 0, 0, 'i', 'p', 1, 0, 1, 'aws')");
            s.bind_blob(1, ids.back()).bind(2, i + 1);
            REQUIRE(s.run() == 1);
        }
        // What the migrations after 6 add, which reopening the store runs again; and the index
        // a later one drops, which one of them drops and makes again first.
        db.exec(
            "CREATE INDEX requests_due ON requests(due_ms) WHERE status = 0 AND due_ms IS "
            "NOT NULL");
        db.exec(
            "ALTER TABLE instances DROP COLUMN encryption_key_type; "
            "ALTER TABLE instances DROP COLUMN encryption_kms_key_arn; "
            "ALTER TABLE instances DROP COLUMN encryption_pending_key_type; "
            "ALTER TABLE instances DROP COLUMN encryption_pending_kms_key_arn; "
            "DROP TRIGGER identity_store_follows_instance; DROP TABLE identity_memberships; "
            "DROP TABLE identity_users; DROP TABLE identity_groups; "
            "DROP TABLE app_items; DROP TABLE settled_requests;");
        db.exec("PRAGMA user_version=5; COMMIT");
    }
    store::database db(options);
    store::requests repo(db);
    for (auto const& id : ids) {
        auto const found = repo.find(id);
        REQUIRE(found);
        CHECK(found->id == id);
    }
    store::statement stored(db.handle(), "SELECT count(*) FROM requests WHERE id = ?");
    stored.bind_blob(1, ids.front());
    REQUIRE(stored.step());
    CHECK(stored.column_int64(0) == 0); // stored under its key now, not its id
}
