#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "server/log_level.hpp"

namespace icemu::server {

/// A configuration problem; what() is one line naming the key, variable or flag.
class config_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The scheduler's modes ("auto", "polls", "manual"); main maps them onto the core's.
enum class scheduler_mode { automatic, polls, manual };
/// Log lines as text ("text") or as JSON objects ("json").
enum class log_format { text, json };
/// "open" accepts any caller; "verify" checks signatures against the configured credentials.
enum class auth_mode { open, verify };
/// SQLite's synchronous pragma: "normal" survives a crash of the process, "full" power loss.
enum class store_synchronous { normal, full };

/// The name the configuration gives `value` ("auto", "json", "verify", "full"…).
std::string_view to_string(scheduler_mode value) noexcept;
std::string_view to_string(log_format value) noexcept;
std::string_view to_string(auth_mode value) noexcept;
std::string_view to_string(store_synchronous value) noexcept;

struct scheduler_config {
    scheduler_mode mode = scheduler_mode::automatic;
    std::int64_t delay_min_ms = 1000;
    std::int64_t delay_max_ms = 3000;
    std::int64_t polls = 1;
    std::uint64_t seed = 0;
};

struct credential {
    std::string access_key_id;
    std::string secret_access_key;
    std::string account_id;
    std::string session_token; // empty: none (any signed token is accepted)
};

/// One instance of the initial state, created when the store is empty.
struct instance_config {
    std::string owner_account_id;
    std::string instance_id;       // 16 lowercase hex; empty: random
    std::string identity_store_id; // empty: derived
    std::string name;              // may be empty
};

/// Every setting of icemu; the defaults equal the shipped conf/icemu.json. A new setting is a
/// member here and one entry of the table in config_settings.cpp, which gives it its file key,
/// variable, flag and --help line.
struct config {
    std::string listen_host = "127.0.0.1";
    std::uint16_t listen_port = 4577;
    std::string port_file; // written with the bound port once listening; empty: none
    std::string db = "./icemu.db";
    std::int64_t threads = 1; // accepted and ignored: icemu serves on one thread
    server::log_level log_level = server::log_level::info;
    server::log_format log_format = server::log_format::text;
    scheduler_config scheduler;
    server::auth_mode auth_mode = server::auth_mode::open;
    std::string default_account_id = "123456789012";
    std::vector<credential> credentials;
    // The admin API (/_icemu/): its own listen address (empty host: none, it is served on the
    // main listener) and a token every admin call but health must carry (empty: none).
    std::string admin_listen_host;
    std::uint16_t admin_listen_port = 0;
    std::string admin_port_file; // written with the admin listener's port; empty: none
    std::string admin_token;

    std::string fixtures; // a JSON file or a folder of them; empty: none
    server::store_synchronous store_synchronous = server::store_synchronous::normal;
    std::int64_t store_cache_kib = 8192;
    std::int64_t store_mmap_mib = 256;
    std::size_t max_body_bytes = 1024 * 1024;
    std::chrono::milliseconds idle_timeout{60000};
    std::size_t max_header_bytes = 16 * 1024;
    std::chrono::milliseconds request_timeout{10000};
    std::int64_t max_connections = 1024;
    std::int64_t max_page_size = 100;           // clamps MaxResults / limit; lists stay paginated
    std::int64_t store_max_size_mib = 0;        // 0: no limit
    std::int64_t journal_size = 1000;           // calls the request journal keeps; 0: off
    std::int64_t journal_max_body_bytes = 4096; // of each journaled body; longer: truncated
    bool store_read_only = false;
    /// An assignment whose principal is not in the instance's identity store settles FAILED.
    bool identity_require_principals = false;
    std::vector<instance_config> instances{{"123456789012", "", "", ""}};
    /// The primary Region of every instance (aws.region).
    std::string aws_region = "us-east-1";
    /// AWS managed policy ARNs the built-in catalogue lacks (aws.extra_managed_policies).
    std::vector<std::string> extra_managed_policies;
    std::string faults_json = R"({"rules":[]})"; // the "faults" object, validated by the core
    std::string config_file;                     // the file that was read; empty: none
};

/// What the command line asked for besides settings.
enum class command { serve, help, version, healthcheck, export_state };

struct startup {
    command cmd = command::serve;
    config cfg;
};

/// Builds the configuration: built-in defaults, then a JSON file (`--config FILE`, else
/// `conf/icemu.json` when present), then `ICEMU_*` environment variables, then flags.
/// Throws config_error naming the key, variable or flag at fault.
startup load_config(int argc, char const* const* argv, char const* const* envp);

/// Applies the JSON text of a configuration file over `cfg`, as `--config FILE` does (`file`
/// names it in messages). Throws config_error naming the key at fault.
void apply_config_text(config& cfg, std::string_view text, std::string const& file);

/// The text of `icemu --help`: the commands, then a line per flag (from the table of settings)
/// with its variable and default, then the variables without a flag and the file-only keys.
std::string usage();

} // namespace icemu::server
