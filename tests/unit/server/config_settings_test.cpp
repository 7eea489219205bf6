#include "server/config_settings.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/config_load.hpp"

namespace {

using namespace icemu::server;
using icemu::test::load;
using icemu::test::temp_file;
namespace fs = std::filesystem;

// `{"a": {"b": VALUE}}` for the key "a.b".
std::string nested(std::string_view key, std::string_view value) {
    std::string open;
    std::string close;
    for (;;) {
        auto const dot = key.find('.');
        open += "{\"" + std::string(key.substr(0, dot)) + "\": ";
        close += "}";
        if (dot == std::string_view::npos)
            break;
        key.remove_prefix(dot + 1);
    }
    return open + std::string(value) + close;
}

// Three values of a setting, each different from the one before and from the default: the
// file's (JSON, and its text once read), the variable's and the flag's. `also` are flags and
// `also_env` variables every load of the setting needs (a listener for the admin port file).
struct sample {
    std::string file_json;
    std::string file_text;
    std::string env;
    std::string flag;
    std::vector<std::string> also = {};
    std::vector<std::string> also_env = {};
};

// By the setting's key, else its variable. A setting missing here fails the test below: a new
// setting comes with its samples.
std::map<std::string, sample, std::less<>> const samples{
    {"listen", {R"("0.0.0.0:1")", "0.0.0.0:1", "[::1]:2", "127.0.0.2:3"}},
    {"ICEMU_PORT_FILE", {"", "", "/tmp/port-env", "/tmp/port-flag"}},
    {"db", {R"("/from/file.db")", "/from/file.db", "/from/env.db", ":memory:"}},
    {"threads", {"2", "2", "3", "64"}},
    {"log.level", {R"("warn")", "warn", "error", "debug"}},
    {"log.format", {R"("json")", "json", "text", "json"}},
    {"scheduler.mode", {R"("polls")", "polls", "manual", "polls"}},
    {"scheduler.delay_ms", {R"({"min": 5, "max": 7})", "5-7", "8-9", "10-10"}},
    {"scheduler.polls", {"2", "2", "3", "2147483647"}},
    {"scheduler.seed",
     {"18446744073709551615", "18446744073709551615", "1", "18446744073709551614"}},
    {"auth.mode",
     {R"("verify")", "verify", "open", "verify", {}, {"ICEMU_AUTH_CREDENTIALS=K:s:111111111111"}}},
    {"auth.credentials",
     {R"([{"access_key_id": "A", "secret_access_key": "s", "account_id": "111111111111"}])",
      "A:s:111111111111", "B:t:0123456789abcdef0123456789abcdef:tok", ""}},
    {"auth.default_account_id",
     {R"("111111111111")", "111111111111", "0123456789abcdef0123456789abcdef", "222222222222"}},
    {"admin.listen", {R"("127.0.0.1:1")", "127.0.0.1:1", "[::1]:2", "127.0.0.1:3"}},
    {"ICEMU_ADMIN_PORT_FILE",
     {"", "", "/tmp/admin-env", "/tmp/admin-flag", {"--admin-listen", "127.0.0.1:0"}}},
    {"admin.token", {R"("from-file")", "from-file", "from-env", "from-flag"}},
    {"store.synchronous", {R"("full")", "full", "normal", "full"}},
    {"store.cache_kib", {"1", "1", "2048", "4194304"}},
    {"store.mmap_mib", {"0", "0", "1", "1048576"}},
    {"store.max_size_mib", {"1", "1", "2", "1048576"}},
    {"store.read_only", {"true", "true", "false", "true"}},
    {"identity.require_principals", {"true", "true", "false", "true"}},
    {"limits.max_body_bytes", {"1024", "1024", "2048", "67108864"}},
    {"limits.max_header_bytes", {"1024", "1024", "2048", "1048576"}},
    {"limits.request_timeout_ms", {"100", "100", "200", "2147483647"}},
    {"limits.idle_timeout_ms", {"100", "100", "200", "2147483647"}},
    {"limits.max_connections", {"1", "1", "2", "65536"}},
    {"limits.max_page_size", {"1", "1", "2", "3"}},
    {"journal.size", {"0", "0", "2", "1000000"}},
    {"journal.max_body_bytes", {"0", "0", "1", "1048576"}},
    {"fixtures", {R"("/fixtures/file")", "/fixtures/file", "/fixtures/env", "/fixtures/flag"}},
    {"aws.region", {R"("eu-west-1")", "eu-west-1", "ap-southeast-2", "us-gov-west-1"}},
    {"aws.extra_managed_policies",
     {R"(["arn:aws:iam::aws:policy/A", "arn:aws-cn:iam::aws:policy/team/B"])",
      "arn:aws:iam::aws:policy/A,arn:aws-cn:iam::aws:policy/team/B", "arn:aws:iam::aws:policy/C",
      ""}},
    {"initial_state.instances",
     {R"([{"owner_account_id": "111111111111", "name": "x"}])",
      R"([{"owner_account_id":"111111111111","name":"x"}])", "", ""}},
    {"faults",
     {R"({"rules": [{"match": {"operation": "ListInstances"}, "error": {"code": "ThrottlingException"}}]})",
      R"({"rules":[{"match":{"operation":"ListInstances"},"error":{"code":"ThrottlingException"}}]})",
      "", ""}},
};

std::string name_of(setting const& s) {
    return std::string(s.key.empty() ? s.env : s.key);
}

std::vector<std::string> plus(std::vector<std::string> a, std::vector<std::string> const& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

std::string upper(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return c == '.' ? '_' : static_cast<char>(std::toupper(c));
    });
    return out;
}

// The text `usage()` shows for `name`: from its line to the next name, with the wrapped lines
// joined by single spaces.
std::string help_entry(std::string const& help, std::string const& name) {
    auto start = help.find("\n  " + name);
    // The whole name: --db, not the start of --default-account-id.
    while (start != std::string::npos &&
           std::string_view(" =\n").find(help[start + 3 + name.size()]) == std::string_view::npos)
        start = help.find("\n  " + name, start + 1);
    if (start == std::string::npos)
        return "";
    std::string out;
    std::istringstream lines(help.substr(start + 1));
    std::string line;
    for (bool first = true; std::getline(lines, line); first = false) {
        if (line.empty() || (!first && line.size() > 2 && line[2] != ' '))
            break;
        auto const text = line.find_first_not_of(' ');
        out += (out.empty() ? "" : " ") + line.substr(text);
    }
    return out;
}

fs::path source_dir() {
    return fs::path(ICEMU_SOURCE_DIR);
}

std::string read_text_file(fs::path const& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

TEST_CASE("settings: every scalar key has a variable and a flag, with the documented exceptions",
          "[server]") {
    // Names users had before the consistent ICEMU_<KEY> rule; they stay.
    std::set<std::string_view> const kept_names{
        "ICEMU_DEFAULT_ACCOUNT_ID", "ICEMU_MAX_BODY_BYTES",
        "ICEMU_MAX_HEADER_BYTES",   "ICEMU_REQUEST_TIMEOUT_MS",
        "ICEMU_IDLE_TIMEOUT_MS",    "ICEMU_MAX_CONNECTIONS",
        "ICEMU_MAX_PAGE_SIZE",      "ICEMU_AWS_EXTRA_MANAGED_POLICIES"};
    std::set<std::string_view> const file_only{"faults", "initial_state.instances"};
    std::set<std::string_view> const no_key{"ICEMU_PORT_FILE", "ICEMU_ADMIN_PORT_FILE"};
    std::set<std::string_view> keys;
    std::set<std::string_view> envs;
    std::set<std::string_view> flags;
    for (setting const& s : settings()) {
        INFO(name_of(s));
        CHECK_FALSE(s.help.empty());
        if (!s.key.empty())
            CHECK(keys.insert(s.key).second);
        if (!s.env.empty())
            CHECK(envs.insert(s.env).second);
        if (!s.flag.empty())
            CHECK(flags.insert(s.flag).second);
        if (file_only.contains(s.key)) {
            CHECK(s.env.empty());
            CHECK(s.flag.empty());
            CHECK(s.value.read_text == nullptr);
            continue;
        }
        if (s.key == "auth.credentials") { // a secret: ps shows flags
            CHECK(s.env == "ICEMU_AUTH_CREDENTIALS");
            CHECK(s.flag.empty());
            continue;
        }
        REQUIRE_FALSE(s.env.empty());
        CHECK(s.key.empty() == no_key.contains(s.env));
        if (!s.key.empty() && !kept_names.contains(s.env))
            CHECK(s.env == "ICEMU_" + upper(s.key));
        // The flag is the variable's name in lowercase: ICEMU_STORE_CACHE_KIB, --store-cache-kib.
        std::string flag = "--" + std::string(s.env.substr(6));
        std::transform(flag.begin(), flag.end(), flag.begin(), [](unsigned char c) {
            return c == '_' ? '-' : static_cast<char>(std::tolower(c));
        });
        CHECK(s.flag == flag);
        CHECK(s.value.read_text != nullptr);
        CHECK(s.value.text != nullptr);
        CHECK((!s.arg.empty() || !s.value.choices.empty() || s.value.is_boolean));
    }
    CHECK(setting_by_key("store.cache_kib") != nullptr);
    CHECK(setting_by_env("ICEMU_STORE_MMAP_MIB") == setting_by_key("store.mmap_mib"));
    CHECK(setting_by_flag("--store-cache-kib") == setting_by_key("store.cache_kib"));
    CHECK(setting_by_key("") == nullptr);
    CHECK(setting_by_flag("") == nullptr);
}

TEST_CASE("settings: each source sets every setting, flags over variables over the file",
          "[server]") {
    temp_file const empty("{}");
    config const defaults = load({"--config", empty.path()}).cfg;
    for (setting const& s : settings()) {
        std::string const name = name_of(s);
        INFO(name);
        auto const found = samples.find(name);
        REQUIRE(found != samples.end());
        sample const& x = found->second;
        std::vector<std::string> env = x.also_env;
        std::string config_file = empty.path();
        std::string previous = text_of(s, defaults);

        std::optional<temp_file> file;
        if (!s.key.empty()) {
            file.emplace(nested(s.key, x.file_json));
            config_file = file->path();
            CHECK(x.file_text != previous);
            CHECK(text_of(s, load(plus({"--config", config_file}, x.also), env).cfg) ==
                  x.file_text);
            previous = x.file_text;
        }
        if (!s.env.empty()) {
            env.push_back(std::string(s.env) + "=" + x.env);
            CHECK(x.env != previous);
            CHECK(text_of(s, load(plus({"--config", config_file}, x.also), env).cfg) == x.env);
            previous = x.env;
        }
        if (!s.flag.empty()) {
            CHECK(x.flag != previous);
            std::vector<std::string> const args =
                plus({"--config", config_file, std::string(s.flag), x.flag}, x.also);
            CHECK(text_of(s, load(args, env).cfg) == x.flag);
            std::vector<std::string> const joined =
                plus({"--config", config_file, std::string(s.flag) + "=" + x.flag}, x.also);
            CHECK(text_of(s, load(joined, env).cfg) == x.flag);
        }
    }
}

TEST_CASE("settings: the default --help shows is a value the variable and flag take", "[server]") {
    temp_file const empty("{}");
    config const defaults;
    for (setting const& s : settings()) {
        INFO(name_of(s));
        std::string const text = text_of(s, defaults);
        if (s.value.read_text == nullptr || text.empty()) // file only, or none
            continue;
        sample const& x = samples.at(name_of(s));
        config cfg = load(plus({"--config", empty.path()}, x.also),
                          plus(x.also_env, {std::string(s.env) + "=" + x.flag}))
                         .cfg;
        REQUIRE(text_of(s, cfg) != text);
        s.value.read_text(s.value, cfg, s.env, text);
        CHECK(text_of(s, cfg) == text);
    }
}

TEST_CASE("settings: the built-in defaults are the shipped conf/icemu.json, key for key",
          "[server]") {
    fs::path const shipped = source_dir() / "conf" / "icemu.json";
    REQUIRE(fs::exists(shipped));
    rapidjson::Document file;
    file.Parse(read_text_file(shipped).c_str());
    REQUIRE_FALSE(file.HasParseError());

    // The defaults object, written from the table: every key with the value of a default config.
    config const defaults;
    rapidjson::Document made(rapidjson::kObjectType);
    auto& alloc = made.GetAllocator();
    for (setting const& s : settings()) {
        if (s.key.empty())
            continue;
        INFO(s.key);
        rapidjson::Document value(&alloc);
        value.Parse(json_of(s, defaults).c_str());
        REQUIRE_FALSE(value.HasParseError());
        rapidjson::Value* at = &made;
        std::string_view key = s.key;
        for (auto dot = key.find('.'); dot != std::string_view::npos; dot = key.find('.')) {
            rapidjson::Value name(std::string(key.substr(0, dot)), alloc);
            if (!at->HasMember(name))
                at->AddMember(rapidjson::Value(name, alloc),
                              rapidjson::Value(rapidjson::kObjectType), alloc);
            at = &(*at)[name];
            key.remove_prefix(dot + 1);
        }
        at->AddMember(rapidjson::Value(std::string(key), alloc), rapidjson::Value(value, alloc),
                      alloc);
    }
    auto const text = [](rapidjson::Value const& v) {
        rapidjson::StringBuffer out;
        rapidjson::Writer<rapidjson::StringBuffer> writer(out);
        v.Accept(writer);
        return std::string(out.GetString());
    };
    INFO("built in: " << text(made));
    INFO("shipped:  " << text(file));
    CHECK(made == file);

    // And read over the defaults, the file changes nothing.
    config const read = load({"--config", shipped.string()}).cfg;
    for (setting const& s : settings()) {
        INFO(name_of(s));
        CHECK(json_of(s, read) == json_of(s, defaults));
    }
}

TEST_CASE("settings: --help lists every flag with its variable, key and default", "[server]") {
    std::string const help = usage();
    config const defaults;
    for (setting const& s : settings()) {
        INFO(name_of(s));
        std::string const shown = std::string(!s.flag.empty()  ? s.flag
                                              : !s.env.empty() ? s.env
                                                               : s.key);
        std::string const entry = help_entry(help, shown);
        REQUIRE_FALSE(entry.empty());
        CHECK(entry.find(std::string(s.help)) != std::string::npos);
        if (!s.env.empty())
            CHECK(entry.find(std::string(s.env)) != std::string::npos);
        if (!s.key.empty())
            CHECK(entry.find(std::string(s.key)) != std::string::npos);
        std::string value = text_of(s, defaults);
        CHECK(entry.find("default " + (value.empty() ? "none" : value) + ")") != std::string::npos);
        for (std::string_view const choice : s.value.choices)
            CHECK(entry.find(std::string(choice)) != std::string::npos);
        if (s.value.max > s.value.min)
            CHECK(entry.find(std::to_string(s.value.min) + "-" + std::to_string(s.value.max)) !=
                  std::string::npos);
    }
    CHECK_FALSE(help_entry(help, "--config FILE").empty());
    CHECK_FALSE(help_entry(help, "--version").empty());
}

TEST_CASE("settings: the enumerations have the names the configuration reads", "[server]") {
    CHECK(to_string(scheduler_mode::automatic) == "auto");
    CHECK(to_string(scheduler_mode::manual) == "manual");
    CHECK(to_string(log_format::json) == "json");
    CHECK(to_string(auth_mode::verify) == "verify");
    CHECK(to_string(store_synchronous::full) == "full");
    CHECK(load({"--log-level", "warn"}).cfg.log_level == log_level::warn);
}

#ifdef ICEMU_DOCS_CHECK
// The configuration reference: docs/configuration.md when there is one, else README.md. Its
// table (| JSON key | variable | flag | default |) names every setting with its default.
TEST_CASE("settings: the configuration reference lists every key, variable, flag and default",
          "[server]") {
    fs::path doc = source_dir() / "docs" / "configuration.md";
    if (!fs::exists(doc))
        doc = source_dir() / "README.md";
    INFO(doc.string());
    std::istringstream lines(read_text_file(doc));
    std::vector<std::vector<std::string>> rows;
    bool in_table = false;
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with("| JSON key | variable | flag | default |")) {
            in_table = true;
            continue;
        }
        if (!in_table || line.starts_with("|---"))
            continue;
        if (!line.starts_with("|"))
            break;
        // Cells split at the | outside code spans.
        std::vector<std::string> cells{""};
        bool code = false;
        for (char const c : line.substr(1)) {
            if (c == '`')
                code = !code;
            if (c == '|' && !code) {
                cells.emplace_back();
                continue;
            }
            cells.back().push_back(c);
        }
        for (auto& cell : cells) {
            cell.erase(0, cell.find_first_not_of(' '));
            cell.erase(cell.find_last_not_of(' ') + 1);
        }
        REQUIRE(cells.size() >= 4);
        rows.push_back(cells);
    }
    REQUIRE_FALSE(rows.empty());

    auto const code = [](std::string_view name) { return "`" + std::string(name) + "`"; };
    auto const named = [](std::string const& cell, std::string_view name) {
        return cell.find("`" + std::string(name) + "`") != std::string::npos ||
               cell.find("`" + std::string(name) + " ") != std::string::npos;
    };
    auto const squeezed = [](std::string text) {
        std::erase(text, ' ');
        return text;
    };
    config const defaults;
    for (setting const& s : settings()) {
        INFO(name_of(s));
        auto const row = std::find_if(rows.begin(), rows.end(), [&](auto const& r) {
            return s.key.empty() ? r[0] == "—" && named(r[1], s.env) : r[0] == code(s.key);
        });
        REQUIRE(row != rows.end());
        auto const& cells = *row;
        CHECK((s.env.empty() ? cells[1] == "—" : named(cells[1], s.env)));
        CHECK((s.flag.empty() ? cells[2] == "—" : named(cells[2], s.flag)));
        std::string const text = text_of(s, defaults);
        std::string const shown = squeezed(cells[3]);
        if (text.empty())
            CHECK((shown.starts_with("none") || shown.starts_with("`\"\"`") ||
                   shown.starts_with("`[]`")));
        else
            CHECK((shown.find(code(squeezed(text))) != std::string::npos ||
                   shown.find(code(squeezed(json_of(s, defaults)))) != std::string::npos));
    }
    // And the table documents nothing the program does not have.
    for (auto const& cells : rows) {
        INFO(cells[0] << " | " << cells[1]);
        bool const known = std::any_of(settings().begin(), settings().end(), [&](auto const& s) {
            return s.key.empty() ? cells[0] == "—" && named(cells[1], s.env)
                                 : cells[0] == code(s.key);
        });
        CHECK(known);
    }
}
#endif
