#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "server/config.hpp"

namespace icemu::test {

/// A JSON file in the temp folder, removed at scope exit.
class temp_file {
public:
    explicit temp_file(std::string_view text) {
        static std::atomic<int> counter{0};
        path_ = std::filesystem::temp_directory_path() /
                ("icemu_config_test_" + std::to_string(::getpid()) + "_" +
                 std::to_string(counter++) + ".json");
        std::ofstream(path_) << text;
    }
    ~temp_file() {
        std::error_code ignored;
        std::filesystem::remove(path_, ignored);
    }
    temp_file(temp_file const&) = delete;
    temp_file& operator=(temp_file const&) = delete;

    std::string path() const { return path_.string(); }

private:
    std::filesystem::path path_;
};

/// load_config with argv[0] = "icemu" and a null-terminated environment.
inline server::startup load(std::vector<std::string> args, std::vector<std::string> env = {}) {
    std::vector<char const*> argv{"icemu"};
    for (auto const& a : args)
        argv.push_back(a.c_str());
    argv.push_back(nullptr);
    std::vector<char const*> envp;
    for (auto const& e : env)
        envp.push_back(e.c_str());
    envp.push_back(nullptr);
    return server::load_config(static_cast<int>(argv.size() - 1), argv.data(), envp.data());
}

/// The error text of a configuration that must be refused, or "<accepted>".
inline std::string error_of(std::vector<std::string> args, std::vector<std::string> env = {}) {
    try {
        load(std::move(args), std::move(env));
    } catch (server::config_error const& e) {
        return e.what();
    }
    return "<accepted>";
}

} // namespace icemu::test
