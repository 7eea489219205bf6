#include "store/resources.hpp"

#include <limits>

#include "store/error.hpp"
#include "store/page_reader.hpp"

namespace icemu::store {

namespace {

// The columns read_instance reads.
#define ICEMU_INSTANCE_COLUMNS                                                                   \
    "seq, id, owner_account, identity_store_id, name, status, created_ms, encryption_key_type, " \
    "encryption_kms_key_arn"

instance_row read_instance(statement const& s) {
    instance_row row{
        s.column_int64(0),    s.column_string(1), s.column_string(2), s.column_string(3),
        s.column_optional(4), s.column_string(5), s.column_int64(6),  {}};
    if (auto key_type = s.column_optional(7)) // none: never updated, an AWS owned key
        row.encryption.key_type = std::move(*key_type);
    row.encryption.kms_key_arn = s.column_optional(8);
    return row;
}

permission_set_row read_permission_set(statement const& s) {
    return {s.column_int64(0),    s.column_string(1),   s.column_string(2),
            s.column_string(3),   s.column_optional(4), s.column_optional(5),
            s.column_optional(6), s.column_int64(7),    s.column_int64(8)};
}

assignment_row read_assignment(statement const& s) {
    return {s.column_int64(0),  s.column_string(1), s.column_string(2),
            s.column_string(3), s.column_string(4), s.column_string(5)};
}

} // namespace

void resources::insert_instance(instance_row const& row) {
    statement_use s(db_.cached(
        "INSERT INTO instances(id, owner_account, identity_store_id, name, status, created_ms) "
        "VALUES (?, ?, ?, ?, ?, ?)"));
    s->bind(1, row.id).bind(2, row.owner_account).bind(3, row.identity_store_id);
    s->bind(4, row.name).bind(5, row.status).bind(6, row.created_ms);
    s->run();
}

std::optional<instance_row> resources::find_instance(std::string_view id) {
    statement_use s(db_.cached("SELECT " ICEMU_INSTANCE_COLUMNS " FROM instances WHERE id = ?"));
    s->bind(1, id);
    if (!s->step())
        return std::nullopt;
    return read_instance(*s);
}

std::optional<instance_row> resources::find_instance_by_owner(std::string_view account) {
    statement_use s(
        db_.cached("SELECT " ICEMU_INSTANCE_COLUMNS " FROM instances WHERE owner_account = ?"));
    s->bind(1, account);
    if (!s->step())
        return std::nullopt;
    return read_instance(*s);
}

page<instance_row> resources::list_instances(std::int64_t after, std::int64_t limit) {
    statement_use s(db_.cached("SELECT " ICEMU_INSTANCE_COLUMNS
                               " FROM instances WHERE seq > ? ORDER BY seq LIMIT ?"));
    s->bind(1, after).bind(2, limit + 1);
    return read_page<instance_row>(*s, limit, read_instance);
}

std::int64_t resources::count_instances() {
    statement_use s(db_.cached("SELECT count(*) FROM instances"));
    return s->step() ? s->column_int64(0) : 0;
}

bool resources::insert_permission_set(permission_set_row const& row) {
    statement_use s(db_.cached(
        "INSERT INTO permission_sets(id, instance_id, name, description, session_duration, "
        "relay_state, created_ms, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    s->bind(1, row.id).bind(2, row.instance_id).bind(3, row.name).bind(4, row.description);
    s->bind(5, row.session_duration).bind(6, row.relay_state).bind(7, row.created_ms);
    s->bind(8, row.version);
    try {
        s->run();
    } catch (sqlite_error const& e) {
        if (e.code() == SQLITE_CONSTRAINT_UNIQUE)
            return false;
        throw;
    }
    return true;
}

std::optional<permission_set_row> resources::find_permission_set(std::string_view instance_id,
                                                                 std::string_view id) {
    statement_use s(
        db_.cached("SELECT seq, id, instance_id, name, description, session_duration, relay_state, "
                   "created_ms, version FROM permission_sets WHERE id = ? AND instance_id = ?"));
    s->bind(1, id).bind(2, instance_id);
    if (!s->step())
        return std::nullopt;
    return read_permission_set(*s);
}

page<permission_set_row> resources::list_permission_sets(std::string_view instance_id,
                                                         std::int64_t after, std::int64_t limit) {
    statement_use s(
        db_.cached("SELECT seq, id, instance_id, name, description, session_duration, relay_state, "
                   "created_ms, version FROM permission_sets WHERE instance_id = ? AND seq > ? "
                   "ORDER BY seq LIMIT ?"));
    s->bind(1, instance_id).bind(2, after).bind(3, limit + 1);
    return read_page<permission_set_row>(*s, limit, read_permission_set);
}

bool resources::update_permission_set(permission_set_row const& row) {
    statement_use s(db_.cached(
        "UPDATE permission_sets SET description = ?, session_duration = ?, relay_state = ?, "
        "version = version + 1 WHERE id = ? AND instance_id = ?"));
    s->bind(1, row.description).bind(2, row.session_duration).bind(3, row.relay_state);
    s->bind(4, row.id).bind(5, row.instance_id);
    return s->run() > 0;
}

bool resources::erase_permission_set(std::string_view instance_id, std::string_view id) {
    statement_use s(db_.cached("DELETE FROM permission_sets WHERE id = ? AND instance_id = ?"));
    s->bind(1, id).bind(2, instance_id);
    if (s->run() == 0)
        return false;
    for (char const* sql : {"DELETE FROM managed_policies WHERE permission_set_id = ?",
                            "DELETE FROM customer_policies WHERE permission_set_id = ?",
                            "DELETE FROM tags WHERE permission_set_id = ?"}) {
        statement_use erase(db_.cached(sql));
        erase->bind(1, id);
        erase->run();
    }
    return true;
}

void resources::bump_version(std::string_view permission_set_id) {
    statement_use s(db_.cached("UPDATE permission_sets SET version = version + 1 WHERE id = ?"));
    s->bind(1, permission_set_id);
    s->run();
}

std::optional<std::string> resources::inline_policy(std::string_view permission_set_id) {
    statement_use s(db_.cached("SELECT inline_policy FROM permission_sets WHERE id = ?"));
    s->bind(1, permission_set_id);
    if (!s->step())
        return std::nullopt;
    return s->column_optional(0);
}

void resources::set_inline_policy(std::string_view permission_set_id,
                                  std::optional<std::string> const& document) {
    statement_use s(db_.cached("UPDATE permission_sets SET inline_policy = ? WHERE id = ?"));
    s->bind(1, document).bind(2, permission_set_id);
    s->run();
}

std::optional<permissions_boundary> resources::boundary(std::string_view permission_set_id) {
    statement_use s(
        db_.cached("SELECT boundary_managed_arn, boundary_customer_name, boundary_customer_path "
                   "FROM permission_sets WHERE id = ?"));
    s->bind(1, permission_set_id);
    if (!s->step())
        return std::nullopt;
    permissions_boundary out;
    out.managed_arn = s->column_optional(0);
    if (auto name = s->column_optional(1))
        out.customer_managed =
            customer_policy_ref{std::move(*name), s->column_optional(2).value_or("/")};
    if (!out.managed_arn && !out.customer_managed)
        return std::nullopt;
    return out;
}

void resources::set_boundary(std::string_view permission_set_id,
                             std::optional<permissions_boundary> const& boundary) {
    std::optional<std::string> arn;
    std::optional<std::string> name;
    std::optional<std::string> path;
    if (boundary) {
        arn = boundary->managed_arn;
        if (boundary->customer_managed) {
            name = boundary->customer_managed->name;
            path = boundary->customer_managed->path;
        }
    }
    statement_use s(db_.cached(
        "UPDATE permission_sets SET boundary_managed_arn = ?, boundary_customer_name = ?, "
        "boundary_customer_path = ? WHERE id = ?"));
    s->bind(1, arn).bind(2, name).bind(3, path).bind(4, permission_set_id);
    s->run();
}

bool resources::insert_managed_policy(std::string_view instance_id,
                                      std::string_view permission_set_id, std::string_view arn,
                                      std::string_view name) {
    statement_use s(db_.cached(
        "INSERT OR IGNORE INTO managed_policies(instance_id, permission_set_id, arn, name) "
        "VALUES (?, ?, ?, ?)"));
    s->bind(1, instance_id).bind(2, permission_set_id).bind(3, arn).bind(4, name);
    return s->run() > 0;
}

std::optional<std::string> resources::known_managed_policy_name(std::string_view arn) {
    statement_use s(
        db_.cached("SELECT name FROM managed_policies INDEXED BY managed_policies_by_arn WHERE "
                   "arn = ? AND name IS NOT NULL LIMIT 1"));
    s->bind(1, arn);
    if (!s->step())
        return std::nullopt;
    return s->column_string(0);
}

bool resources::erase_managed_policy(std::string_view permission_set_id, std::string_view arn) {
    statement_use s(
        db_.cached("DELETE FROM managed_policies WHERE permission_set_id = ? AND arn = ?"));
    s->bind(1, permission_set_id).bind(2, arn);
    return s->run() > 0;
}

page<named_policy> resources::list_managed_policies(std::string_view permission_set_id,
                                                    std::int64_t after, std::int64_t limit) {
    statement_use s(
        db_.cached("SELECT seq, arn, name FROM managed_policies WHERE permission_set_id = ? AND "
                   "seq > ? ORDER BY seq LIMIT ?"));
    s->bind(1, permission_set_id).bind(2, after).bind(3, limit + 1);
    return read_page<named_policy>(*s, limit, [](statement const& row) {
        return named_policy{row.column_string(1), row.column_optional(2)};
    });
}

bool resources::insert_customer_policy(std::string_view instance_id,
                                       std::string_view permission_set_id,
                                       customer_policy_ref const& ref) {
    statement_use s(db_.cached(
        "INSERT OR IGNORE INTO customer_policies(instance_id, permission_set_id, name, path) "
        "VALUES (?, ?, ?, ?)"));
    s->bind(1, instance_id).bind(2, permission_set_id).bind(3, ref.name).bind(4, ref.path);
    return s->run() > 0;
}

bool resources::erase_customer_policy(std::string_view permission_set_id,
                                      customer_policy_ref const& ref) {
    statement_use s(db_.cached(
        "DELETE FROM customer_policies WHERE permission_set_id = ? AND name = ? AND path = ?"));
    s->bind(1, permission_set_id).bind(2, ref.name).bind(3, ref.path);
    return s->run() > 0;
}

page<customer_policy_ref> resources::list_customer_policies(std::string_view permission_set_id,
                                                            std::int64_t after,
                                                            std::int64_t limit) {
    statement_use s(db_.cached(
        "SELECT seq, name, path FROM customer_policies WHERE permission_set_id = ? AND seq > ? "
        "ORDER BY seq LIMIT ?"));
    s->bind(1, permission_set_id).bind(2, after).bind(3, limit + 1);
    return read_page<customer_policy_ref>(*s, limit, [](statement const& row) {
        return customer_policy_ref{row.column_string(1), row.column_string(2)};
    });
}

std::int64_t resources::count_policies(std::string_view permission_set_id) {
    statement_use s(
        db_.cached("SELECT (SELECT count(*) FROM managed_policies WHERE permission_set_id = ?1) + "
                   "(SELECT count(*) FROM customer_policies WHERE permission_set_id = ?1)"));
    s->bind(1, permission_set_id);
    return s->step() ? s->column_int64(0) : 0;
}

void resources::put_tag(std::string_view instance_id, std::string_view permission_set_id,
                        tag const& item) {
    statement_use s(db_.cached(
        "INSERT INTO tags(instance_id, permission_set_id, key, value) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(instance_id, permission_set_id, key) DO UPDATE SET value = excluded.value"));
    s->bind(1, instance_id).bind(2, permission_set_id).bind(3, item.key).bind(4, item.value);
    s->run();
}

void resources::erase_tag(std::string_view instance_id, std::string_view permission_set_id,
                          std::string_view key) {
    statement_use s(
        db_.cached("DELETE FROM tags WHERE instance_id = ? AND permission_set_id = ? AND key = ?"));
    s->bind(1, instance_id).bind(2, permission_set_id).bind(3, key);
    s->run();
}

bool resources::has_tag(std::string_view instance_id, std::string_view permission_set_id,
                        std::string_view key) {
    statement_use s(db_.cached(
        "SELECT 1 FROM tags WHERE instance_id = ? AND permission_set_id = ? AND key = ?"));
    s->bind(1, instance_id).bind(2, permission_set_id).bind(3, key);
    return s->step();
}

std::int64_t resources::count_tags(std::string_view instance_id,
                                   std::string_view permission_set_id) {
    statement_use s(
        db_.cached("SELECT count(*) FROM tags WHERE instance_id = ? AND permission_set_id = ?"));
    s->bind(1, instance_id).bind(2, permission_set_id);
    return s->step() ? s->column_int64(0) : 0;
}

page<tag> resources::list_tags(std::string_view instance_id, std::string_view permission_set_id,
                               std::int64_t after, std::int64_t limit) {
    statement_use s(db_.cached(
        "SELECT seq, key, value FROM tags WHERE instance_id = ? AND permission_set_id = ? AND "
        "seq > ? ORDER BY seq LIMIT ?"));
    s->bind(1, instance_id).bind(2, permission_set_id).bind(3, after).bind(4, limit + 1);
    return read_page<tag>(*s, limit, [](statement const& row) {
        return tag{row.column_string(1), row.column_string(2)};
    });
}

std::optional<std::string> resources::instance_client_token(std::string_view id) {
    statement_use s(db_.cached("SELECT client_token FROM instances WHERE id = ?"));
    s->bind(1, id);
    if (!s->step())
        return std::nullopt;
    return s->column_optional(0);
}

void resources::set_instance_client_token(std::string_view id, std::string_view token) {
    statement_use s(db_.cached("UPDATE instances SET client_token = ? WHERE id = ?"));
    s->bind(1, token).bind(2, id);
    s->run();
}

void resources::set_pending_encryption(std::string_view id, encryption_config const& config) {
    statement_use s(
        db_.cached("UPDATE instances SET encryption_pending_key_type = ?, "
                   "encryption_pending_kms_key_arn = ? WHERE id = ?"));
    s->bind(1, config.key_type).bind(2, config.kms_key_arn).bind(3, id);
    s->run();
}

std::optional<encryption_config> resources::pending_encryption(std::string_view id) {
    statement_use s(
        db_.cached("SELECT encryption_pending_key_type, encryption_pending_kms_key_arn "
                   "FROM instances WHERE id = ? AND encryption_pending_key_type IS NOT "
                   "NULL"));
    s->bind(1, id);
    if (!s->step())
        return std::nullopt;
    return encryption_config{s->column_string(0), s->column_optional(1)};
}

void resources::apply_pending_encryption(std::string_view id) {
    statement_use s(
        db_.cached("UPDATE instances SET encryption_key_type = encryption_pending_key_type, "
                   "encryption_kms_key_arn = encryption_pending_kms_key_arn WHERE id = ? AND "
                   "encryption_pending_key_type IS NOT NULL"));
    s->bind(1, id);
    s->run();
}

void resources::set_instance_name(std::string_view id, std::optional<std::string> const& name) {
    statement_use s(db_.cached("UPDATE instances SET name = ? WHERE id = ?"));
    s->bind(1, name).bind(2, id);
    s->run();
}

bool resources::has_assignments(std::string_view permission_set_id) {
    statement_use s(db_.cached("SELECT 1 FROM assignments WHERE permission_set_id = ? LIMIT 1"));
    s->bind(1, permission_set_id);
    return s->step();
}

bool resources::insert_assignment(assignment_row const& row) {
    statement_use s(
        db_.cached("INSERT OR IGNORE INTO assignments(instance_id, permission_set_id, account_id, "
                   "principal_type, principal_id) VALUES (?, ?, ?, ?, ?)"));
    s->bind(1, row.instance_id).bind(2, row.permission_set_id).bind(3, row.account_id);
    s->bind(4, row.principal_type).bind(5, row.principal_id);
    return s->run() > 0;
}

bool resources::erase_assignment(assignment_row const& row) {
    statement_use s(
        db_.cached("DELETE FROM assignments WHERE permission_set_id = ? AND account_id = ? AND "
                   "principal_type = ? AND principal_id = ?"));
    s->bind(1, row.permission_set_id).bind(2, row.account_id).bind(3, row.principal_type);
    s->bind(4, row.principal_id);
    return s->run() > 0;
}

bool resources::assignment_exists(assignment_row const& row) {
    statement_use s(
        db_.cached("SELECT 1 FROM assignments WHERE permission_set_id = ? AND account_id = ? AND "
                   "principal_type = ? AND principal_id = ?"));
    s->bind(1, row.permission_set_id).bind(2, row.account_id).bind(3, row.principal_type);
    s->bind(4, row.principal_id);
    return s->step();
}

std::int64_t resources::count_assignments(std::string_view permission_set_id,
                                          std::string_view account_id) {
    statement_use s(db_.cached(
        "SELECT count(*) FROM assignments WHERE permission_set_id = ? AND account_id = ?"));
    s->bind(1, permission_set_id).bind(2, account_id);
    return s->step() ? s->column_int64(0) : 0;
}

page<assignment_row> resources::list_assignments(std::string_view instance_id,
                                                 std::string_view account_id,
                                                 std::string_view permission_set_id,
                                                 std::int64_t after, std::int64_t limit) {
    statement_use s(db_.cached(
        "SELECT seq, instance_id, permission_set_id, account_id, principal_type, principal_id "
        "FROM assignments WHERE permission_set_id = ? AND account_id = ? AND instance_id = ? "
        "AND seq > ? ORDER BY seq LIMIT ?"));
    s->bind(1, permission_set_id).bind(2, account_id).bind(3, instance_id).bind(4, after);
    s->bind(5, limit + 1);
    return read_page<assignment_row>(*s, limit, read_assignment);
}

page<assignment_row> resources::list_assignments_for_principal(
    std::string_view instance_id, std::string_view principal_type, std::string_view principal_id,
    std::optional<std::string> const& account, std::int64_t after, std::int64_t limit) {
    statement_use s(db_.cached(
        "SELECT seq, instance_id, permission_set_id, account_id, principal_type, principal_id "
        "FROM assignments WHERE instance_id = ?1 AND principal_id = ?2 AND principal_type = ?3 "
        "AND (?4 IS NULL OR account_id = ?4) AND seq > ?5 ORDER BY seq LIMIT ?6"));
    s->bind(1, instance_id).bind(2, principal_id).bind(3, principal_type).bind(4, account);
    s->bind(5, after).bind(6, limit + 1);
    return read_page<assignment_row>(*s, limit, read_assignment);
}

void resources::set_provisioned(std::string_view instance_id, std::string_view permission_set_id,
                                std::string_view account_id, std::int64_t version) {
    statement_use s(
        db_.cached("INSERT INTO provisioned(instance_id, permission_set_id, account_id, version) "
                   "VALUES (?, ?, ?, ?) ON CONFLICT(permission_set_id, account_id) "
                   "DO UPDATE SET version = excluded.version"));
    s->bind(1, instance_id).bind(2, permission_set_id).bind(3, account_id).bind(4, version);
    s->run();
}

void resources::provision_if_absent(std::string_view instance_id,
                                    std::string_view permission_set_id, std::string_view account_id,
                                    std::int64_t version) {
    statement_use s(db_.cached(
        "INSERT OR IGNORE INTO provisioned(instance_id, permission_set_id, account_id, version) "
        "VALUES (?, ?, ?, ?)"));
    s->bind(1, instance_id).bind(2, permission_set_id).bind(3, account_id).bind(4, version);
    s->run();
}

void resources::set_provisioned_everywhere(std::string_view permission_set_id,
                                           std::int64_t version) {
    statement_use s(db_.cached("UPDATE provisioned SET version = ? WHERE permission_set_id = ?"));
    s->bind(1, version).bind(2, permission_set_id);
    s->run();
}

void resources::erase_provisioned(std::string_view permission_set_id, std::string_view account_id) {
    statement_use s(
        db_.cached("DELETE FROM provisioned WHERE permission_set_id = ? AND account_id = ?"));
    s->bind(1, permission_set_id).bind(2, account_id);
    s->run();
}

bool resources::is_provisioned_anywhere(std::string_view permission_set_id) {
    statement_use s(db_.cached("SELECT 1 FROM provisioned WHERE permission_set_id = ? LIMIT 1"));
    s->bind(1, permission_set_id);
    return s->step();
}

page<std::string> resources::list_provisioned_accounts(std::string_view permission_set_id,
                                                       std::optional<bool> latest,
                                                       std::int64_t after, std::int64_t limit) {
    // ?2: -1 any, 1 only at the current version, 0 only behind it.
    statement_use s(db_.cached(
        "SELECT p.seq, p.account_id FROM provisioned p JOIN permission_sets ps "
        "ON ps.id = p.permission_set_id WHERE p.permission_set_id = ?1 AND p.seq > ?3 AND "
        "(?2 < 0 OR (p.version = ps.version) = ?2) ORDER BY p.seq LIMIT ?4"));
    s->bind(1, permission_set_id).bind(2, latest ? std::int64_t{*latest} : -1).bind(3, after);
    s->bind(4, limit + 1);
    return read_page<std::string>(*s, limit,
                                  [](statement const& row) { return row.column_string(1); });
}

page<std::string> resources::list_provisioned_permission_sets(std::string_view instance_id,
                                                              std::string_view account_id,
                                                              std::optional<bool> latest,
                                                              std::int64_t after,
                                                              std::int64_t limit) {
    statement_use s(db_.cached(
        "SELECT p.seq, p.permission_set_id FROM provisioned p JOIN permission_sets ps "
        "ON ps.id = p.permission_set_id WHERE p.instance_id = ?1 AND p.account_id = ?2 AND "
        "p.seq > ?4 AND (?3 < 0 OR (p.version = ps.version) = ?3) ORDER BY p.seq LIMIT ?5"));
    s->bind(1, instance_id).bind(2, account_id).bind(3, latest ? std::int64_t{*latest} : -1);
    s->bind(4, after).bind(5, limit + 1);
    return read_page<std::string>(*s, limit,
                                  [](statement const& row) { return row.column_string(1); });
}

void resources::erase_instance_resources(std::string_view instance_id, bool and_instance) {
    for (char const* sql : {"DELETE FROM provisioned WHERE instance_id = ?",
                            "DELETE FROM assignments WHERE instance_id = ?",
                            "DELETE FROM managed_policies WHERE instance_id = ?",
                            "DELETE FROM customer_policies WHERE instance_id = ?",
                            "DELETE FROM tags WHERE instance_id = ?",
                            "DELETE FROM permission_sets WHERE instance_id = ?",
                            // Its identity store (store/identity.hpp); memberships follow.
                            "DELETE FROM identity_users WHERE identity_store_id = "
                            "(SELECT identity_store_id FROM instances WHERE id = ?)",
                            "DELETE FROM identity_groups WHERE identity_store_id = "
                            "(SELECT identity_store_id FROM instances WHERE id = ?)"}) {
        statement_use s(db_.cached(sql));
        s->bind(1, instance_id);
        s->run();
    }
    { // the application family (store/app_items.hpp)
        statement_use s(db_.cached("DELETE FROM app_items WHERE instance_id = ?"));
        s->bind(1, instance_id);
        s->run();
    }
    if (!and_instance) { // the instance stays, as it was created: with an AWS owned key
        statement_use s(db_.cached(
            "UPDATE instances SET encryption_key_type = NULL, encryption_kms_key_arn = NULL, "
            "encryption_pending_key_type = NULL, encryption_pending_kms_key_arn = NULL WHERE "
            "id = ?"));
        s->bind(1, instance_id);
        s->run();
        return;
    }
    statement_use s(db_.cached("DELETE FROM instances WHERE id = ?"));
    s->bind(1, instance_id);
    s->run();
}

void resources::erase_all() {
    db_.exec(
        "DELETE FROM provisioned; DELETE FROM assignments; DELETE FROM managed_policies; "
        "DELETE FROM customer_policies; DELETE FROM tags; DELETE FROM permission_sets; "
        "DELETE FROM app_items; DELETE FROM instances;");
}

} // namespace icemu::store

namespace icemu::store {

std::optional<permission_set_row> resources::find_permission_set_anywhere(std::string_view id) {
    statement_use s(
        db_.cached("SELECT seq, id, instance_id, name, description, session_duration, relay_state, "
                   "created_ms, version FROM permission_sets WHERE id = ?"));
    s->bind(1, id);
    if (!s->step())
        return std::nullopt;
    return read_permission_set(*s);
}

std::optional<permission_set_row> resources::find_permission_set_by_name(
    std::string_view instance_id, std::string_view name) {
    statement_use s(
        db_.cached("SELECT seq, id, instance_id, name, description, session_duration, relay_state, "
                   "created_ms, version FROM permission_sets WHERE instance_id = ? AND name = ?"));
    s->bind(1, instance_id).bind(2, name);
    if (!s->step())
        return std::nullopt;
    return read_permission_set(*s);
}

std::int64_t resources::count_permission_sets(std::string_view instance_id) {
    statement_use s(db_.cached("SELECT count(*) FROM permission_sets WHERE instance_id = ?"));
    s->bind(1, instance_id);
    return s->step() ? s->column_int64(0) : 0;
}

page<assignment_row> resources::list_account_assignments(std::string_view instance_id,
                                                         std::string_view account_id,
                                                         std::int64_t after, std::int64_t limit) {
    statement_use s(db_.cached(
        "SELECT seq, instance_id, permission_set_id, account_id, principal_type, principal_id "
        "FROM assignments WHERE instance_id = ? AND account_id = ? AND seq > ? "
        "ORDER BY seq LIMIT ?"));
    s->bind(1, instance_id).bind(2, account_id).bind(3, after).bind(4, limit + 1);
    return read_page<assignment_row>(*s, limit, read_assignment);
}

} // namespace icemu::store
