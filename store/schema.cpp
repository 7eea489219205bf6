#include "store/schema.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "store/database.hpp"
#include "store/request_keys.hpp"

namespace icemu::store {

namespace {

// Append only: a released migration never changes, so every existing file can be brought forward.
constexpr std::array migrations = {
    R"sql(
CREATE TABLE meta(
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO meta(key, value) VALUES ('request_seq', 0), ('clock_offset_ms', 0);

CREATE TABLE instances(
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    owner_account TEXT NOT NULL UNIQUE,
    identity_store_id TEXT NOT NULL,
    name TEXT,
    status TEXT NOT NULL,
    created_ms INTEGER NOT NULL
);

CREATE TABLE permission_sets(
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    instance_id TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    session_duration TEXT,
    relay_state TEXT,
    created_ms INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE(instance_id, name)
);
CREATE INDEX permission_sets_by_instance ON permission_sets(instance_id, seq);

CREATE TABLE assignments(
    seq INTEGER PRIMARY KEY,
    instance_id TEXT NOT NULL,
    permission_set_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    principal_type TEXT NOT NULL,
    principal_id TEXT NOT NULL,
    UNIQUE(permission_set_id, account_id, principal_type, principal_id)
);
CREATE INDEX assignments_by_principal ON assignments(instance_id, principal_id, principal_type);

CREATE TABLE provisioned(
    seq INTEGER PRIMARY KEY,
    instance_id TEXT NOT NULL,
    permission_set_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    UNIQUE(permission_set_id, account_id)
);
CREATE INDEX provisioned_by_account ON provisioned(instance_id, account_id);

-- A 16-byte id as the key of a WITHOUT ROWID table: a Describe is one b-tree descent whatever the
-- table's size. seq orders lists (newest first) and keys their pages.
CREATE TABLE requests(
    id BLOB PRIMARY KEY,
    seq INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    status INTEGER NOT NULL,
    instance_id TEXT NOT NULL,
    permission_set_id TEXT NOT NULL,
    account_id TEXT,
    principal_type TEXT,
    principal_id TEXT,
    failure_reason TEXT,
    created_ms INTEGER NOT NULL,
    due_ms INTEGER,
    settle_by INTEGER NOT NULL,
    polls_left INTEGER NOT NULL DEFAULT 0,
    planned_status INTEGER NOT NULL,
    planned_reason TEXT,
    surface TEXT NOT NULL
) WITHOUT ROWID;
CREATE UNIQUE INDEX requests_by_kind ON requests(instance_id, kind, seq);
CREATE INDEX requests_by_kind_status ON requests(instance_id, kind, status, seq);
CREATE INDEX requests_due ON requests(due_ms) WHERE status = 0 AND due_ms IS NOT NULL;
CREATE INDEX requests_in_flight ON requests(permission_set_id, account_id) WHERE status = 0;
)sql",
    // Policies, permissions boundaries and tags. The inline policy and the boundary are one per
    // permission set, so they are columns of it and vanish with it.
    R"sql(
ALTER TABLE permission_sets ADD COLUMN inline_policy TEXT;
ALTER TABLE permission_sets ADD COLUMN boundary_managed_arn TEXT;
ALTER TABLE permission_sets ADD COLUMN boundary_customer_name TEXT;
ALTER TABLE permission_sets ADD COLUMN boundary_customer_path TEXT;

CREATE TABLE managed_policies(
    seq INTEGER PRIMARY KEY,
    instance_id TEXT NOT NULL,
    permission_set_id TEXT NOT NULL,
    arn TEXT NOT NULL,
    UNIQUE(permission_set_id, arn)
);
CREATE INDEX managed_policies_by_set ON managed_policies(permission_set_id, seq);

CREATE TABLE customer_policies(
    seq INTEGER PRIMARY KEY,
    instance_id TEXT NOT NULL,
    permission_set_id TEXT NOT NULL,
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    UNIQUE(permission_set_id, name, path)
);
CREATE INDEX customer_policies_by_set ON customer_policies(permission_set_id, seq);

-- permission_set_id is '' for the tags of the instance itself.
CREATE TABLE tags(
    seq INTEGER PRIMARY KEY,
    instance_id TEXT NOT NULL,
    permission_set_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    UNIQUE(instance_id, permission_set_id, key)
);
CREATE INDEX tags_by_resource ON tags(instance_id, permission_set_id, seq);
)sql",
    // Huawei's permission-set content: a managed policy carries a display name; managed roles
    // (legacy IAM system roles) and the custom role (one per permission set) exist only there.
    // A trigger keeps managed roles from outliving their permission set, whoever deletes it.
    R"sql(
ALTER TABLE managed_policies ADD COLUMN name TEXT;
ALTER TABLE permission_sets ADD COLUMN custom_role TEXT;

CREATE TABLE managed_roles(
    seq INTEGER PRIMARY KEY,
    instance_id TEXT NOT NULL,
    permission_set_id TEXT NOT NULL,
    role_id TEXT NOT NULL,
    role_name TEXT,
    UNIQUE(permission_set_id, role_id)
);
CREATE INDEX managed_roles_by_set ON managed_roles(permission_set_id, seq);
-- ListAccountAssignments without a permission set (Huawei): one account's page by keyset.
CREATE INDEX assignments_by_account ON assignments(instance_id, account_id, seq);
CREATE TRIGGER managed_roles_follow_permission_set AFTER DELETE ON permission_sets BEGIN
    DELETE FROM managed_roles WHERE permission_set_id = old.id;
END;
)sql",
    R"sql(
-- CreateInstance's ClientToken: a retry with the same token answers the same instance.
ALTER TABLE instances ADD COLUMN client_token TEXT;
)sql",
    R"sql(
-- List…Status pages read the index alone: each entry carries what a page shows (the id is in
-- every index of a WITHOUT ROWID table), so no page looks a row up in the table.
DROP INDEX requests_by_kind;
CREATE INDEX requests_by_kind ON requests(instance_id, kind, seq, status, created_ms);
DROP INDEX requests_by_kind_status;
CREATE INDEX requests_by_kind_status ON requests(instance_id, kind, status, seq, created_ms);
)sql",
    R"sql(
-- Requests are keyed by a time-ordered key whose permutation is the id (request_keys.hpp); the
-- rows stored before keep their ids: each is re-keyed under the key that gives that id back.
UPDATE requests SET id = icemu_request_key(id);
)sql",
    R"sql(
-- Managed policies and roles by id: the name an attachment recorded names the same id where
-- another attachment gives none (Huawei lists always name what is attached).
CREATE INDEX IF NOT EXISTS managed_policies_by_arn ON managed_policies(arn);
CREATE INDEX IF NOT EXISTS managed_roles_by_id ON managed_roles(role_id);
)sql",
    R"sql(
-- Instance encryption (UpdateInstance's EncryptionConfiguration): the configuration in force
-- (NULL: an AWS owned key) and the one an INSTANCE_ENCRYPTION request puts in force if it
-- succeeds; the request itself is a row of requests with permission_set_id ''.
ALTER TABLE instances ADD COLUMN encryption_key_type TEXT;
ALTER TABLE instances ADD COLUMN encryption_kms_key_arn TEXT;
ALTER TABLE instances ADD COLUMN encryption_pending_key_type TEXT;
ALTER TABLE instances ADD COLUMN encryption_pending_kms_key_arn TEXT;
)sql",
    R"sql(
-- The identity store of each instance (instances.identity_store_id): users, groups and group
-- memberships. `attributes` holds a principal's attributes as a JSON object in the AWS shape (the
-- members of CreateUser/CreateGroup but IdentityStoreId); the columns beside it are what is looked
-- up or kept unique. Deleting an instance (and a reset) takes its store with it; deleting a user or
-- a group takes its memberships.
CREATE TABLE identity_users(
    seq INTEGER PRIMARY KEY,
    identity_store_id TEXT NOT NULL,
    id TEXT NOT NULL UNIQUE,
    user_name TEXT,
    attributes TEXT NOT NULL,
    status TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    updated_ms INTEGER NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX identity_users_by_name ON identity_users(identity_store_id, user_name);
CREATE INDEX identity_users_by_store ON identity_users(identity_store_id, seq);

CREATE TABLE identity_groups(
    seq INTEGER PRIMARY KEY,
    identity_store_id TEXT NOT NULL,
    id TEXT NOT NULL UNIQUE,
    display_name TEXT,
    attributes TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    updated_ms INTEGER NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX identity_groups_by_name ON identity_groups(identity_store_id, display_name);
CREATE INDEX identity_groups_by_store ON identity_groups(identity_store_id, seq);

CREATE TABLE identity_memberships(
    seq INTEGER PRIMARY KEY,
    identity_store_id TEXT NOT NULL,
    id TEXT NOT NULL UNIQUE,
    group_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE(group_id, user_id)
);
CREATE INDEX identity_memberships_by_user ON identity_memberships(user_id, seq);

CREATE TRIGGER identity_store_follows_instance AFTER DELETE ON instances BEGIN
    DELETE FROM identity_memberships WHERE identity_store_id = OLD.identity_store_id;
    DELETE FROM identity_users WHERE identity_store_id = OLD.identity_store_id;
    DELETE FROM identity_groups WHERE identity_store_id = OLD.identity_store_id;
END;
CREATE TRIGGER identity_memberships_follow_user AFTER DELETE ON identity_users BEGIN
    DELETE FROM identity_memberships WHERE user_id = OLD.id;
END;
CREATE TRIGGER identity_memberships_follow_group AFTER DELETE ON identity_groups BEGIN
    DELETE FROM identity_memberships WHERE group_id = OLD.id;
END;
)sql",
    R"sql(
-- The application family (applications, trusted token issuers and their content: assignments,
-- configurations, access scopes, authentication methods, grants, tags) in one table: `owner` is
-- the application or issuer an item belongs to ('' for those themselves), a..d the kind's
-- attributes, body its document.
CREATE TABLE app_items(
    seq INTEGER PRIMARY KEY,
    instance_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    owner TEXT NOT NULL,
    key TEXT NOT NULL,
    a TEXT,
    b TEXT,
    c TEXT,
    d TEXT,
    body TEXT NOT NULL,
    client_token TEXT,
    created_ms INTEGER NOT NULL,
    UNIQUE(instance_id, kind, owner, key)
);
CREATE INDEX app_items_by_owner ON app_items(instance_id, owner, kind, seq);
CREATE INDEX app_items_by_attributes ON app_items(instance_id, kind, a, b, seq);
)sql",
    R"sql(
-- Due requests in settling order (due time, then creation): the scheduler reads their keys from
-- this index alone, with no sort and no visit of the table per row.
DROP INDEX requests_due;
CREATE INDEX requests_due ON requests(due_ms, seq) WHERE status = 0 AND due_ms IS NOT NULL;
)sql",
    R"sql(
-- Lists filtered by status: IN_PROGRESS and FAILED each from a partial index that holds only
-- them, SUCCEEDED from requests_by_kind. Settling a request as SUCCEEDED (most of them) then
-- deletes its IN_PROGRESS entry and rewrites its requests_by_kind entry in place: an index of
-- every request keyed by status moved each settled request's entry to another page (one more
-- write to the WAL and one more checkpoint copy a settlement).
DROP INDEX IF EXISTS requests_by_kind_status;
CREATE INDEX IF NOT EXISTS requests_in_progress_by_kind ON requests(instance_id, kind, seq,
    created_ms) WHERE status = 0;
CREATE INDEX IF NOT EXISTS requests_failed_by_kind ON requests(instance_id, kind, seq, created_ms)
    WHERE status = 2;
)sql",
    R"sql(
-- The scheduler keeps the due times in memory, loaded through requests_in_progress_by_kind. An
-- index in due order took each new request's entry at a random place among the requests due in
-- the next seconds (delays are drawn at random): a page of its own written for every request.
DROP INDEX IF EXISTS requests_due;
)sql",
    R"sql(
-- A settlement is appended here first, in settling order, and written into its request's row
-- later, in the rows' order (store::requests): requests settled together were created up to
-- seconds apart (delays are drawn at random), and writing each row as it settles took a page of
-- the table and of each index of its own. The columns copy what reads of the request need
-- before its row is written.
CREATE TABLE settled_requests(
    n INTEGER PRIMARY KEY,
    id BLOB NOT NULL,
    seq INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    instance_id TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    status INTEGER NOT NULL,
    failure_reason TEXT
);
)sql",
};

// icemu_request_key(id): the key of a stored id (migration 6). A blob of another size is kept.
void request_key_function(sqlite3_context* context, int, sqlite3_value** args) {
    auto const* data = static_cast<unsigned char const*>(sqlite3_value_blob(args[0]));
    request_id id{};
    if (data == nullptr || sqlite3_value_bytes(args[0]) != static_cast<int>(id.size())) {
        sqlite3_result_value(context, args[0]);
        return;
    }
    std::copy(data, data + id.size(), id.begin());
    auto const key = key_of(id);
    sqlite3_result_blob(context, key.bytes.data(), static_cast<int>(key.bytes.size()),
                        SQLITE_TRANSIENT);
}

} // namespace

int stored_schema_version(database& db) {
    statement s(db.handle(), "PRAGMA user_version");
    return s.step() ? static_cast<int>(s.column_int64(0)) : 0;
}

int schema_version() noexcept {
    return static_cast<int>(migrations.size());
}

void migrate(database& db) {
    sqlite3_create_function_v2(db.handle(), "icemu_request_key", 1,
                               SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, &request_key_function,
                               nullptr, nullptr, nullptr);
    for (int version = stored_schema_version(db); version < schema_version(); ++version) {
        db.exec("BEGIN IMMEDIATE");
        try {
            db.exec(migrations[static_cast<std::size_t>(version)]);
            db.exec("PRAGMA user_version=" + std::to_string(version + 1));
            db.exec("COMMIT");
        } catch (...) {
            // SQLITE_FULL or IOERR may have rolled it back already; a second error would hide
            // the first.
            if (sqlite3_get_autocommit(db.handle()) == 0)
                sqlite3_exec(db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
            throw;
        }
    }
}

} // namespace icemu::store
