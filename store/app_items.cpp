#include "store/app_items.hpp"

#include <string>

#include "store/page_reader.hpp"

namespace icemu::store {

namespace {

constexpr char const* columns =
    "seq, instance_id, kind, owner, key, a, b, c, d, body, client_token, created_ms";

app_item read_item(statement const& s) {
    app_item out;
    out.seq = s.column_int64(0);
    out.instance_id = s.column_string(1);
    out.kind = s.column_string(2);
    out.owner = s.column_string(3);
    out.key = s.column_string(4);
    out.a = s.column_optional(5);
    out.b = s.column_optional(6);
    out.c = s.column_optional(7);
    out.d = s.column_optional(8);
    out.body = s.column_string(9);
    out.client_token = s.column_optional(10);
    out.created_ms = s.column_int64(11);
    return out;
}

void bind_item(statement& s, app_item const& item) {
    s.bind(1, item.instance_id)
        .bind(2, item.kind)
        .bind(3, item.owner)
        .bind(4, item.key)
        .bind(5, item.a)
        .bind(6, item.b)
        .bind(7, item.c)
        .bind(8, item.d)
        .bind(9, item.body)
        .bind(10, item.client_token)
        .bind(11, item.created_ms);
}

} // namespace

bool app_items::insert(app_item const& item) {
    statement_use s(db_.cached(
        "INSERT OR IGNORE INTO app_items(instance_id, kind, owner, key, a, b, c, d, body, "
        "client_token, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    bind_item(*s, item);
    return s->run() > 0;
}

void app_items::upsert(app_item const& item) {
    statement_use s(db_.cached(
        "INSERT INTO app_items(instance_id, kind, owner, key, a, b, c, d, body, client_token, "
        "created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(instance_id, kind, "
        "owner, key) DO UPDATE SET a = excluded.a, b = excluded.b, c = excluded.c, d = "
        "excluded.d, body = excluded.body"));
    bind_item(*s, item);
    s->run();
}

bool app_items::update(app_item const& item) {
    statement_use s(
        db_.cached("UPDATE app_items SET a = ?, b = ?, c = ?, d = ?, body = ? WHERE instance_id = "
                   "? AND kind = ? AND owner = ? AND key = ?"));
    s->bind(1, item.a)
        .bind(2, item.b)
        .bind(3, item.c)
        .bind(4, item.d)
        .bind(5, item.body)
        .bind(6, item.instance_id)
        .bind(7, item.kind)
        .bind(8, item.owner)
        .bind(9, item.key);
    return s->run() > 0;
}

std::optional<app_item> app_items::find(std::string_view instance_id, std::string_view kind,
                                        std::string_view owner, std::string_view key) {
    statement_use s(db_.cached(
        "SELECT seq, instance_id, kind, owner, key, a, b, c, d, body, client_token, created_ms "
        "FROM app_items WHERE instance_id = ? AND kind = ? AND owner = ? AND key = ?"));
    s->bind(1, instance_id).bind(2, kind).bind(3, owner).bind(4, key);
    if (!s->step())
        return std::nullopt;
    return read_item(*s);
}

std::optional<app_item> app_items::find_by_token(std::string_view instance_id,
                                                 std::string_view kind,
                                                 std::string_view client_token) {
    statement_use s(db_.cached(
        "SELECT seq, instance_id, kind, owner, key, a, b, c, d, body, client_token, created_ms "
        "FROM app_items WHERE instance_id = ? AND kind = ? AND client_token = ?"));
    s->bind(1, instance_id).bind(2, kind).bind(3, client_token);
    if (!s->step())
        return std::nullopt;
    return read_item(*s);
}

bool app_items::erase(std::string_view instance_id, std::string_view kind, std::string_view owner,
                      std::string_view key) {
    statement_use s(db_.cached(
        "DELETE FROM app_items WHERE instance_id = ? AND kind = ? AND owner = ? AND key = ?"));
    s->bind(1, instance_id).bind(2, kind).bind(3, owner).bind(4, key);
    return s->run() > 0;
}

void app_items::erase_owned(std::string_view instance_id, std::string_view owner) {
    statement_use s(db_.cached("DELETE FROM app_items WHERE instance_id = ? AND owner = ?"));
    s->bind(1, instance_id).bind(2, owner);
    s->run();
}

namespace {

// The filter's WHERE clause; unset members match everything (a NULL parameter).
constexpr char const* where =
    " FROM app_items WHERE instance_id = ?1 AND kind = ?2 AND (?3 IS NULL OR owner = ?3) AND "
    "(?4 IS NULL OR a = ?4) AND (?5 IS NULL OR b = ?5) AND (?6 IS NULL OR d = ?6)";

void bind_filter(statement& s, app_item_filter const& f) {
    auto const opt = [](std::optional<std::string_view> v) {
        return v ? std::optional<std::string>(std::string(*v)) : std::nullopt;
    };
    s.bind(1, f.instance_id).bind(2, f.kind).bind(3, opt(f.owner)).bind(4, opt(f.a));
    s.bind(5, opt(f.b)).bind(6, opt(f.d));
}

} // namespace

std::int64_t app_items::count(app_item_filter const& filter) {
    static std::string const sql = std::string("SELECT count(*)") + where;
    statement_use s(db_.cached(sql.c_str()));
    bind_filter(*s, filter);
    return s->step() ? s->column_int64(0) : 0;
}

page<app_item> app_items::list(app_item_filter const& filter, std::int64_t after,
                               std::int64_t limit) {
    static std::string const sql =
        std::string("SELECT ") + columns + where + " AND seq > ?7 ORDER BY seq LIMIT ?8";
    statement_use s(db_.cached(sql.c_str()));
    bind_filter(*s, filter);
    s->bind(7, after).bind(8, limit + 1);
    return read_page<app_item>(*s, limit, read_item);
}

bool app_items::b_in_use(std::string_view instance_id, std::string_view kind,
                         std::string_view value, std::string_view except) {
    statement_use s(
        db_.cached("SELECT 1 FROM app_items WHERE instance_id = ? AND kind = ? AND "
                   "owner = '' AND b = ? AND key <> ? LIMIT 1"));
    s->bind(1, instance_id).bind(2, kind).bind(3, value).bind(4, except);
    return s->step();
}

} // namespace icemu::store
