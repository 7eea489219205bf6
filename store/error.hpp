#pragma once

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

} // namespace icemu::store
