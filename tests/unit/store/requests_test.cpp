#include "store/requests.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "store/database.hpp"
#include "tests/support/memory_db.hpp"

namespace {

namespace store = icemu::store;
using icemu::test::temp_dir;

constexpr std::int64_t newest = std::numeric_limits<std::int64_t>::max();

// A version-4 UUID, as every stored request's id is (see store/request_keys.hpp).
store::request_id id_of(unsigned char n) {
    store::request_id id{};
    id[0] = 0xab;
    id[6] = 0x40;
    id[8] = 0x80;
    id[15] = n;
    return id;
}

store::request_row make(unsigned char n, std::string ps = "ps0000000000000a",
                        std::optional<std::string> account = "111111111111") {
    store::request_row row;
    row.id = id_of(n);
    row.kind = store::request_kind::provision;
    row.instance_id = "0123456789abcdef";
    row.permission_set_id = std::move(ps);
    row.account_id = std::move(account);
    row.created_ms = 1000 + n;
    row.surface = "aws";
    return row;
}

// Inserts `row` in its own released scope and commits.
std::int64_t insert(store::database& db, store::requests& repo, store::request_row row) {
    store::write_scope scope(db);
    auto const seq = repo.insert(row);
    scope.release();
    db.commit();
    return seq;
}

// Inserts a copy of `row` (insert() writes the seq back into its argument).
std::int64_t put(store::requests& repo, store::request_row row) {
    return repo.insert(row);
}

template <typename Row> // store::request_row or store::request_summary
std::vector<std::int64_t> seqs(std::vector<Row> const& rows) {
    std::vector<std::int64_t> out;
    for (auto const& row : rows)
        out.push_back(row.seq);
    return out;
}

} // namespace

TEST_CASE("requests insert assigns increasing seq numbers", "[store]") {
    store::database db({});
    store::requests repo(db);
    auto a = make(1);
    auto b = make(2);
    CHECK(repo.insert(a) == 1);
    CHECK(a.seq == 1);
    CHECK(repo.insert(b) == 2);
    CHECK(b.seq == 2);
}

TEST_CASE("requests seq survives reopening a file database", "[store]") {
    temp_dir dir;
    {
        store::database db(dir.db_options());
        store::requests repo(db);
        CHECK(insert(db, repo, make(1)) == 1);
        CHECK(insert(db, repo, make(2)) == 2);
    }
    store::database db(dir.db_options());
    store::requests repo(db);
    CHECK(insert(db, repo, make(3)) == 3);
    auto const found = repo.find(id_of(2));
    REQUIRE(found);
    CHECK(found->seq == 2);
}

TEST_CASE("requests seq high-water mark outlives deleted rows", "[store]") {
    temp_dir dir;
    {
        store::database db(dir.db_options());
        store::requests repo(db);
        insert(db, repo, make(1));
        insert(db, repo, make(2));
        store::write_scope scope(db);
        repo.erase_all();
        scope.release();
        db.commit();
    }
    store::database db(dir.db_options());
    store::requests repo(db);
    CHECK(insert(db, repo, make(3)) == 3);
}

TEST_CASE("requests store the seq high-water mark with the commit of a batch", "[store]") {
    temp_dir dir;
    auto const stored_mark = [](store::database& db) {
        store::statement s(db.handle(), "SELECT value FROM meta WHERE key = 'request_seq'");
        REQUIRE(s.step());
        return s.column_int64(0);
    };
    {
        store::database db(dir.db_options());
        store::requests repo(db);
        for (unsigned char n = 1; n <= 3; ++n) { // three requests of one batch
            store::write_scope scope(db, store::single_statement);
            put(repo, make(n, "ps000000000000" + std::to_string(10 + n)));
            scope.release();
        }
        CHECK(stored_mark(db) == 0); // written at the commit, not by each insert
        db.commit();
        CHECK(stored_mark(db) == 3);
        {
            store::write_scope scope(db); // a batch that is rolled back keeps nothing
            put(repo, make(4, "ps0000000000004a"));
            scope.release();
        }
        db.rollback();
        CHECK(stored_mark(db) == 3);
    }
    store::database db(dir.db_options());
    store::requests repo(db);
    CHECK(insert(db, repo, make(5, "ps0000000000005a")) == 4);
    CHECK(insert(db, repo, make(6, "ps0000000000006a")) == 5);
    CHECK(stored_mark(db) == 5);
}

TEST_CASE("requests gone before the commit of their inserts still leave the mark", "[store]") {
    temp_dir dir;
    {
        store::database db(dir.db_options());
        {
            store::requests repo(db);
            store::write_scope scope(db, store::single_statement);
            put(repo, make(1));
            scope.release();
        } // the repository goes; the transaction with its insert stays open
        db.commit();
    }
    store::database db(dir.db_options());
    store::requests repo(db);
    CHECK(insert(db, repo, make(2, "ps0000000000002a")) == 2);
}

TEST_CASE("requests never reuse the seq of a rolled-back insert", "[store]") {
    store::database db({});
    store::requests repo(db);
    auto const first = insert(db, repo, make(1));
    {
        store::write_scope dropped(db);
        put(repo, make(2));
    }
    CHECK_FALSE(repo.find(id_of(2)));
    auto const third = insert(db, repo, make(3));
    CHECK(third > first);
    auto const listed =
        repo.list("0123456789abcdef", store::request_kind::provision, std::nullopt, newest, 10);
    CHECK(seqs(listed.rows) == std::vector<std::int64_t>{third, first});
}

TEST_CASE("requests find returns every stored field, or nothing for an unknown id", "[store]") {
    store::database db({});
    store::requests repo(db);
    auto row = make(5, "ps000000000000ff", std::nullopt);
    row.kind = store::request_kind::assignment_create;
    row.principal_type = "USER";
    row.principal_id = "user-1";
    row.due_ms = 4242;
    row.settle_by = store::settle_mode::polls;
    row.polls_left = 3;
    row.planned_status = store::request_status::failed;
    row.planned_reason = "no";
    row.surface = "huawei";
    repo.insert(row);

    auto const found = repo.find(id_of(5));
    REQUIRE(found);
    CHECK(found->id == id_of(5));
    CHECK(found->seq == 1);
    CHECK(found->kind == store::request_kind::assignment_create);
    CHECK(found->status == store::request_status::in_progress);
    CHECK(found->instance_id == "0123456789abcdef");
    CHECK(found->permission_set_id == "ps000000000000ff");
    CHECK_FALSE(found->account_id);
    CHECK(found->principal_type == std::optional<std::string>("USER"));
    CHECK(found->principal_id == std::optional<std::string>("user-1"));
    CHECK_FALSE(found->failure_reason);
    CHECK(found->created_ms == 1005);
    CHECK(found->due_ms == std::optional<std::int64_t>(4242));
    CHECK(found->settle_by == store::settle_mode::polls);
    CHECK(found->polls_left == 3);
    CHECK(found->planned_status == store::request_status::failed);
    CHECK(found->planned_reason == std::optional<std::string>("no"));
    CHECK(found->surface == "huawei");

    CHECK_FALSE(repo.find(id_of(6)));
}

TEST_CASE("requests list is newest first with a keyset before and a status filter", "[store]") {
    store::database db({});
    store::requests repo(db);
    for (unsigned char n = 1; n <= 5; ++n)
        put(repo, make(n));
    // Another kind and another instance never show up.
    auto other_kind = make(6);
    other_kind.kind = store::request_kind::assignment_create;
    repo.insert(other_kind);
    auto other_instance = make(7);
    other_instance.instance_id = "fedcba9876543210";
    repo.insert(other_instance);
    REQUIRE(repo.settle(id_of(2), store::request_status::succeeded, std::nullopt));
    REQUIRE(repo.settle(id_of(4), store::request_status::failed, "boom"));

    auto const first =
        repo.list("0123456789abcdef", store::request_kind::provision, std::nullopt, newest, 2);
    CHECK(seqs(first.rows) == std::vector<std::int64_t>{5, 4});
    REQUIRE(first.next_after == std::optional<std::int64_t>(4));
    auto const second = repo.list("0123456789abcdef", store::request_kind::provision, std::nullopt,
                                  *first.next_after, 2);
    CHECK(seqs(second.rows) == std::vector<std::int64_t>{3, 2});
    REQUIRE(second.next_after == std::optional<std::int64_t>(2));
    auto const third = repo.list("0123456789abcdef", store::request_kind::provision, std::nullopt,
                                 *second.next_after, 2);
    CHECK(seqs(third.rows) == std::vector<std::int64_t>{1});
    CHECK_FALSE(third.next_after);

    auto const running = repo.list("0123456789abcdef", store::request_kind::provision,
                                   store::request_status::in_progress, newest, 100);
    CHECK(seqs(running.rows) == std::vector<std::int64_t>{5, 3, 1});
    CHECK_FALSE(running.next_after);
    auto const failed = repo.list("0123456789abcdef", store::request_kind::provision,
                                  store::request_status::failed, newest, 100);
    REQUIRE(seqs(failed.rows) == std::vector<std::int64_t>{4});
    CHECK(failed.rows[0].status == store::request_status::failed);

    // A full last page has no next page.
    auto const exact = repo.list("0123456789abcdef", store::request_kind::provision,
                                 store::request_status::in_progress, newest, 3);
    CHECK(exact.rows.size() == 3);
    CHECK_FALSE(exact.next_after);
}

TEST_CASE("requests in_flight matches the account, ALL requests, and any request without one",
          "[store]") {
    store::database db({});
    store::requests repo(db);
    put(repo, make(1, "psa", "111111111111"));
    CHECK(repo.in_flight("psa", std::string_view("111111111111")));
    CHECK_FALSE(repo.in_flight("psa", std::string_view("222222222222")));
    CHECK(repo.in_flight("psa", std::nullopt));
    CHECK_FALSE(repo.in_flight("psb", std::nullopt));
    CHECK_FALSE(repo.in_flight("psb", std::string_view("111111111111")));

    // An ALL_PROVISIONED_ACCOUNTS request (no account) holds every account.
    put(repo, make(2, "psb", std::nullopt));
    CHECK(repo.in_flight("psb", std::string_view("333333333333")));
    CHECK(repo.in_flight("psb", std::nullopt));

    // Settled requests hold nothing.
    REQUIRE(repo.settle(id_of(1), store::request_status::succeeded, std::nullopt));
    REQUIRE(repo.settle(id_of(2), store::request_status::failed, "x"));
    CHECK_FALSE(repo.in_flight("psa", std::string_view("111111111111")));
    CHECK_FALSE(repo.in_flight("psa", std::nullopt));
    CHECK_FALSE(repo.in_flight("psb", std::string_view("333333333333")));
    CHECK(repo.count_in_flight() == 0);
}

TEST_CASE("requests due_changes counts the writes that add or move a due time", "[store]") {
    store::database db({});
    store::requests repo(db);
    auto const start = repo.due_changes();
    auto row = make(1);
    row.due_ms = 10;
    repo.insert(row);
    CHECK(repo.due_changes() == start + 1);
    repo.reschedule(id_of(1), store::settle_mode::at_due, 20, 0);
    CHECK(repo.due_changes() == start + 2);
    REQUIRE(repo.settle(id_of(1), store::request_status::succeeded, std::nullopt));
    CHECK(repo.due_changes() == start + 2); // a settlement only ends one: its entry is skipped
    repo.erase_all();
    CHECK(repo.due_changes() == start + 3);
}

TEST_CASE("requests due_entries lists IN_PROGRESS requests with their due times", "[store]") {
    store::database db({});
    store::requests repo(db);
    auto plan = [&](unsigned char n, std::optional<std::int64_t> due) {
        auto row = make(n, "ps" + std::to_string(n));
        row.due_ms = due;
        repo.insert(row);
    };
    plan(1, 300);
    plan(2, 100);
    plan(3, 200);
    plan(4, 100); // same due time as 2: creation order breaks the tie
    plan(5, std::nullopt);
    plan(6, 900);
    plan(7, 50);
    REQUIRE(repo.settle(id_of(7), store::request_status::succeeded, std::nullopt));

    auto ids = [](std::initializer_list<unsigned char> ns) {
        std::vector<store::request_id> out;
        for (auto n : ns)
            out.push_back(id_of(n));
        return out;
    };
    // Every request in flight with a due time (not 5, which has none; not 7, settled), each
    // with its due time and seq; sorted, they come in due order, creation order on a tie.
    auto entries = repo.due_entries();
    std::sort(entries.begin(), entries.end(), [](auto const& a, auto const& b) {
        return std::tie(a.due_ms, a.seq) < std::tie(b.due_ms, b.seq);
    });
    std::vector<store::request_id> order;
    for (auto const& e : entries)
        order.push_back(e.id);
    CHECK(order == ids({2, 4, 3, 1, 6}));
    CHECK(entries.front().due_ms == 100);
    CHECK(entries.back().due_ms == 900);
    CHECK(repo.count_in_flight() == 6);
}

TEST_CASE("requests settle only ends an IN_PROGRESS request", "[store]") {
    store::database db({});
    store::requests repo(db);
    auto row = make(1);
    row.due_ms = 10;
    repo.insert(row);
    CHECK(repo.settle(id_of(1), store::request_status::failed, "quota"));
    auto const settled = repo.find(id_of(1));
    REQUIRE(settled);
    CHECK(settled->status == store::request_status::failed);
    CHECK(settled->failure_reason == std::optional<std::string>("quota"));
    CHECK_FALSE(settled->due_ms);
    CHECK(repo.due_entries().empty());

    CHECK_FALSE(repo.settle(id_of(1), store::request_status::succeeded, std::nullopt));
    auto const again = repo.find(id_of(1));
    REQUIRE(again);
    CHECK(again->status == store::request_status::failed);
    CHECK(again->failure_reason == std::optional<std::string>("quota"));

    CHECK_FALSE(repo.settle(id_of(9), store::request_status::succeeded, std::nullopt));
}
