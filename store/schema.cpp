#include "store/schema.hpp"

#include "store/database.hpp"

#include <array>
#include <string>

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
};

int user_version(database& db) {
    statement s(db.handle(), "PRAGMA user_version");
    return s.step() ? static_cast<int>(s.column_int64(0)) : 0;
}

} // namespace

int schema_version() noexcept { return static_cast<int>(migrations.size()); }

void migrate(database& db) {
    for (int version = user_version(db); version < schema_version(); ++version) {
        db.exec("BEGIN IMMEDIATE");
        try {
            db.exec(migrations[static_cast<std::size_t>(version)]);
            db.exec("PRAGMA user_version=" + std::to_string(version + 1));
            db.exec("COMMIT");
        } catch (...) {
            db.exec("ROLLBACK");
            throw;
        }
    }
}

} // namespace icemu::store
