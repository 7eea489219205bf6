#include "store/identity.hpp"

#include "store/page_reader.hpp"

namespace icemu::store {

namespace {

identity_user_row read_user(statement const& row) {
    return {row.column_string(1), row.column_string(2), row.column_optional(3),
            row.column_string(4), row.column_string(5), row.column_int64(6),
            row.column_string(7), row.column_int64(8),  row.column_string(9)};
}

identity_group_row read_group(statement const& row) {
    return {row.column_string(1), row.column_string(2), row.column_optional(3),
            row.column_string(4), row.column_int64(5),  row.column_string(6),
            row.column_int64(7),  row.column_string(8)};
}

identity_membership_row read_membership(statement const& row) {
    return {row.column_string(1), row.column_string(2), row.column_string(3),
            row.column_string(4), row.column_int64(5),  row.column_string(6)};
}

template <typename Row, typename Read>
std::optional<Row> first_row(statement& s, Read read) {
    if (!s.step())
        return std::nullopt;
    return read(s);
}

} // namespace

std::optional<identity_store_owner> identity::find_store(std::string_view identity_store_id) {
    statement_use s(
        db_.cached("SELECT id, owner_account FROM instances WHERE identity_store_id = ? LIMIT 1"));
    s->bind(1, identity_store_id);
    if (!s->step())
        return std::nullopt;
    return identity_store_owner{s->column_string(0), s->column_string(1)};
}

std::optional<std::string> identity::store_of_instance(std::string_view instance_id) {
    statement_use s(db_.cached("SELECT identity_store_id FROM instances WHERE id = ?"));
    s->bind(1, instance_id);
    if (!s->step())
        return std::nullopt;
    return s->column_string(0);
}

void identity::insert_user(identity_user_row const& row) {
    statement_use s(db_.cached(
        "INSERT INTO identity_users(identity_store_id, id, user_name, attributes, status, "
        "created_ms, created_by, updated_ms, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    s->bind(1, row.identity_store_id)
        .bind(2, row.id)
        .bind(3, row.user_name)
        .bind(4, row.attributes)
        .bind(5, row.status)
        .bind(6, row.created_ms)
        .bind(7, row.created_by)
        .bind(8, row.updated_ms)
        .bind(9, row.updated_by);
    s->run();
}

std::optional<identity_user_row> identity::find_user(std::string_view identity_store_id,
                                                     std::string_view user_id) {
    statement_use s(
        db_.cached("SELECT seq, identity_store_id, id, user_name, attributes, status, "
                   "created_ms, created_by, updated_ms, updated_by FROM identity_users "
                   "WHERE id = ? AND identity_store_id = ?"));
    s->bind(1, user_id).bind(2, identity_store_id);
    return first_row<identity_user_row>(*s, read_user);
}

std::optional<identity_user_row> identity::find_user_by_name(std::string_view identity_store_id,
                                                             std::string_view user_name) {
    statement_use s(
        db_.cached("SELECT seq, identity_store_id, id, user_name, attributes, status, "
                   "created_ms, created_by, updated_ms, updated_by FROM identity_users "
                   "WHERE identity_store_id = ? AND user_name = ?"));
    s->bind(1, identity_store_id).bind(2, user_name);
    return first_row<identity_user_row>(*s, read_user);
}

std::optional<identity_user_row> identity::find_user_by_external_id(
    std::string_view identity_store_id, std::string_view issuer, std::string_view id) {
    statement_use s(db_.cached(
        "SELECT seq, identity_store_id, id, user_name, attributes, status, created_ms, "
        "created_by, updated_ms, updated_by FROM identity_users WHERE identity_store_id = ? AND "
        "EXISTS (SELECT 1 FROM json_each(attributes, '$.ExternalIds') AS e WHERE "
        "json_extract(e.value, '$.Issuer') = ? AND json_extract(e.value, '$.Id') = ?) "
        "ORDER BY seq LIMIT 1"));
    s->bind(1, identity_store_id).bind(2, issuer).bind(3, id);
    return first_row<identity_user_row>(*s, read_user);
}

page<identity_user_row> identity::list_users(std::string_view identity_store_id,
                                             std::optional<std::string> const& user_name,
                                             std::int64_t after, std::int64_t limit) {
    statement_use s(db_.cached(
        "SELECT seq, identity_store_id, id, user_name, attributes, status, created_ms, "
        "created_by, updated_ms, updated_by FROM identity_users WHERE identity_store_id = ? AND "
        "(?2 IS NULL OR user_name = ?2) AND seq > ? ORDER BY seq LIMIT ?"));
    s->bind(1, identity_store_id).bind(2, user_name).bind(3, after).bind(4, limit + 1);
    return read_page<identity_user_row>(*s, limit, read_user);
}

void identity::update_user(identity_user_row const& row) {
    statement_use s(db_.cached(
        "UPDATE identity_users SET user_name = ?, attributes = ?, status = ?, updated_ms = ?, "
        "updated_by = ? WHERE id = ? AND identity_store_id = ?"));
    s->bind(1, row.user_name)
        .bind(2, row.attributes)
        .bind(3, row.status)
        .bind(4, row.updated_ms)
        .bind(5, row.updated_by)
        .bind(6, row.id)
        .bind(7, row.identity_store_id);
    s->run();
}

bool identity::erase_user(std::string_view identity_store_id, std::string_view user_id) {
    statement_use s(
        db_.cached("DELETE FROM identity_users WHERE id = ? AND identity_store_id = ?"));
    s->bind(1, user_id).bind(2, identity_store_id);
    return s->run() > 0;
}

void identity::insert_group(identity_group_row const& row) {
    statement_use s(db_.cached(
        "INSERT INTO identity_groups(identity_store_id, id, display_name, attributes, "
        "created_ms, created_by, updated_ms, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    s->bind(1, row.identity_store_id)
        .bind(2, row.id)
        .bind(3, row.display_name)
        .bind(4, row.attributes)
        .bind(5, row.created_ms)
        .bind(6, row.created_by)
        .bind(7, row.updated_ms)
        .bind(8, row.updated_by);
    s->run();
}

std::optional<identity_group_row> identity::find_group(std::string_view identity_store_id,
                                                       std::string_view group_id) {
    statement_use s(
        db_.cached("SELECT seq, identity_store_id, id, display_name, attributes, "
                   "created_ms, created_by, updated_ms, updated_by FROM "
                   "identity_groups WHERE id = ? AND identity_store_id = ?"));
    s->bind(1, group_id).bind(2, identity_store_id);
    return first_row<identity_group_row>(*s, read_group);
}

std::optional<identity_group_row> identity::find_group_by_name(std::string_view identity_store_id,
                                                               std::string_view display_name) {
    statement_use s(
        db_.cached("SELECT seq, identity_store_id, id, display_name, attributes, "
                   "created_ms, created_by, updated_ms, updated_by FROM "
                   "identity_groups WHERE identity_store_id = ? AND display_name = ?"));
    s->bind(1, identity_store_id).bind(2, display_name);
    return first_row<identity_group_row>(*s, read_group);
}

std::optional<identity_group_row> identity::find_group_by_external_id(
    std::string_view identity_store_id, std::string_view issuer, std::string_view id) {
    statement_use s(db_.cached(
        "SELECT seq, identity_store_id, id, display_name, attributes, created_ms, created_by, "
        "updated_ms, updated_by FROM identity_groups WHERE identity_store_id = ? AND "
        "EXISTS (SELECT 1 FROM json_each(attributes, '$.ExternalIds') AS e WHERE "
        "json_extract(e.value, '$.Issuer') = ? AND json_extract(e.value, '$.Id') = ?) "
        "ORDER BY seq LIMIT 1"));
    s->bind(1, identity_store_id).bind(2, issuer).bind(3, id);
    return first_row<identity_group_row>(*s, read_group);
}

page<identity_group_row> identity::list_groups(std::string_view identity_store_id,
                                               std::optional<std::string> const& display_name,
                                               std::int64_t after, std::int64_t limit) {
    statement_use s(db_.cached(
        "SELECT seq, identity_store_id, id, display_name, attributes, created_ms, created_by, "
        "updated_ms, updated_by FROM identity_groups WHERE identity_store_id = ? AND "
        "(?2 IS NULL OR display_name = ?2) AND seq > ? ORDER BY seq LIMIT ?"));
    s->bind(1, identity_store_id).bind(2, display_name).bind(3, after).bind(4, limit + 1);
    return read_page<identity_group_row>(*s, limit, read_group);
}

void identity::update_group(identity_group_row const& row) {
    statement_use s(
        db_.cached("UPDATE identity_groups SET display_name = ?, attributes = ?, updated_ms = ?, "
                   "updated_by = ? WHERE id = ? AND identity_store_id = ?"));
    s->bind(1, row.display_name)
        .bind(2, row.attributes)
        .bind(3, row.updated_ms)
        .bind(4, row.updated_by)
        .bind(5, row.id)
        .bind(6, row.identity_store_id);
    s->run();
}

bool identity::erase_group(std::string_view identity_store_id, std::string_view group_id) {
    statement_use s(
        db_.cached("DELETE FROM identity_groups WHERE id = ? AND identity_store_id = ?"));
    s->bind(1, group_id).bind(2, identity_store_id);
    return s->run() > 0;
}

void identity::insert_membership(identity_membership_row const& row) {
    statement_use s(
        db_.cached("INSERT INTO identity_memberships(identity_store_id, id, "
                   "group_id, user_id, created_ms, created_by) VALUES "
                   "(?, ?, ?, ?, ?, ?)"));
    s->bind(1, row.identity_store_id)
        .bind(2, row.id)
        .bind(3, row.group_id)
        .bind(4, row.user_id)
        .bind(5, row.created_ms)
        .bind(6, row.created_by);
    s->run();
}

std::optional<identity_membership_row> identity::find_membership(std::string_view identity_store_id,
                                                                 std::string_view membership_id) {
    statement_use s(
        db_.cached("SELECT seq, identity_store_id, id, group_id, user_id, created_ms, "
                   "created_by FROM identity_memberships WHERE id = ? AND "
                   "identity_store_id = ?"));
    s->bind(1, membership_id).bind(2, identity_store_id);
    return first_row<identity_membership_row>(*s, read_membership);
}

std::optional<identity_membership_row> identity::find_membership_of(
    std::string_view identity_store_id, std::string_view group_id, std::string_view user_id) {
    statement_use s(
        db_.cached("SELECT seq, identity_store_id, id, group_id, user_id, created_ms, "
                   "created_by FROM identity_memberships WHERE group_id = ? AND "
                   "user_id = ? AND identity_store_id = ?"));
    s->bind(1, group_id).bind(2, user_id).bind(3, identity_store_id);
    return first_row<identity_membership_row>(*s, read_membership);
}

page<identity_membership_row> identity::list_memberships(std::string_view identity_store_id,
                                                         std::string_view group_id,
                                                         std::int64_t after, std::int64_t limit) {
    statement_use s(
        db_.cached("SELECT seq, identity_store_id, id, group_id, user_id, created_ms, "
                   "created_by FROM identity_memberships WHERE identity_store_id = ? "
                   "AND group_id = ? AND seq > ? ORDER BY seq LIMIT ?"));
    s->bind(1, identity_store_id).bind(2, group_id).bind(3, after).bind(4, limit + 1);
    return read_page<identity_membership_row>(*s, limit, read_membership);
}

page<identity_membership_row> identity::list_memberships_for_user(
    std::string_view identity_store_id, std::string_view user_id, std::int64_t after,
    std::int64_t limit) {
    statement_use s(
        db_.cached("SELECT seq, identity_store_id, id, group_id, user_id, created_ms, "
                   "created_by FROM identity_memberships WHERE identity_store_id = ? "
                   "AND user_id = ? AND seq > ? ORDER BY seq LIMIT ?"));
    s->bind(1, identity_store_id).bind(2, user_id).bind(3, after).bind(4, limit + 1);
    return read_page<identity_membership_row>(*s, limit, read_membership);
}

bool identity::erase_membership(std::string_view identity_store_id,
                                std::string_view membership_id) {
    statement_use s(
        db_.cached("DELETE FROM identity_memberships WHERE id = ? AND identity_store_id = ?"));
    s->bind(1, membership_id).bind(2, identity_store_id);
    return s->run() > 0;
}

bool identity::has_principal(std::string_view identity_store_id, std::string_view type,
                             std::string_view id) {
    statement_use s(db_.cached(type == "GROUP" ? "SELECT 1 FROM identity_groups WHERE id = ? AND "
                                                 "identity_store_id = ?"
                                               : "SELECT 1 FROM identity_users WHERE id = ? AND "
                                                 "identity_store_id = ?"));
    s->bind(1, id).bind(2, identity_store_id);
    return s->step();
}

} // namespace icemu::store
