#pragma once

#include <sqlite3.h>

#include <stdexcept>
#include <string>

namespace icemu::store {

/// A failed SQLite call; code() is the extended result code (e.g. SQLITE_CONSTRAINT_UNIQUE).
class sqlite_error : public std::runtime_error {
public:
    sqlite_error(int code, std::string const& message) : std::runtime_error(message), code_(code) {}
    int code() const noexcept { return code_; }

private:
    int code_;
};

/// The store cannot serve as configured (e.g. opened read-only while its schema needs a
/// migration): start-up stops with exit status 2 and this message.
class unusable_store : public sqlite_error {
public:
    using sqlite_error::sqlite_error;
};

/// What a storage failure means to a client, whatever statement met it.
enum class failure {
    full,      // SQLITE_FULL: the store reached its size limit (max_size_bytes) or the disk is full
    read_only, // SQLITE_READONLY: the store was opened read-only
    other,     // anything else: an internal error
};

/// The failure an extended result code stands for.
constexpr failure classify(int code) noexcept {
    switch (code & 0xff) {
    case SQLITE_FULL: return failure::full;
    case SQLITE_READONLY: return failure::read_only;
    default: return failure::other;
    }
}

} // namespace icemu::store
