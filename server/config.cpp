// The layers of the configuration: defaults, a file, ICEMU_* variables, flags. What each setting
// is called in each layer, and how its value is read, is the table's (config_settings.cpp).
#include "server/config.hpp"

#include <filesystem>
#include <optional>
#include <string_view>
#include <utility>

#include "server/config_settings.hpp"
#include "server/config_values.hpp"

namespace icemu::server {
namespace {

using namespace config_detail;

constexpr std::string_view default_config_path = "conf/icemu.json";

struct parsed_args {
    command cmd = command::serve;
    bool help = false;
    bool version = false;
    std::optional<std::string> config_file;
    std::vector<std::pair<setting const*, std::string>> values; // in command-line order
};

parsed_args parse_args(int argc, char const* const* argv) {
    parsed_args out;
    bool have_command = false;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i] == nullptr ? std::string_view() : argv[i];
        if (arg == "-h" || arg == "--help") {
            out.help = true;
            continue;
        }
        if (arg == "--version") {
            out.version = true;
            continue;
        }
        if (!arg.starts_with("-")) {
            if (have_command)
                throw config_error("unexpected argument " + show(arg) +
                                   " (one command: serve, healthcheck or export)");
            if (arg == "serve")
                out.cmd = command::serve;
            else if (arg == "healthcheck")
                out.cmd = command::healthcheck;
            else if (arg == "export")
                out.cmd = command::export_state;
            else
                throw config_error("unknown command " + show(arg) +
                                   " (commands: serve, healthcheck, export)");
            have_command = true;
            continue;
        }
        std::string_view flag = arg;
        std::optional<std::string_view> value;
        if (auto const eq = arg.find('='); eq != std::string_view::npos) {
            flag = arg.substr(0, eq);
            value = arg.substr(eq + 1);
        }
        if (flag == "-h" || flag == "--help" || flag == "--version")
            throw config_error(std::string(flag) + " takes no value");
        bool const is_config = flag == "--config";
        setting const* const found = setting_by_flag(flag);
        if (!is_config && found == nullptr)
            throw config_error("unknown flag " + show(flag) + " (see --help)");
        if (!value) {
            if (i + 1 >= argc || argv[i + 1] == nullptr)
                throw config_error(std::string(flag) + ": missing value");
            value = argv[++i];
        }
        if (is_config)
            out.config_file = std::string(non_empty(flag, *value));
        else
            out.values.emplace_back(found, std::string(*value));
    }
    return out;
}

std::optional<std::string_view> env_value(char const* const* envp, std::string_view name) {
    if (envp == nullptr)
        return std::nullopt;
    for (char const* const* e = envp; *e != nullptr; ++e) {
        std::string_view const entry = *e;
        if (entry.size() > name.size() && entry.starts_with(name) && entry[name.size()] == '=')
            return entry.substr(name.size() + 1);
    }
    return std::nullopt;
}

// --config FILE, else ICEMU_CONFIG, else conf/icemu.json when it is there.
void apply_file_layer(config& cfg, std::optional<std::string> file, char const* const* envp) {
    if (!file) {
        if (auto const env = env_value(envp, "ICEMU_CONFIG"); env && !env->empty())
            file = std::string(*env);
    }
    if (file) {
        apply_config_file(cfg, *file);
        return;
    }
    std::error_code ec;
    std::filesystem::file_status const st =
        std::filesystem::status(std::string(default_config_path), ec);
    // Absent is fine; present but unreadable is an error like any other file's.
    if (std::filesystem::exists(st) || (ec && ec != std::errc::no_such_file_or_directory))
        apply_config_file(cfg, std::string(default_config_path));
}

// What no single setting can check: settings that need each other.
void check_together(config const& cfg) {
    if (cfg.auth_mode == auth_mode::verify && cfg.credentials.empty())
        throw config_error(
            "auth.mode is \"verify\" but no credential is configured (auth.credentials in the "
            "config file, or ICEMU_AUTH_CREDENTIALS)");
    if (!cfg.admin_port_file.empty() && cfg.admin_listen_host.empty())
        throw config_error("--admin-port-file needs an admin listener (--admin-listen)");
    if (cfg.store_read_only && cfg.db == ":memory:")
        throw config_error("store.read_only: an in-memory store (:memory:) cannot be read-only");
}

} // namespace

startup load_config(int argc, char const* const* argv, char const* const* envp) {
    parsed_args args = parse_args(argc, argv);
    startup out;
    // --help and --version answer even when the configuration is broken.
    if (args.help) {
        out.cmd = command::help;
        return out;
    }
    if (args.version) {
        out.cmd = command::version;
        return out;
    }
    out.cmd = args.cmd;

    apply_file_layer(out.cfg, std::move(args.config_file), envp);
    for (setting const& s : settings())
        if (s.value.read_text != nullptr && !s.env.empty())
            if (auto const value = env_value(envp, s.env))
                s.value.read_text(s.value, out.cfg, s.env, *value);
    for (auto const& [s, value] : args.values)
        s->value.read_text(s->value, out.cfg, s->flag, value);
    check_together(out.cfg);
    return out;
}

} // namespace icemu::server
