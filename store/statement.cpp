#include "store/statement.hpp"

#include "store/error.hpp"

namespace icemu::store {

namespace {

[[noreturn]] void fail(sqlite3* db, int rc) {
    throw sqlite_error(db != nullptr ? sqlite3_extended_errcode(db) : rc,
                       db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

} // namespace

statement::statement(sqlite3* db, std::string_view sql) : db_(db) {
    sqlite3_stmt* raw = nullptr;
    int const rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    stmt_.reset(raw);
    if (rc != SQLITE_OK)
        fail(db, rc);
}

statement& statement::bind(int index, std::int64_t value) {
    if (int rc = sqlite3_bind_int64(stmt_.get(), index, value); rc != SQLITE_OK)
        fail(db_, rc);
    return *this;
}

statement& statement::bind(int index, std::string_view text) {
    // An empty view may have a null data(), which SQLite would bind as NULL instead of ''.
    char const* data = text.data() != nullptr ? text.data() : "";
    if (int rc = sqlite3_bind_text64(stmt_.get(), index, data, text.size(), SQLITE_TRANSIENT,
                                     SQLITE_UTF8);
        rc != SQLITE_OK)
        fail(db_, rc);
    return *this;
}

statement& statement::bind(int index, std::optional<std::string> const& text) {
    if (!text)
        return bind_null(index);
    return bind(index, std::string_view(*text));
}

statement& statement::bind_blob(int index, std::span<unsigned char const> bytes) {
    if (int rc =
            sqlite3_bind_blob64(stmt_.get(), index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
        rc != SQLITE_OK)
        fail(db_, rc);
    return *this;
}

statement& statement::bind_null(int index) {
    if (int rc = sqlite3_bind_null(stmt_.get(), index); rc != SQLITE_OK)
        fail(db_, rc);
    return *this;
}

bool statement::step() {
    int const rc = sqlite3_step(stmt_.get());
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    fail(db_, rc);
}

int statement::run() {
    while (step()) {
    }
    return sqlite3_changes(db_);
}

void statement::reset() noexcept {
    sqlite3_reset(stmt_.get());
    sqlite3_clear_bindings(stmt_.get());
}

bool statement::is_null(int index) const noexcept {
    return sqlite3_column_type(stmt_.get(), index) == SQLITE_NULL;
}

std::int64_t statement::column_int64(int index) const noexcept {
    return sqlite3_column_int64(stmt_.get(), index);
}

std::string_view statement::column_text(int index) const noexcept {
    auto const* text = sqlite3_column_text(stmt_.get(), index);
    if (text == nullptr)
        return {};
    auto const size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), index));
    return {reinterpret_cast<char const*>(text), size};
}

std::optional<std::string> statement::column_optional(int index) const {
    if (is_null(index))
        return std::nullopt;
    return std::string(column_text(index));
}

std::optional<std::int64_t> statement::column_optional_int64(int index) const noexcept {
    if (is_null(index))
        return std::nullopt;
    return column_int64(index);
}

std::span<unsigned char const> statement::column_blob(int index) const noexcept {
    auto const* data = static_cast<unsigned char const*>(sqlite3_column_blob(stmt_.get(), index));
    auto const size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), index));
    return {data, data == nullptr ? 0 : size};
}

} // namespace icemu::store
