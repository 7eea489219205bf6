#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace icemu::store {

/// One prepared statement. Move-only; finalized on destruction. Throws sqlite_error, whose
/// code() is the extended result code (e.g. SQLITE_CONSTRAINT_UNIQUE).
class statement {
public:
    statement(sqlite3* db, std::string_view sql);
    statement& bind(int index, std::int64_t value);
    statement& bind(int index, std::string_view text); // copied (SQLITE_TRANSIENT)
    statement& bind(int index, std::string const& text) {
        return bind(index, std::string_view(text));
    }
    statement& bind(int index, char const* text) { return bind(index, std::string_view(text)); }
    statement& bind(int index, std::optional<std::string> const& text); // null when empty
    statement& bind_blob(int index, std::span<unsigned char const> bytes);
    statement& bind_null(int index);
    [[nodiscard]] bool step(); // true: a row is ready; false: done
    int run();                 // steps to completion; returns sqlite3_changes()
    void reset() noexcept;     // reset + clear bindings, for reuse
    bool is_null(int index) const noexcept;
    std::int64_t column_int64(int index) const noexcept;
    std::string_view column_text(int index) const noexcept; // valid until next step()/reset()
    std::string column_string(int index) const { return std::string(column_text(index)); }
    std::optional<std::string> column_optional(int index) const;
    std::optional<std::int64_t> column_optional_int64(int index) const noexcept;
    std::span<unsigned char const> column_blob(int index) const noexcept;

private:
    struct finalize {
        void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
    };
    sqlite3* db_;
    std::unique_ptr<sqlite3_stmt, finalize> stmt_;
};

/// Resets a cached statement when the scope ends, so the next user finds it clean.
class statement_use {
public:
    explicit statement_use(statement& s) noexcept : s_(s) {}
    ~statement_use() { s_.reset(); }
    statement_use(statement_use const&) = delete;
    statement_use& operator=(statement_use const&) = delete;
    statement* operator->() const noexcept { return &s_; }
    statement& operator*() const noexcept { return s_; }

private:
    statement& s_;
};

} // namespace icemu::store
