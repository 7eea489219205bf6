#include "store/requests.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "store/database.hpp"
#include "store/request_keys.hpp"
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

namespace {

// A request as icemu makes them: its key holds its creation time first, so key order is
// creation order (store/request_keys.hpp).
store::request_row minted(int n, store::request_kind kind = store::request_kind::provision,
                          std::string instance = "0123456789abcdef") {
    auto row = make(0, "ps" + std::to_string(n % 3), std::to_string(100000000000 + n));
    row.id = store::new_request_id(1700000000000 + n, 7, static_cast<std::uint64_t>(n));
    row.kind = kind;
    row.instance_id = std::move(instance);
    row.created_ms = 1000 + n;
    row.due_ms = 5000 + n;
    return row;
}

// Every answer the requests give about status, as text: equal before and after the settlements
// are written into their rows.
std::string everything(store::requests& repo) {
    std::string out;
    auto add = [&](auto const& v) { out += std::to_string(static_cast<std::int64_t>(v)) + ' '; };
    using status = store::request_status;
    for (std::string instance : {"0123456789abcdef", "fedcba9876543210"})
        for (auto kind : {store::request_kind::provision, store::request_kind::assignment_create})
            for (auto filter :
                 {std::optional<status>{}, std::optional<status>{status::in_progress},
                  std::optional<status>{status::succeeded}, std::optional<status>{status::failed}})
                for (std::int64_t limit : {1, 3, 100}) {
                    out += "\nlist ";
                    std::int64_t before = newest;
                    for (int pages = 0; pages < 100; ++pages) {
                        auto const page = repo.list(instance, kind, filter, before, limit);
                        for (auto const& row : page.rows) {
                            add(row.seq);
                            add(row.status);
                            add(row.created_ms);
                        }
                        out += "| ";
                        if (!page.next_after)
                            break;
                        before = *page.next_after;
                    }
                }
    for (auto filter : {std::optional<status>{}, std::optional<status>{status::in_progress},
                        std::optional<status>{status::failed}}) {
        out += "\nall ";
        for (auto const& row : repo.list_all({filter, std::nullopt, std::nullopt})) {
            add(row.seq);
            add(row.status);
            out += row.failure_reason.value_or("-") + ' ';
            add(row.due_ms.value_or(-1));
        }
    }
    out += "\ncounts ";
    for (auto const& [kind, state, count] : repo.counts()) {
        add(kind);
        add(state);
        add(count);
    }
    out += "\nin flight ";
    add(repo.count_in_flight());
    for (int n = 0; n < 3; ++n)
        add(repo.in_flight("ps" + std::to_string(n), std::nullopt));
    add(repo.in_flight("ps1", std::string_view("100000000000")));
    add(repo.in_flight_in_instance("0123456789abcdef"));
    add(repo.in_flight_in_instance("fedcba9876543210"));
    out += "\ndue ";
    auto due = repo.due_entries();
    std::sort(due.begin(), due.end(), [](auto const& a, auto const& b) { return a.seq < b.seq; });
    for (auto const& entry : due)
        add(entry.seq);
    out += "\nschedulable ";
    repo.for_each_schedulable([&](store::request_row const& row) { add(row.seq); });
    return out;
}

std::int64_t stored_in_progress(store::database& db) {
    store::statement s(db.handle(), "SELECT count(*) FROM requests WHERE status = 0");
    return s.step() ? s.column_int64(0) : -1;
}

std::int64_t waiting_rows(store::database& db) {
    store::statement s(db.handle(), "SELECT count(*) FROM settled_requests");
    return s.step() ? s.column_int64(0) : -1;
}

} // namespace

TEST_CASE("requests answer settlements before their rows are written, then write them in order",
          "[store]") {
    store::database db({});
    store::requests repo(db);
    std::mt19937 engine(11);
    std::vector<store::request_row> rows;
    for (int n = 0; n < 60; ++n) {
        auto row = minted(
            n, n % 4 == 0 ? store::request_kind::assignment_create : store::request_kind::provision,
            n % 5 == 0 ? "fedcba9876543210" : "0123456789abcdef");
        repo.insert(row);
        rows.push_back(row);
    }
    // Two of three settle, in an order of their own (as delays drawn at random make it).
    std::vector<store::request_row> order = rows;
    std::shuffle(order.begin(), order.end(), engine);
    for (std::size_t i = 0; i < order.size(); ++i) {
        if (i % 3 == 2)
            continue;
        bool const fails = i % 4 == 1;
        REQUIRE(repo.settle(
            order[i].id, fails ? store::request_status::failed : store::request_status::succeeded,
            fails ? std::optional<std::string>("boom") : std::nullopt));
    }
    CHECK(repo.unwritten() == 40);
    CHECK(stored_in_progress(db) == 60); // no row written yet
    CHECK(waiting_rows(db) == 40);
    CHECK(repo.count_in_flight() == 20);
    CHECK_FALSE(repo.settle(order[0].id, store::request_status::failed, "again"));
    auto const answered = everything(repo);

    // Only those created before 1030 (and, past 25 waiting, the oldest): in the rows' order,
    // so the oldest unwritten is then the first created at or after it.
    REQUIRE(repo.oldest_unwritten());
    CHECK(*repo.oldest_unwritten() < 1030);
    bool more = true;
    while (more)
        more = repo.write_settled(1030, 1000, 4); // four at a time
    REQUIRE(repo.oldest_unwritten());
    CHECK(*repo.oldest_unwritten() >= 1030);
    std::int64_t written = 40 - static_cast<std::int64_t>(repo.unwritten());
    CHECK(written > 0);
    CHECK(stored_in_progress(db) == 60 - written);
    CHECK(everything(repo) == answered);
    // Keeping at most 5 unwritten writes the oldest beyond them.
    while (repo.write_settled(0, 5, 100)) {
    }
    CHECK(repo.unwritten() == 5);
    CHECK(everything(repo) == answered);
    // The rest, and the table of settlements empties.
    CHECK_FALSE(repo.write_settled(newest, 0, 100));
    CHECK(repo.unwritten() == 0);
    CHECK_FALSE(repo.oldest_unwritten());
    CHECK(stored_in_progress(db) == 20);
    CHECK(waiting_rows(db) == 0);
    CHECK(everything(repo) == answered);
}

TEST_CASE("requests read unwritten settlements back when the store is opened again", "[store]") {
    temp_dir dir;
    {
        store::database db(dir.db_options());
        store::requests repo(db);
        db.begin();
        for (int n = 0; n < 4; ++n)
            put(repo, minted(n));
        // Settled in another order than created: the later one first.
        REQUIRE(repo.settle(minted(2).id, store::request_status::succeeded, std::nullopt));
        REQUIRE(repo.settle(minted(1).id, store::request_status::failed, "quota"));
        db.commit();
        // The oldest written (minted(1)): its row of settled_requests stays behind minted(2)'s.
        db.begin();
        CHECK_FALSE(repo.write_settled(0, 1, 10));
        db.commit();
        CHECK(repo.unwritten() == 1);
        CHECK(waiting_rows(db) == 2);
    } // a stop with no write of the rest, as after kill -9
    store::database db(dir.db_options());
    store::requests repo(db);
    CHECK(repo.unwritten() == 1); // minted(2); minted(1)'s row is written already
    CHECK(stored_in_progress(db) == 3);
    auto const failed = repo.find(minted(1).id);
    REQUIRE(failed);
    CHECK(failed->status == store::request_status::failed);
    CHECK(failed->failure_reason == std::optional<std::string>("quota"));
    auto const succeeded = repo.find(minted(2).id);
    REQUIRE(succeeded);
    CHECK(succeeded->status == store::request_status::succeeded);
    CHECK_FALSE(succeeded->due_ms);
    CHECK(repo.count_in_flight() == 2);
    db.begin();
    CHECK_FALSE(repo.write_settled(newest, 0, 10));
    db.commit();
    CHECK(stored_in_progress(db) == 2);
    CHECK(waiting_rows(db) == 0);
}

TEST_CASE("requests forget the settlements of a savepoint or a transaction rolled back",
          "[store]") {
    store::database db({});
    store::requests repo(db);
    db.begin();
    for (int n = 0; n < 3; ++n)
        put(repo, minted(n));
    db.commit();
    auto status_of = [&](int n) { return repo.find(minted(n).id)->status; };

    SECTION("a savepoint") {
        {
            store::write_scope kept(db);
            REQUIRE(repo.settle(minted(0).id, store::request_status::succeeded, std::nullopt));
            kept.release();
        }
        {
            store::write_scope undone(db);
            REQUIRE(repo.settle(minted(1).id, store::request_status::succeeded, std::nullopt));
            // Written and undone with it: the settlement is unwritten again.
            CHECK_FALSE(repo.write_settled(newest, 0, 10));
            CHECK(repo.unwritten() == 0);
        }
        CHECK(status_of(0) == store::request_status::succeeded);
        CHECK(status_of(1) == store::request_status::in_progress);
        CHECK(repo.unwritten() == 1);
        CHECK(repo.count_in_flight() == 2);
        db.commit();
        CHECK(stored_in_progress(db) == 3);
        CHECK(waiting_rows(db) == 1);
        // It can settle again.
        CHECK(repo.settle(minted(1).id, store::request_status::failed, "x"));
    }
    SECTION("a transaction") {
        store::write_scope scope(db);
        REQUIRE(repo.settle(minted(2).id, store::request_status::succeeded, std::nullopt));
        scope.release();
        db.rollback();
        CHECK(status_of(2) == store::request_status::in_progress);
        CHECK(repo.unwritten() == 0);
        CHECK(repo.count_in_flight() == 3);
    }
    SECTION("erasing the instance or all of them") {
        db.begin();
        REQUIRE(repo.settle(minted(0).id, store::request_status::succeeded, std::nullopt));
        put(repo, minted(3, store::request_kind::provision, "fedcba9876543210"));
        REQUIRE(repo.settle(minted(3).id, store::request_status::succeeded, std::nullopt));
        repo.erase_instance("0123456789abcdef");
        CHECK(repo.unwritten() == 1);
        CHECK(waiting_rows(db) == 1);
        repo.erase_all();
        CHECK(repo.unwritten() == 0);
        CHECK(waiting_rows(db) == 0);
        db.commit();
        CHECK_FALSE(repo.find(minted(3).id));
    }
}
