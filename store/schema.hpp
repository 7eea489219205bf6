#pragma once

namespace icemu::store {

class database;

/// Brings the schema to the newest version, one migration per `user_version` step, each in its
/// own transaction. Throws sqlite_error.
void migrate(database& db);

/// The newest schema version migrate() produces.
int schema_version() noexcept;

/// The schema version `db` holds (PRAGMA user_version). Throws sqlite_error.
int stored_schema_version(database& db);

} // namespace icemu::store
