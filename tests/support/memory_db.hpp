#pragma once

#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>

#include "store/database.hpp"

namespace icemu::test {

/// A fresh `:memory:` database with migrations applied.
inline store::database_options memory_options() {
    return store::database_options{};
}

/// A directory under the system temp dir, removed with everything in it on destruction.
class temp_dir {
public:
    temp_dir() {
        static std::atomic<int> counter{0};
        path_ = std::filesystem::temp_directory_path() /
                ("icemu-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~temp_dir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    temp_dir(temp_dir const&) = delete;
    temp_dir& operator=(temp_dir const&) = delete;

    std::filesystem::path const& path() const noexcept { return path_; }
    /// Options for a database file named `name` in this directory.
    store::database_options db_options(std::string const& name = "icemu.db") const {
        store::database_options options;
        options.path = (path_ / name).string();
        return options;
    }

private:
    std::filesystem::path path_;
};

/// Counts the rows of `table` (a trusted name).
inline std::int64_t count_rows(store::database& db, std::string const& table) {
    store::statement s(db.handle(), "SELECT count(*) FROM " + table);
    return s.step() ? s.column_int64(0) : -1;
}

} // namespace icemu::test
