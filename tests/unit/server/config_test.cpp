#include "server/config.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <vector>

#include "tests/support/config_load.hpp"

namespace {

using namespace icemu::server;
using icemu::test::error_of;
using icemu::test::load;
using icemu::test::temp_file;
namespace fs = std::filesystem;

// The error text of a configuration file that must be refused (the message names the file).
std::string file_error(std::string_view json) {
    temp_file const file(json);
    std::string message = error_of({"--config", file.path()});
    // Replace the random path by a stable name so the tests can compare whole messages.
    for (auto at = message.find(file.path()); at != std::string::npos;
         at = message.find(file.path()))
        message.replace(at, file.path().size(), "FILE");
    return message;
}

} // namespace

TEST_CASE("config defaults equal the shipped conf/icemu.json", "[server]") {
    fs::path const shipped =
        fs::path(__FILE__).parent_path().parent_path().parent_path().parent_path() / "conf" /
        "icemu.json";
    if (!fs::exists(shipped)) {
        WARN("conf/icemu.json not found next to the sources: " << shipped);
        return;
    }
    temp_file const empty("{}");
    config const defaults = load({"--config", empty.path()}).cfg;
    config const file = load({"--config", shipped.string()}).cfg;
    CHECK(file.listen_host == defaults.listen_host);
    CHECK(file.listen_port == defaults.listen_port);
    CHECK(file.db == defaults.db);
    CHECK(file.threads == defaults.threads);
    CHECK(file.log_level == defaults.log_level);
    CHECK(file.log_format == defaults.log_format);
    CHECK(file.scheduler.mode == defaults.scheduler.mode);
    CHECK(file.scheduler.delay_min_ms == defaults.scheduler.delay_min_ms);
    CHECK(file.scheduler.delay_max_ms == defaults.scheduler.delay_max_ms);
    CHECK(file.scheduler.polls == defaults.scheduler.polls);
    CHECK(file.scheduler.seed == defaults.scheduler.seed);
    CHECK(file.auth_mode == defaults.auth_mode);
    CHECK(file.default_account_id == defaults.default_account_id);
    CHECK(file.credentials.empty());
    CHECK(file.admin_listen_host == defaults.admin_listen_host);
    CHECK(file.admin_token == defaults.admin_token);
    CHECK(file.store_synchronous == defaults.store_synchronous);
    CHECK(file.store_cache_kib == defaults.store_cache_kib);
    CHECK(file.max_body_bytes == defaults.max_body_bytes);
    CHECK(file.idle_timeout == defaults.idle_timeout);
    CHECK(file.max_header_bytes == defaults.max_header_bytes);
    CHECK(file.request_timeout == defaults.request_timeout);
    CHECK(file.max_connections == defaults.max_connections);
    CHECK(file.max_page_size == defaults.max_page_size);
    CHECK(file.store_max_size_mib == defaults.store_max_size_mib);
    CHECK(file.store_read_only == defaults.store_read_only);
    REQUIRE(file.instances.size() == 1);
    CHECK(file.instances[0].owner_account_id == defaults.instances[0].owner_account_id);
    CHECK(file.faults_json == defaults.faults_json);
    CHECK(file.fixtures == defaults.fixtures);
    CHECK(file.extra_managed_policies == defaults.extra_managed_policies);
}

TEST_CASE("config layers apply in order: defaults, file, environment, flags", "[server]") {
    temp_file const file(R"({"threads": 2, "log": {"level": "warn"}, "db": "/from/file.db",
                            "scheduler": {"mode": "polls", "delay_ms": {"min": 5, "max": 7}}})");
    startup const s = load({"--config", file.path(), "--db", "/from/flag.db"},
                           {"ICEMU_LOG_LEVEL=error", "ICEMU_DB=/from/env.db"});
    CHECK(s.cfg.listen_host == "127.0.0.1"); // default: no layer sets it
    CHECK(s.cfg.listen_port == 4577);
    CHECK(s.cfg.threads == 2);                            // file only
    CHECK(s.cfg.scheduler.mode == scheduler_mode::polls); // file only
    CHECK(s.cfg.scheduler.delay_min_ms == 5);
    CHECK(s.cfg.scheduler.delay_max_ms == 7);
    CHECK(s.cfg.log_format == log_format::text); // file changed a sibling key only
    CHECK(s.cfg.log_level == log_level::error);  // env beats file
    CHECK(s.cfg.db == "/from/flag.db");          // flag beats env and file
    CHECK(s.cfg.config_file == file.path());
}

TEST_CASE("config reads the file named by ICEMU_CONFIG, and --config beats it", "[server]") {
    temp_file const by_env(R"({"threads": 3})");
    temp_file const by_flag(R"({"threads": 4})");
    CHECK(load({}, {"ICEMU_CONFIG=" + by_env.path()}).cfg.threads == 3);
    CHECK(load({"--config", by_flag.path()}, {"ICEMU_CONFIG=" + by_env.path()}).cfg.threads == 4);
}

TEST_CASE("config accepts --flag=value as well as --flag value", "[server]") {
    startup const s = load({"--listen=0.0.0.0:0", "--threads", "8", "--scheduler-delay-ms=0",
                            "--scheduler-seed=18446744073709551615", "--port-file=/tmp/p"});
    CHECK(s.cfg.listen_host == "0.0.0.0");
    CHECK(s.cfg.listen_port == 0);
    CHECK(s.cfg.threads == 8);
    CHECK(s.cfg.scheduler.delay_min_ms == 0);
    CHECK(s.cfg.scheduler.delay_max_ms == 0);
    CHECK(s.cfg.scheduler.seed == 18446744073709551615ULL);
    CHECK(s.cfg.port_file == "/tmp/p");
}

TEST_CASE("config reads every documented ICEMU_ variable", "[server]") {
    startup const s = load(
        {},
        {"ICEMU_LISTEN=[::1]:8080", "ICEMU_PORT_FILE=/tmp/port",
         "ICEMU_DB=:memory:", "ICEMU_THREADS=2", "ICEMU_LOG_LEVEL=debug", "ICEMU_LOG_FORMAT=json",
         "ICEMU_SCHEDULER_MODE=manual", "ICEMU_SCHEDULER_DELAY_MS=10-20", "ICEMU_SCHEDULER_POLLS=3",
         "ICEMU_SCHEDULER_SEED=42", "ICEMU_AUTH_MODE=verify",
         "ICEMU_DEFAULT_ACCOUNT_ID=0123456789abcdef0123456789abcdef", "ICEMU_FIXTURES=/fixtures",
         "ICEMU_STORE_SYNCHRONOUS=full", "ICEMU_MAX_BODY_BYTES=2048",
         "ICEMU_AUTH_CREDENTIALS=AKID1:s1:111111111111", "ICEMU_ADMIN_LISTEN=127.0.0.1:0",
         "ICEMU_ADMIN_PORT_FILE=/tmp/admin-port", "ICEMU_ADMIN_TOKEN=t0k"});
    CHECK(s.cfg.listen_host == "::1");
    CHECK(s.cfg.listen_port == 8080);
    CHECK(s.cfg.port_file == "/tmp/port");
    CHECK(s.cfg.db == ":memory:");
    CHECK(s.cfg.threads == 2);
    CHECK(s.cfg.log_level == log_level::debug);
    CHECK(s.cfg.log_format == log_format::json);
    CHECK(s.cfg.scheduler.mode == scheduler_mode::manual);
    CHECK(s.cfg.scheduler.delay_min_ms == 10);
    CHECK(s.cfg.scheduler.delay_max_ms == 20);
    CHECK(s.cfg.scheduler.polls == 3);
    CHECK(s.cfg.scheduler.seed == 42);
    CHECK(s.cfg.auth_mode == auth_mode::verify);
    CHECK(s.cfg.default_account_id == "0123456789abcdef0123456789abcdef");
    CHECK(s.cfg.fixtures == "/fixtures");
    CHECK(s.cfg.store_synchronous == store_synchronous::full);
    CHECK(s.cfg.max_body_bytes == 2048);
    REQUIRE(s.cfg.credentials.size() == 1);
    CHECK(s.cfg.credentials[0].access_key_id == "AKID1");
    CHECK(s.cfg.admin_listen_host == "127.0.0.1");
    CHECK(s.cfg.admin_listen_port == 0);
    CHECK(s.cfg.admin_port_file == "/tmp/admin-port");
    CHECK(s.cfg.admin_token == "t0k");
}

TEST_CASE("config ignores ICEMU_ variables it does not define", "[server]") {
    startup const s = load({}, {"ICEMU_FOO=bar", "ICEMU_=x", "ICEMU_THREADSX=99", "PATH=/bin"});
    CHECK(s.cfg.threads == 1);
}

TEST_CASE("config reads the command and the informational flags", "[server]") {
    CHECK(load({}).cmd == command::serve);
    CHECK(load({"serve"}).cmd == command::serve);
    CHECK(load({"healthcheck", "--listen", "127.0.0.1:9"}).cmd == command::healthcheck);
    CHECK(load({"--listen", "127.0.0.1:9", "healthcheck"}).cfg.listen_port == 9);
    CHECK(load({"--help"}).cmd == command::help);
    CHECK(load({"-h"}).cmd == command::help);
    CHECK(load({"--version"}).cmd == command::version);
    CHECK(load({"export", "--db", "a.db"}).cmd == command::export_state);
    CHECK(load({"export", "--db", "a.db"}).cfg.db == "a.db");
    SECTION("help works even when the configuration is broken") {
        CHECK(load({"--help"}, {"ICEMU_THREADS=0"}).cmd == command::help);
    }
    CHECK(error_of({"migrate"}) ==
          R"(unknown command "migrate" (commands: serve, healthcheck, export))");
    CHECK(error_of({"serve", "healthcheck"}).find("unexpected argument \"healthcheck\"") == 0);
    CHECK(error_of({"--help=yes"}) == "--help takes no value");
}

TEST_CASE("config reads the whole file schema", "[server]") {
    temp_file const file(R"({
      "listen": "0.0.0.0:4577",
      "auth": {"mode": "verify", "default_account_id": "111111111111", "credentials": [
        {"access_key_id": "AKIDEXAMPLE", "secret_access_key": "s3cr3t", "account_id": "222222222222"}]},
      "store": {"synchronous": "full", "cache_kib": 1024},
      "limits": {"max_body_bytes": 4096, "idle_timeout_ms": 250},
      "initial_state": {"instances": [
        {"owner_account_id": "123456789012", "instance_id": "ssoins-0123456789abcdef",
         "identity_store_id": "d-0123456789", "name": "main"},
        {"owner_account_id": "0123456789abcdef0123456789abcdef", "instance_id": "ins-fedcba9876543210"},
        {"owner_account_id": "333333333333", "instance_id": "00112233445566ff"}]},
      "faults": {"rules": [{"match": {"operation": "ListInstances"}, "error": {"code": "ThrottlingException"}}]},
      "fixtures": "/fixtures"
    })");
    config const c = load({"--config", file.path()}).cfg;
    CHECK(c.listen_host == "0.0.0.0");
    CHECK(c.auth_mode == auth_mode::verify);
    CHECK(c.default_account_id == "111111111111");
    REQUIRE(c.credentials.size() == 1);
    CHECK(c.credentials[0].access_key_id == "AKIDEXAMPLE");
    CHECK(c.credentials[0].secret_access_key == "s3cr3t");
    CHECK(c.credentials[0].account_id == "222222222222");
    CHECK(c.store_synchronous == store_synchronous::full);
    CHECK(c.store_cache_kib == 1024);
    CHECK(c.max_body_bytes == 4096);
    CHECK(c.idle_timeout == std::chrono::milliseconds(250));
    REQUIRE(c.instances.size() == 3);
    CHECK(c.instances[0].instance_id == "0123456789abcdef");
    CHECK(c.instances[0].identity_store_id == "d-0123456789");
    CHECK(c.instances[0].name == "main");
    CHECK(c.instances[1].owner_account_id == "0123456789abcdef0123456789abcdef");
    CHECK(c.instances[1].instance_id == "fedcba9876543210");
    CHECK(c.instances[2].instance_id == "00112233445566ff");
    CHECK(
        c.faults_json ==
        R"({"rules":[{"match":{"operation":"ListInstances"},"error":{"code":"ThrottlingException"}}]})");
    CHECK(c.fixtures == "/fixtures");
}

TEST_CASE("config refuses a bad file with one line naming the file and the key", "[server]") {
    CHECK(file_error(R"({"schedular": {}})") == R"(unknown key "schedular" in FILE)");
    CHECK(file_error(R"({"scheduler": {"dela_ms": 1}})") ==
          R"(unknown key "scheduler.dela_ms" in FILE)");
    CHECK(file_error(R"({"auth": {"credentials": [{"access_key": "x"}]}})") ==
          R"(unknown key "auth.credentials[0].access_key" in FILE)");
    CHECK(file_error(R"({"threads": "2"})") == "FILE: threads: expected an integer, got a string");
    CHECK(file_error(R"({"log": "debug"})") == "FILE: log: expected an object, got a string");
    CHECK(file_error(R"({"threads": 1.5})") == "FILE: threads: expected an integer, got a number");
    CHECK(file_error(R"({"faults": []})") == "FILE: faults: expected an object, got an array");
    CHECK(file_error(R"([])") == "FILE: the top level must be a JSON object");
    CHECK(file_error(R"({"threads": 2,,})") ==
          "FILE: invalid JSON at offset 14: Missing a name for object member.");
    CHECK(file_error("") == "FILE: invalid JSON at offset 0: The document is empty.");
}

TEST_CASE("config refuses an unreadable file naming it", "[server]") {
    CHECK(error_of({"--config", "/nonexistent/icemu.json"}) ==
          R"(cannot read config file "/nonexistent/icemu.json": No such file or directory)");
    CHECK(error_of({}, {"ICEMU_CONFIG=/nonexistent/env.json"}) ==
          R"(cannot read config file "/nonexistent/env.json": No such file or directory)");
    CHECK(error_of({"--config", fs::temp_directory_path().string()}).find("is a directory") !=
          std::string::npos);
}

TEST_CASE("config refuses unknown flags and flags without a value", "[server]") {
    CHECK(error_of({"--bogus"}) == R"(unknown flag "--bogus" (see --help))");
    CHECK(error_of({"--listen"}) == "--listen: missing value");
    CHECK(error_of({"--config"}) == "--config: missing value");
}

TEST_CASE("config refuses bad values naming the variable, flag or key", "[server]") {
    struct bad {
        std::vector<std::string> args;
        std::vector<std::string> env;
        std::string message;
    };
    std::vector<bad> const cases{
        // listen
        {{}, {"ICEMU_LISTEN=localhost"}, R"(ICEMU_LISTEN: "localhost" is not HOST:PORT)"},
        {{"--listen", ":4577"}, {}, R"(--listen: ":4577" is not HOST:PORT)"},
        {{"--listen", "127.0.0.1:http"}, {}, R"(--listen: "127.0.0.1:http" is not HOST:PORT)"},
        {{"--listen", "127.0.0.1:70000"},
         {},
         R"(--listen: "127.0.0.1:70000": port 70000 is greater than 65535)"},
        {{"--listen", "::1:80"},
         {},
         R"(--listen: "::1:80" is not HOST:PORT (write an IPv6 host as [::1]:PORT))"},
        // threads
        {{}, {"ICEMU_THREADS=0"}, R"(ICEMU_THREADS: "0" is not an integer between 1 and 64)"},
        {{"--threads", "65"}, {}, R"(--threads: "65" is not an integer between 1 and 64)"},
        {{"--threads", "two"}, {}, R"(--threads: "two" is not an integer between 1 and 64)"},
        // log
        {{"--log-level", "verbose"},
         {},
         R"(--log-level: "verbose" is not one of debug, info, warn, error)"},
        {{}, {"ICEMU_LOG_FORMAT=xml"}, R"(ICEMU_LOG_FORMAT: "xml" is not one of text, json)"},
        // scheduler
        {{},
         {"ICEMU_SCHEDULER_MODE=sometimes"},
         R"(ICEMU_SCHEDULER_MODE: "sometimes" is not one of auto, polls, manual)"},
        {{},
         {"ICEMU_SCHEDULER_DELAY_MS=3000-1000"},
         R"(ICEMU_SCHEDULER_DELAY_MS: "3000-1000": min is greater than max)"},
        {{"--scheduler-delay-ms", "-5"},
         {},
         R"(--scheduler-delay-ms: "-5" is not N or MIN-MAX (milliseconds))"},
        {{"--scheduler-delay-ms", "86400001"},
         {},
         R"(--scheduler-delay-ms: "86400001": delays are limited to 86400000 ms (one day))"},
        {{"--scheduler-polls", "0"},
         {},
         R"(--scheduler-polls: "0" is not an integer between 1 and 2147483647)"},
        {{},
         {"ICEMU_SCHEDULER_SEED=-1"},
         R"(ICEMU_SCHEDULER_SEED: "-1" is not a non-negative 64-bit integer)"},
        {{"--scheduler-seed", "18446744073709551616"},
         {},
         R"(--scheduler-seed: "18446744073709551616" is not a non-negative 64-bit integer)"},
        // auth and accounts
        {{"--auth-mode", "strict"}, {}, R"(--auth-mode: "strict" is not one of open, verify)"},
        {{},
         {"ICEMU_DEFAULT_ACCOUNT_ID=12345"},
         R"(ICEMU_DEFAULT_ACCOUNT_ID: "12345" is not an account id (12 digits or 32 lowercase hex))"},
        // store and limits
        {{"--store-synchronous", "off"},
         {},
         R"(--store-synchronous: "off" is not one of normal, full)"},
        {{},
         {"ICEMU_MAX_BODY_BYTES=100"},
         R"(ICEMU_MAX_BODY_BYTES: "100" is not an integer between 1024 and 67108864)"},
        {{"--db", ""}, {}, "--db: must not be empty"},
    };
    for (bad const& c : cases) {
        CAPTURE(c.args, c.env);
        CHECK(error_of(c.args, c.env) == c.message);
    }
}

TEST_CASE("config refuses bad values in the file naming the key", "[server]") {
    CHECK(file_error(R"({"listen": "nohost"})") == R"(FILE: listen: "nohost" is not HOST:PORT)");
    CHECK(file_error(R"({"threads": 65})") == "FILE: threads: 65 is not between 1 and 64");
    CHECK(file_error(R"({"log": {"level": "loud"}})") ==
          R"(FILE: log.level: "loud" is not one of debug, info, warn, error)");
    CHECK(file_error(R"({"scheduler": {"mode": "never"}})") ==
          R"(FILE: scheduler.mode: "never" is not one of auto, polls, manual)");
    CHECK(file_error(R"({"scheduler": {"delay_ms": {"min": -1, "max": 5}}})") ==
          "FILE: scheduler.delay_ms: min -1, max 5: delays must not be negative");
    CHECK(file_error(R"({"scheduler": {"delay_ms": {"min": 4000}}})") ==
          "FILE: scheduler.delay_ms: min 4000, max 3000: min is greater than max");
    CHECK(file_error(R"({"scheduler": {"polls": 0}})") ==
          "FILE: scheduler.polls: 0 is not between 1 and 2147483647");
    CHECK(file_error(R"({"scheduler": {"seed": -1}})") ==
          "FILE: scheduler.seed: expected a non-negative 64-bit integer, got a number");
    CHECK(file_error(R"({"auth": {"mode": "sigv2"}})") ==
          R"(FILE: auth.mode: "sigv2" is not one of open, verify)");
    CHECK(
        file_error(R"({"auth": {"default_account_id": "12345678901a"}})") ==
        R"(FILE: auth.default_account_id: "12345678901a" is not an account id (12 digits or 32 lowercase hex))");
    CHECK(
        file_error(R"({"auth": {"credentials": [{"access_key_id": "a", "secret_access_key": "b",
                        "account_id": "0123456789ABCDEF0123456789ABCDEF"}]}})") ==
        R"(FILE: auth.credentials[0].account_id: "0123456789ABCDEF0123456789ABCDEF" is not an account id (12 digits or 32 lowercase hex))");
    CHECK(file_error(R"({"auth": {"credentials": [{"access_key_id": "a"}]}})") ==
          R"(FILE: auth.credentials[0]: missing "secret_access_key")");
    CHECK(file_error(R"({"store": {"synchronous": "extra"}})") ==
          R"(FILE: store.synchronous: "extra" is not one of normal, full)");
    CHECK(file_error(R"({"limits": {"max_body_bytes": 67108865}})") ==
          "FILE: limits.max_body_bytes: 67108865 is not between 1024 and 67108864");
    CHECK(file_error(R"({"limits": {"idle_timeout_ms": 99}})") ==
          "FILE: limits.idle_timeout_ms: 99 is not between 100 and 2147483647");
    CHECK(file_error(R"({"initial_state": {"instances": [{"name": "x"}]}})") ==
          R"(FILE: initial_state.instances[0]: missing "owner_account_id")");
    CHECK(
        file_error(R"({"initial_state": {"instances": [{"owner_account_id": "1234"}]}})") ==
        R"(FILE: initial_state.instances[0].owner_account_id: "1234" is not an account id (12 digits or 32 lowercase hex))");
    CHECK(
        file_error(R"({"initial_state": {"instances": [{"owner_account_id": "123456789012",
                        "instance_id": "ssoins-123"}]}})") ==
        R"(FILE: initial_state.instances[0].instance_id: "ssoins-123" is not an instance id (16 lowercase hex, ssoins-<16 hex> or ins-<16 hex>))");
    CHECK(
        file_error(R"({"initial_state": {"instances": [{"owner_account_id": "123456789012"},
                        {"owner_account_id": "123456789012"}]}})") ==
        R"(FILE: initial_state.instances[1].owner_account_id: "123456789012" owns more than one instance)");
}

TEST_CASE("config merges a partial delay_ms object with the current delays", "[server]") {
    temp_file const file(R"({"scheduler": {"delay_ms": {"min": 10}}})");
    config const c = load({"--config", file.path()}).cfg;
    CHECK(c.scheduler.delay_min_ms == 10);
    CHECK(c.scheduler.delay_max_ms == 3000);
}

TEST_CASE("usage lists the commands, flags and variables", "[server]") {
    std::string const text = usage();
    for (char const* word : {"serve",
                             "healthcheck",
                             "--config",
                             "--listen",
                             "--port-file",
                             "--db",
                             "--threads",
                             "--log-level",
                             "--log-format",
                             "--scheduler-mode",
                             "--scheduler-delay-ms",
                             "--scheduler-polls",
                             "--scheduler-seed",
                             "--auth-mode",
                             "ICEMU_AUTH_CREDENTIALS",
                             "--admin-listen",
                             "--admin-port-file",
                             "--admin-token",
                             "--fixtures",
                             "--store-synchronous",
                             "--help",
                             "--version",
                             "ICEMU_CONFIG",
                             "ICEMU_LISTEN",
                             "ICEMU_MAX_BODY_BYTES",
                             "--aws-extra-managed-policies",
                             "ICEMU_AWS_EXTRA_MANAGED_POLICIES"})
        CHECK(text.find(word) != std::string::npos);
}

TEST_CASE("config reads credentials with session tokens and the admin section", "[server]") {
    temp_file const file(R"({
      "auth": {"mode": "verify", "credentials": [
        {"access_key_id": "AKIDA", "secret_access_key": "sa", "account_id": "111111111111"},
        {"access_key_id": "AKIDB", "secret_access_key": "sb", "account_id": "222222222222",
         "session_token": "tok"}]},
      "admin": {"listen": "[::1]:9000", "token": "secret-token"}
    })");
    config const c = load({"--config", file.path()}).cfg;
    REQUIRE(c.credentials.size() == 2);
    CHECK(c.credentials[0].session_token.empty());
    CHECK(c.credentials[1].session_token == "tok");
    CHECK(c.admin_listen_host == "::1");
    CHECK(c.admin_listen_port == 9000);
    CHECK(c.admin_token == "secret-token");
    // An empty listen address turns the admin listener off again; flags beat the file.
    config const off = load({"--config", file.path(), "--admin-listen", "", "--admin-token=x"}).cfg;
    CHECK(off.admin_listen_host.empty());
    CHECK(off.admin_token == "x");
}

TEST_CASE("config reads ICEMU_AUTH_CREDENTIALS", "[server]") {
    config const c = load({}, {"ICEMU_AUTH_CREDENTIALS=AK1:s1:111111111111,"
                               "AK2:s/2+x:0123456789abcdef0123456789abcdef:tok2"})
                         .cfg;
    REQUIRE(c.credentials.size() == 2);
    CHECK(c.credentials[0].access_key_id == "AK1");
    CHECK(c.credentials[0].secret_access_key == "s1");
    CHECK(c.credentials[0].account_id == "111111111111");
    CHECK(c.credentials[0].session_token.empty());
    CHECK(c.credentials[1].secret_access_key == "s/2+x");
    CHECK(c.credentials[1].account_id == "0123456789abcdef0123456789abcdef");
    CHECK(c.credentials[1].session_token == "tok2");
}

TEST_CASE("config refuses bad auth and admin settings", "[server]") {
    CHECK(error_of({"--auth-mode", "verify"}) ==
          "auth.mode is \"verify\" but no credential is configured (auth.credentials in the "
          "config file, or ICEMU_AUTH_CREDENTIALS)");
    CHECK(error_of({}, {"ICEMU_AUTH_CREDENTIALS=AK1:s1"}) ==
          "ICEMU_AUTH_CREDENTIALS item 1: is not KEY:SECRET:ACCOUNT or "
          "KEY:SECRET:ACCOUNT:SESSION_TOKEN");
    CHECK(error_of({}, {"ICEMU_AUTH_CREDENTIALS=AK1:s1:111111111111,AK2::111111111111"}) ==
          "ICEMU_AUTH_CREDENTIALS item 2 secret: must not be empty");
    CHECK(error_of({}, {"ICEMU_AUTH_CREDENTIALS=AK1:s1:1234"}) ==
          "ICEMU_AUTH_CREDENTIALS item 1 account: \"1234\" is not an account id (12 digits or 32 "
          "lowercase hex)");
    CHECK(error_of({}, {"ICEMU_AUTH_CREDENTIALS=AK1:s1:111111111111,AK1:s2:111111111111"}) ==
          "ICEMU_AUTH_CREDENTIALS item 2: \"AK1\" is listed more than once");
    CHECK(error_of({"--admin-port-file", "/tmp/p"}) ==
          "--admin-port-file needs an admin listener (--admin-listen)");
    CHECK(error_of({"--admin-listen", "nowhere"}) ==
          "--admin-listen: \"nowhere\" is not HOST:PORT");
    CHECK(file_error(R"({"admin": {"port": 1}})") == R"(unknown key "admin.port" in FILE)");
    CHECK(file_error(R"({"auth": {"credentials": [{"access_key_id": "a", "secret_access_key": "b",
        "account_id": "111111111111", "session_token": ""}]}})") ==
          "FILE: auth.credentials[0].session_token: must not be empty");
}

TEST_CASE("config reads every limit and store setting from the file, variables and flags",
          "[server]") {
    config const defaults = load({}).cfg;
    CHECK(defaults.max_header_bytes == 16384);
    CHECK(defaults.request_timeout == std::chrono::milliseconds(10000));
    CHECK(defaults.idle_timeout == std::chrono::milliseconds(60000));
    CHECK(defaults.max_connections == 1024);
    CHECK(defaults.max_page_size == 100);
    CHECK(defaults.store_max_size_mib == 0);
    CHECK_FALSE(defaults.store_read_only);

    temp_file const file(R"({
      "store": {"max_size_mib": 3, "read_only": true},
      "limits": {"max_header_bytes": 2048, "request_timeout_ms": 1500, "idle_timeout_ms": 900,
                 "max_connections": 7, "max_page_size": 5}})");
    config const f = load({"--config", file.path()}).cfg;
    CHECK(f.store_max_size_mib == 3);
    CHECK(f.store_read_only);
    CHECK(f.max_header_bytes == 2048);
    CHECK(f.request_timeout == std::chrono::milliseconds(1500));
    CHECK(f.idle_timeout == std::chrono::milliseconds(900));
    CHECK(f.max_connections == 7);
    CHECK(f.max_page_size == 5);

    config const e =
        load({}, {"ICEMU_MAX_HEADER_BYTES=4096", "ICEMU_REQUEST_TIMEOUT_MS=250",
                  "ICEMU_IDLE_TIMEOUT_MS=300", "ICEMU_MAX_CONNECTIONS=2", "ICEMU_MAX_PAGE_SIZE=1",
                  "ICEMU_STORE_MAX_SIZE_MIB=1", "ICEMU_STORE_READ_ONLY=true"})
            .cfg;
    CHECK(e.max_header_bytes == 4096);
    CHECK(e.request_timeout == std::chrono::milliseconds(250));
    CHECK(e.idle_timeout == std::chrono::milliseconds(300));
    CHECK(e.max_connections == 2);
    CHECK(e.max_page_size == 1);
    CHECK(e.store_max_size_mib == 1);
    CHECK(e.store_read_only);

    // Flags beat the variables.
    config const g =
        load({"--max-header-bytes=1024", "--request-timeout-ms", "100", "--idle-timeout-ms", "100",
              "--max-connections", "65536", "--max-page-size", "100", "--store-max-size-mib", "0",
              "--store-read-only", "0"},
             {"ICEMU_STORE_READ_ONLY=1", "ICEMU_MAX_CONNECTIONS=2"})
            .cfg;
    CHECK(g.max_header_bytes == 1024);
    CHECK(g.request_timeout == std::chrono::milliseconds(100));
    CHECK(g.idle_timeout == std::chrono::milliseconds(100));
    CHECK(g.max_connections == 65536);
    CHECK(g.max_page_size == 100);
    CHECK(g.store_max_size_mib == 0);
    CHECK_FALSE(g.store_read_only);
}

TEST_CASE("config refuses bad limit and store values naming them", "[server]") {
    CHECK(error_of({"--max-header-bytes", "1023"}) ==
          R"(--max-header-bytes: "1023" is not an integer between 1024 and 1048576)");
    CHECK(error_of({}, {"ICEMU_REQUEST_TIMEOUT_MS=0"}) ==
          R"(ICEMU_REQUEST_TIMEOUT_MS: "0" is not an integer between 100 and 2147483647)");
    CHECK(error_of({"--idle-timeout-ms", "1s"}) ==
          R"(--idle-timeout-ms: "1s" is not an integer between 100 and 2147483647)");
    CHECK(error_of({"--max-connections", "0"}) ==
          R"(--max-connections: "0" is not an integer between 1 and 65536)");
    CHECK(error_of({}, {"ICEMU_MAX_PAGE_SIZE=101"}) ==
          R"(ICEMU_MAX_PAGE_SIZE: "101" is not an integer between 1 and 100)");
    CHECK(error_of({"--store-max-size-mib", "-1"}) ==
          R"(--store-max-size-mib: "-1" is not an integer between 0 and 1048576)");
    CHECK(error_of({}, {"ICEMU_STORE_READ_ONLY=yes"}) ==
          R"(ICEMU_STORE_READ_ONLY: "yes" is not true, false, 1 or 0)");
    CHECK(file_error(R"({"limits": {"max_connections": 65537}})") ==
          "FILE: limits.max_connections: 65537 is not between 1 and 65536");
    CHECK(file_error(R"({"limits": {"request_timeout_ms": 99}})") ==
          "FILE: limits.request_timeout_ms: 99 is not between 100 and 2147483647");
    CHECK(file_error(R"({"limits": {"max_page_size": 0}})") ==
          "FILE: limits.max_page_size: 0 is not between 1 and 100");
    CHECK(file_error(R"({"limits": {"max_header_bytes": 1048577}})") ==
          "FILE: limits.max_header_bytes: 1048577 is not between 1024 and 1048576");
    CHECK(file_error(R"({"store": {"read_only": "true"}})") ==
          "FILE: store.read_only: expected a boolean, got a string");
    CHECK(file_error(R"({"store": {"max_size_mib": 1.5}})") ==
          "FILE: store.max_size_mib: expected an integer, got a number");
    CHECK(error_of({"--db", ":memory:", "--store-read-only", "true"}) ==
          "store.read_only: an in-memory store (:memory:) cannot be read-only");
}

TEST_CASE("usage lists the limit and store flags with their variables", "[server]") {
    std::string const text = usage();
    for (char const* word :
         {"--max-header-bytes", "ICEMU_MAX_HEADER_BYTES", "--max-connections",
          "ICEMU_MAX_CONNECTIONS", "--request-timeout-ms", "ICEMU_REQUEST_TIMEOUT_MS",
          "--idle-timeout-ms", "ICEMU_IDLE_TIMEOUT_MS", "--max-page-size", "ICEMU_MAX_PAGE_SIZE",
          "--store-max-size-mib", "ICEMU_STORE_MAX_SIZE_MIB", "--store-read-only",
          "ICEMU_STORE_READ_ONLY"})
        CHECK(text.find(word) != std::string::npos);
}

TEST_CASE("config reads aws.extra_managed_policies from the file, the variable and the flag",
          "[server]") {
    CHECK(load({}).cfg.extra_managed_policies.empty());
    temp_file const file(R"({"aws": {"extra_managed_policies": [
        "arn:aws:iam::aws:policy/NewPolicy", "arn:aws-cn:iam::aws:policy/team/x/Other"]}})");
    CHECK(load({"--config", file.path()}).cfg.extra_managed_policies ==
          std::vector<std::string>{"arn:aws:iam::aws:policy/NewPolicy",
                                   "arn:aws-cn:iam::aws:policy/team/x/Other"});
    // The variable is a comma-separated list that replaces the file's; the flag replaces both.
    config const env = load({"--config", file.path()},
                            {"ICEMU_AWS_EXTRA_MANAGED_POLICIES=arn:aws-us-gov:iam::aws:policy/A,"
                             "arn:aws:iam::aws:policy/service-role/B"})
                           .cfg;
    CHECK(env.extra_managed_policies ==
          std::vector<std::string>{"arn:aws-us-gov:iam::aws:policy/A",
                                   "arn:aws:iam::aws:policy/service-role/B"});
    CHECK(load({"--aws-extra-managed-policies", "arn:aws:iam::aws:policy/C"},
               {"ICEMU_AWS_EXTRA_MANAGED_POLICIES=arn:aws:iam::aws:policy/A"})
              .cfg.extra_managed_policies == std::vector<std::string>{"arn:aws:iam::aws:policy/C"});
    CHECK(load({"--aws-extra-managed-policies="}).cfg.extra_managed_policies.empty());
}

TEST_CASE("config refuses an extra managed policy that is not an AWS managed policy ARN",
          "[server]") {
    CHECK(error_of({}, {"ICEMU_AWS_EXTRA_MANAGED_POLICIES=arn:aws:iam::aws:policy/A,NewPolicy"}) ==
          "ICEMU_AWS_EXTRA_MANAGED_POLICIES item 2: \"NewPolicy\" is not an AWS managed policy "
          "ARN (arn:aws:iam::aws:policy/[path/]Name)");
    CHECK(error_of({"--aws-extra-managed-policies", "arn:aws:iam::123456789012:policy/Mine"}) ==
          "--aws-extra-managed-policies item 1: \"arn:aws:iam::123456789012:policy/Mine\" is not "
          "an AWS managed policy ARN (arn:aws:iam::aws:policy/[path/]Name)");
    CHECK(file_error(R"({"aws": {"extra_managed_policies": ["arn:aws:iam::aws:policy//A"]}})") ==
          "FILE: aws.extra_managed_policies[0]: \"arn:aws:iam::aws:policy//A\" is not an AWS "
          "managed policy ARN (arn:aws:iam::aws:policy/[path/]Name)");
    CHECK(file_error(R"({"aws": {"extra_managed_policies": "arn:aws:iam::aws:policy/A"}})") ==
          "FILE: aws.extra_managed_policies: expected an array, got a string");
    CHECK(file_error(R"({"aws": {"managed_policies": []}})") ==
          R"(unknown key "aws.managed_policies" in FILE)");
}

TEST_CASE("config reads aws.region and refuses what is not a Region name", "[server]") {
    CHECK(load({}).cfg.aws_region == "us-east-1");
    CHECK(load({"--aws-region", "us-gov-west-1"}).cfg.aws_region == "us-gov-west-1");
    CHECK(load({}, {"ICEMU_AWS_REGION=eu-central-2"}).cfg.aws_region == "eu-central-2");
    CHECK(error_of({"--aws-region", "EU-WEST-1"}) ==
          "--aws-region: \"EU-WEST-1\" is not an AWS Region name (like us-east-1)");
    CHECK(error_of({}, {"ICEMU_AWS_REGION=us-east"}) ==
          "ICEMU_AWS_REGION: \"us-east\" is not an AWS Region name (like us-east-1)");
    CHECK(file_error(R"({"aws": {"region": "a-b-c-d-1"}})") ==
          "FILE: aws.region: \"a-b-c-d-1\" is not an AWS Region name (like us-east-1)");
}

TEST_CASE("config reads store.cache_kib and store.mmap_mib from the file, variables and flags",
          "[server]") {
    temp_file const empty("{}");
    config const defaults = load({"--config", empty.path()}).cfg;
    CHECK(defaults.store_cache_kib == 8192);
    CHECK(defaults.store_mmap_mib == 256);

    temp_file const file(R"({"store": {"cache_kib": 1024, "mmap_mib": 0}})");
    config const f = load({"--config", file.path()}).cfg;
    CHECK(f.store_cache_kib == 1024);
    CHECK(f.store_mmap_mib == 0);

    std::vector<std::string> const env{"ICEMU_STORE_CACHE_KIB=2048", "ICEMU_STORE_MMAP_MIB=64"};
    config const e = load({"--config", file.path()}, env).cfg;
    CHECK(e.store_cache_kib == 2048);
    CHECK(e.store_mmap_mib == 64);

    config const g =
        load({"--config", file.path(), "--store-cache-kib", "4194304", "--store-mmap-mib=1048576"},
             env)
            .cfg;
    CHECK(g.store_cache_kib == 4194304);
    CHECK(g.store_mmap_mib == 1048576);
}

TEST_CASE("config refuses bad store.cache_kib and store.mmap_mib values naming them", "[server]") {
    CHECK(error_of({"--store-cache-kib", "0"}) ==
          R"(--store-cache-kib: "0" is not an integer between 1 and 4194304)");
    CHECK(error_of({}, {"ICEMU_STORE_CACHE_KIB=8M"}) ==
          R"(ICEMU_STORE_CACHE_KIB: "8M" is not an integer between 1 and 4194304)");
    CHECK(error_of({"--store-mmap-mib=1048577"}) ==
          R"(--store-mmap-mib: "1048577" is not an integer between 0 and 1048576)");
    CHECK(error_of({}, {"ICEMU_STORE_MMAP_MIB=-1"}) ==
          R"(ICEMU_STORE_MMAP_MIB: "-1" is not an integer between 0 and 1048576)");
    CHECK(error_of({"--store-cache-kib"}) == "--store-cache-kib: missing value");
    CHECK(file_error(R"({"store": {"cache_kib": 0}})") ==
          "FILE: store.cache_kib: 0 is not between 1 and 4194304");
    CHECK(file_error(R"({"store": {"mmap_mib": "256"}})") ==
          "FILE: store.mmap_mib: expected an integer, got a string");
}

TEST_CASE("config refuses a nested key written as one dotted name", "[server]") {
    CHECK(file_error(R"({"store.cache_kib": 1024})") == R"(unknown key "store.cache_kib" in FILE)");
    CHECK(file_error(R"({"store": {"": 1}})") == R"(unknown key "store." in FILE)");
    CHECK(file_error(R"({"": 1})") == R"(unknown key "" in FILE)");
}
