#include "store/roles.hpp"

#include "store/page_reader.hpp"

namespace icemu::store {

bool roles::insert_managed_role(std::string_view instance_id, std::string_view permission_set_id,
                                named_policy const& role) {
    statement_use s(db_.cached(
        "INSERT OR IGNORE INTO managed_roles(instance_id, permission_set_id, role_id, role_name) "
        "VALUES (?, ?, ?, ?)"));
    s->bind(1, instance_id).bind(2, permission_set_id).bind(3, role.id).bind(4, role.name);
    return s->run() > 0;
}

bool roles::erase_managed_role(std::string_view permission_set_id, std::string_view role_id) {
    statement_use s(
        db_.cached("DELETE FROM managed_roles WHERE permission_set_id = ? AND role_id = ?"));
    s->bind(1, permission_set_id).bind(2, role_id);
    return s->run() > 0;
}

std::int64_t roles::count_managed_roles(std::string_view permission_set_id) {
    statement_use s(db_.cached("SELECT count(*) FROM managed_roles WHERE permission_set_id = ?"));
    s->bind(1, permission_set_id);
    return s->step() ? s->column_int64(0) : 0;
}

page<named_policy> roles::list_managed_roles(std::string_view permission_set_id, std::int64_t after,
                                             std::int64_t limit) {
    statement_use s(
        db_.cached("SELECT seq, role_id, role_name FROM managed_roles WHERE permission_set_id = ? "
                   "AND seq > ? ORDER BY seq LIMIT ?"));
    s->bind(1, permission_set_id).bind(2, after).bind(3, limit + 1);
    return read_page<named_policy>(*s, limit, [](statement const& row) {
        return named_policy{row.column_string(1), row.column_optional(2)};
    });
}

std::optional<std::string> roles::custom_role(std::string_view permission_set_id) {
    statement_use s(db_.cached("SELECT custom_role FROM permission_sets WHERE id = ?"));
    s->bind(1, permission_set_id);
    if (!s->step())
        return std::nullopt;
    return s->column_optional(0);
}

void roles::set_custom_role(std::string_view permission_set_id,
                            std::optional<std::string> const& document) {
    statement_use s(db_.cached("UPDATE permission_sets SET custom_role = ? WHERE id = ?"));
    s->bind(1, document).bind(2, permission_set_id);
    s->run();
}

std::optional<std::string> roles::known_managed_role_name(std::string_view role_id) {
    statement_use s(
        db_.cached("SELECT role_name FROM managed_roles INDEXED BY managed_roles_by_id "
                   "WHERE role_id = ? AND role_name IS NOT NULL LIMIT 1"));
    s->bind(1, role_id);
    if (!s->step())
        return std::nullopt;
    return s->column_string(0);
}

} // namespace icemu::store
