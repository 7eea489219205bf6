#include "server/config.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <regex>
#include <set>
#include <sstream>
#include <string_view>
#include <tuple>
#include <utility>

namespace icemu::server {
namespace {

constexpr std::string_view default_config_path = "conf/icemu.json";
constexpr std::int64_t max_delay_ms = 24LL * 60 * 60 * 1000; // one day
constexpr std::int64_t min_body_bytes = 1024;
constexpr std::int64_t max_body_bytes = 64LL * 1024 * 1024;
constexpr std::int64_t min_header_bytes = 1024;
constexpr std::int64_t max_header_bytes = 1024 * 1024;
constexpr std::int64_t min_timeout_ms = 100;
constexpr std::int64_t max_timeout_ms = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t max_connections = 65536;
constexpr std::int64_t max_page_size = 100;         // the APIs' own bound on MaxResults and limit
constexpr std::int64_t max_store_mib = 1024 * 1024; // 1 TiB

[[noreturn]] void fail(std::string_view where, std::string_view problem) {
    std::string text(where);
    text.append(": ");
    text.append(problem);
    throw config_error(text);
}

// `"value"` with quotes and control characters escaped, so an error stays on one line.
std::string show(std::string_view value) {
    std::string out = "\"";
    for (char const ch : value) {
        auto const c = static_cast<unsigned char>(ch);
        if (ch == '"' || ch == '\\') {
            out.push_back('\\');
            out.push_back(ch);
        } else if (c < 0x20 || c == 0x7f) {
            constexpr char hex[] = "0123456789abcdef";
            out.append("\\x");
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0xf]);
        } else {
            out.push_back(ch);
        }
    }
    out.push_back('"');
    return out;
}

std::string join(std::initializer_list<std::string_view> names) {
    std::string out;
    for (std::string_view const name : names) {
        if (!out.empty())
            out.append(", ");
        out.append(name);
    }
    return out;
}

// --- value checks shared by the file, the environment and the flags ---------------------------
// `where` names the source: `ICEMU_X`, `--flag` or `conf/icemu.json: key.path`.

std::string one_of(std::string_view where, std::string_view value,
                   std::initializer_list<std::string_view> allowed) {
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end())
        fail(where, show(value) + " is not one of " + join(allowed));
    return std::string(value);
}

bool is_lower_hex(std::string_view s) noexcept {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool is_digits(std::string_view s) noexcept {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string account(std::string_view where, std::string_view value) {
    bool const aws = value.size() == 12 && is_digits(value);
    bool const huawei = value.size() == 32 && is_lower_hex(value);
    if (!aws && !huawei)
        fail(where, show(value) + " is not an account id (12 digits or 32 lowercase hex)");
    return std::string(value);
}

std::string non_empty(std::string_view where, std::string_view value) {
    if (value.empty())
        fail(where, "must not be empty");
    return std::string(value);
}

std::int64_t in_range(std::string_view where, std::int64_t value, std::int64_t min,
                      std::int64_t max) {
    if (value < min || value > max)
        fail(where, std::to_string(value) + " is not between " + std::to_string(min) + " and " +
                        std::to_string(max));
    return value;
}

// A whole string of decimal digits (no sign, no spaces) as an int64.
std::optional<std::int64_t> to_int64(std::string_view s) noexcept {
    if (!is_digits(s))
        return std::nullopt;
    std::int64_t value = 0;
    auto const [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size())
        return std::nullopt;
    return value;
}

std::int64_t int_in_range(std::string_view where, std::string_view text, std::int64_t min,
                          std::int64_t max) {
    auto const value = to_int64(text);
    if (!value || *value < min || *value > max)
        fail(where, show(text) + " is not an integer between " + std::to_string(min) + " and " +
                        std::to_string(max));
    return *value;
}

bool boolean(std::string_view where, std::string_view text) {
    if (text == "true" || text == "1")
        return true;
    if (text == "false" || text == "0")
        return false;
    fail(where, show(text) + " is not true, false, 1 or 0");
}

std::uint64_t seed_value(std::string_view where, std::string_view text) {
    std::uint64_t value = 0;
    auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (!is_digits(text) || ec != std::errc() || end != text.data() + text.size())
        fail(where, show(text) + " is not a non-negative 64-bit integer");
    return value;
}

// HOST:PORT (an IPv6 host in brackets) as host and port.
std::pair<std::string, std::uint16_t> parse_listen(std::string_view where, std::string_view value) {
    std::string_view host;
    std::string_view port;
    if (value.starts_with('[')) {
        auto const close = value.find("]:");
        if (close == std::string_view::npos)
            fail(where, show(value) + " is not HOST:PORT");
        host = value.substr(1, close - 1);
        port = value.substr(close + 2);
    } else {
        auto const colon = value.rfind(':');
        if (colon == std::string_view::npos)
            fail(where, show(value) + " is not HOST:PORT");
        host = value.substr(0, colon);
        port = value.substr(colon + 1);
        if (host.find(':') != std::string_view::npos)
            fail(where, show(value) + " is not HOST:PORT (write an IPv6 host as [::1]:PORT)");
    }
    if (host.empty() || host.find_first_of(" \t/") != std::string_view::npos)
        fail(where, show(value) + " is not HOST:PORT");
    auto const number = to_int64(port);
    if (!number)
        fail(where, show(value) + " is not HOST:PORT");
    if (*number > 65535)
        fail(where, show(value) + ": port " + std::string(port) + " is greater than 65535");
    return {std::string(host), static_cast<std::uint16_t>(*number)};
}

void set_listen(config& cfg, std::string_view where, std::string_view value) {
    std::tie(cfg.listen_host, cfg.listen_port) = parse_listen(where, value);
}

// The admin listener: HOST:PORT, or empty for none (the admin API stays on the main one).
void set_admin_listen(config& cfg, std::string_view where, std::string_view value) {
    if (value.empty()) {
        cfg.admin_listen_host.clear();
        cfg.admin_listen_port = 0;
        return;
    }
    std::tie(cfg.admin_listen_host, cfg.admin_listen_port) = parse_listen(where, value);
}

// ICEMU_AUTH_CREDENTIALS: `KEY:SECRET:ACCOUNT[:SESSION_TOKEN]`, comma-separated.
void set_credentials(config& cfg, std::string_view where, std::string_view value) {
    std::vector<credential> list;
    std::set<std::string, std::less<>> keys;
    std::string_view rest = value;
    for (std::size_t index = 1;; ++index) {
        auto const comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        std::string const at = std::string(where) + " item " + std::to_string(index);
        std::vector<std::string_view> fields;
        for (;;) {
            auto const colon = item.find(':');
            fields.push_back(item.substr(0, colon));
            if (colon == std::string_view::npos)
                break;
            item.remove_prefix(colon + 1);
        }
        if (fields.size() < 3 || fields.size() > 4)
            fail(at, "is not KEY:SECRET:ACCOUNT or KEY:SECRET:ACCOUNT:SESSION_TOKEN");
        credential c;
        c.access_key_id = non_empty(at + " key", fields[0]);
        c.secret_access_key = non_empty(at + " secret", fields[1]);
        c.account_id = account(at + " account", fields[2]);
        if (fields.size() == 4)
            c.session_token = non_empty(at + " session token", fields[3]);
        if (!keys.insert(c.access_key_id).second)
            fail(at, show(c.access_key_id) + " is listed more than once");
        list.push_back(std::move(c));
        if (comma == std::string_view::npos)
            break;
    }
    cfg.credentials = std::move(list);
}

void set_delays(config& cfg, std::string_view where, std::int64_t min, std::int64_t max,
                std::string_view shown) {
    if (min < 0 || max < 0)
        fail(where, std::string(shown) + ": delays must not be negative");
    if (min > max)
        fail(where, std::string(shown) + ": min is greater than max");
    if (max > max_delay_ms)
        fail(where, std::string(shown) + ": delays are limited to " + std::to_string(max_delay_ms) +
                        " ms (one day)");
    cfg.scheduler.delay_min_ms = min;
    cfg.scheduler.delay_max_ms = max;
}

// `N` or `MIN-MAX`.
void set_delay_text(config& cfg, std::string_view where, std::string_view text) {
    auto const dash = text.find('-');
    auto const min = to_int64(text.substr(0, dash));
    auto const max = dash == std::string_view::npos ? min : to_int64(text.substr(dash + 1));
    if (!min || !max)
        fail(where, show(text) + " is not N or MIN-MAX (milliseconds)");
    set_delays(cfg, where, *min, *max, show(text));
}

std::string instance_id(std::string_view where, std::string_view value) {
    std::string_view hex = value;
    if (hex.starts_with("ssoins-"))
        hex.remove_prefix(7);
    else if (hex.starts_with("ins-"))
        hex.remove_prefix(4);
    if (hex.size() != 16 || !is_lower_hex(hex))
        fail(where,
             show(value) +
                 " is not an instance id (16 lowercase hex, ssoins-<16 hex> or ins-<16 hex>)");
    return std::string(hex);
}

std::string identity_store_id(std::string_view where, std::string_view value) {
    // The AWS model's IdentityStoreId: d-<10 hex> or a UUID.
    bool ok = value.size() == 12 && value.starts_with("d-") && is_lower_hex(value.substr(2));
    if (!ok && value.size() == 36) {
        ok = true;
        for (std::size_t i = 0; i < value.size(); ++i) {
            bool const dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? value[i] != '-' : !is_lower_hex(value.substr(i, 1)))
                ok = false;
        }
    }
    if (!ok)
        fail(where, show(value) + " is not an identity store id (d-<10 hex> or a UUID)");
    return std::string(value);
}

// An AWS managed policy ARN, as the sso-admin model's ManagedPolicyArn pattern says (any
// partition, a path of segments, a name).
std::string managed_policy_arn(std::string_view where, std::string_view value) {
    static std::regex const pattern(
        R"(arn:aws(-[a-z]{1,5}){0,3}:iam::aws:policy(/[A-Za-z0-9.,+@=_-]+)*/[A-Za-z0-9.,+=@_-]+)");
    if (value.size() > 2048 || !std::regex_match(value.begin(), value.end(), pattern))
        fail(where, show(value) +
                        " is not an AWS managed policy ARN (arn:aws:iam::aws:policy/[path/]Name)");
    return std::string(value);
}

// ICEMU_AWS_EXTRA_MANAGED_POLICIES: ARNs, comma-separated (empty: none).
void set_extra_managed_policies(config& cfg, std::string_view where, std::string_view value) {
    std::vector<std::string> list;
    std::string_view rest = value;
    for (std::size_t index = 1; !value.empty(); ++index) {
        auto const comma = rest.find(',');
        list.push_back(managed_policy_arn(std::string(where) + " item " + std::to_string(index),
                                          rest.substr(0, comma)));
        if (comma == std::string_view::npos)
            break;
        rest.remove_prefix(comma + 1);
    }
    cfg.extra_managed_policies = std::move(list);
}

// --- the JSON file ------------------------------------------------------------------------------

using json_value = rapidjson::Value;

constexpr std::size_t max_faults_depth = 32;

// The nesting depth of `root` (1 for a scalar), walked without recursion.
std::size_t depth_of(json_value const& root) {
    std::size_t deepest = 0;
    std::vector<std::pair<json_value const*, std::size_t>> pending{{&root, 1}};
    while (!pending.empty()) {
        auto const [v, depth] = pending.back();
        pending.pop_back();
        deepest = std::max(deepest, depth);
        if (v->IsObject()) {
            for (auto const& m : v->GetObject())
                pending.emplace_back(&m.value, depth + 1);
        } else if (v->IsArray()) {
            for (auto const& item : v->GetArray())
                pending.emplace_back(&item, depth + 1);
        }
    }
    return deepest;
}

class file_reader {
public:
    file_reader(config& cfg, std::string file) : cfg_(cfg), file_(std::move(file)) {}

    void read(json_value const& root) {
        if (!root.IsObject())
            throw config_error(file_ + ": the top level must be a JSON object");
        for (auto const& m : root.GetObject()) {
            std::string_view const key = name(m);
            json_value const& v = m.value;
            if (key == "listen") {
                set_listen(cfg_, at(key), string(v, key));
            } else if (key == "db") {
                cfg_.db = non_empty(at(key), string(v, key));
            } else if (key == "threads") {
                cfg_.threads = in_range(at(key), integer(v, key), 1, 64);
            } else if (key == "log") {
                log(v);
            } else if (key == "scheduler") {
                scheduler(v);
            } else if (key == "auth") {
                auth(v);
            } else if (key == "admin") {
                admin(v);
            } else if (key == "store") {
                store(v);
            } else if (key == "limits") {
                limits(v);
            } else if (key == "initial_state") {
                initial_state(v);
            } else if (key == "faults") {
                faults(v);
            } else if (key == "fixtures") {
                cfg_.fixtures = string(v, key);
            } else if (key == "aws") {
                aws(v);
            } else {
                unknown(key);
            }
        }
    }

private:
    static std::string_view name(json_value::ConstMemberIterator::Reference m) {
        return {m.name.GetString(), m.name.GetStringLength()};
    }

    std::string at(std::string_view path) const { return file_ + ": " + std::string(path); }

    [[noreturn]] void unknown(std::string_view path) const {
        throw config_error("unknown key " + show(path) + " in " + file_);
    }

    [[noreturn]] void wrong_type(std::string_view path, char const* expected,
                                 json_value const& v) const {
        char const* got = "null";
        if (v.IsBool())
            got = "a boolean";
        else if (v.IsNumber())
            got = "a number";
        else if (v.IsString())
            got = "a string";
        else if (v.IsArray())
            got = "an array";
        else if (v.IsObject())
            got = "an object";
        fail(at(path), std::string("expected ") + expected + ", got " + got);
    }

    std::string_view string(json_value const& v, std::string_view path) const {
        if (!v.IsString())
            wrong_type(path, "a string", v);
        return {v.GetString(), v.GetStringLength()};
    }

    std::int64_t integer(json_value const& v, std::string_view path) const {
        if (!v.IsInt64())
            wrong_type(path, "an integer", v);
        return v.GetInt64();
    }

    bool boolean_value(json_value const& v, std::string_view path) const {
        if (!v.IsBool())
            wrong_type(path, "a boolean", v);
        return v.GetBool();
    }

    void object(json_value const& v, std::string_view path) const {
        if (!v.IsObject())
            wrong_type(path, "an object", v);
    }

    void log(json_value const& v) {
        object(v, "log");
        for (auto const& m : v.GetObject()) {
            std::string const path = "log." + std::string(name(m));
            if (name(m) == "level")
                cfg_.log_level =
                    one_of(at(path), string(m.value, path), {"debug", "info", "warn", "error"});
            else if (name(m) == "format")
                cfg_.log_format = one_of(at(path), string(m.value, path), {"text", "json"});
            else
                unknown(path);
        }
    }

    void scheduler(json_value const& v) {
        object(v, "scheduler");
        for (auto const& m : v.GetObject()) {
            std::string const path = "scheduler." + std::string(name(m));
            json_value const& value = m.value;
            if (name(m) == "mode") {
                cfg_.scheduler.mode =
                    one_of(at(path), string(value, path), {"auto", "polls", "manual"});
            } else if (name(m) == "delay_ms") {
                delay(value, path);
            } else if (name(m) == "polls") {
                cfg_.scheduler.polls = in_range(at(path), integer(value, path), 1,
                                                std::numeric_limits<std::int32_t>::max());
            } else if (name(m) == "seed") {
                if (!value.IsUint64())
                    wrong_type(path, "a non-negative 64-bit integer", value);
                cfg_.scheduler.seed = value.GetUint64();
            } else {
                unknown(path);
            }
        }
    }

    // {"min": N, "max": N} (either may be left out), or a plain N for both.
    void delay(json_value const& v, std::string const& path) {
        if (v.IsNumber()) {
            std::int64_t const n = integer(v, path);
            set_delays(cfg_, at(path), n, n, std::to_string(n));
            return;
        }
        object(v, path);
        std::int64_t min = cfg_.scheduler.delay_min_ms;
        std::int64_t max = cfg_.scheduler.delay_max_ms;
        for (auto const& m : v.GetObject()) {
            std::string const sub = path + "." + std::string(name(m));
            if (name(m) == "min")
                min = integer(m.value, sub);
            else if (name(m) == "max")
                max = integer(m.value, sub);
            else
                unknown(sub);
        }
        set_delays(cfg_, at(path), min, max,
                   "min " + std::to_string(min) + ", max " + std::to_string(max));
    }

    void auth(json_value const& v) {
        object(v, "auth");
        for (auto const& m : v.GetObject()) {
            std::string const path = "auth." + std::string(name(m));
            if (name(m) == "mode")
                cfg_.auth_mode = one_of(at(path), string(m.value, path), {"open", "verify"});
            else if (name(m) == "default_account_id")
                cfg_.default_account_id = account(at(path), string(m.value, path));
            else if (name(m) == "credentials")
                credentials(m.value, path);
            else
                unknown(path);
        }
    }

    void credentials(json_value const& v, std::string const& path) {
        if (!v.IsArray())
            wrong_type(path, "an array", v);
        std::vector<credential> list;
        std::set<std::string, std::less<>> keys;
        for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
            std::string const item = path + "[" + std::to_string(i) + "]";
            object(v[i], item);
            credential c;
            for (auto const& m : v[i].GetObject()) {
                std::string const sub = item + "." + std::string(name(m));
                if (name(m) == "access_key_id")
                    c.access_key_id = non_empty(at(sub), string(m.value, sub));
                else if (name(m) == "secret_access_key")
                    c.secret_access_key = non_empty(at(sub), string(m.value, sub));
                else if (name(m) == "account_id")
                    c.account_id = account(at(sub), string(m.value, sub));
                else if (name(m) == "session_token")
                    c.session_token = non_empty(at(sub), string(m.value, sub));
                else
                    unknown(sub);
            }
            for (auto const* required : {"access_key_id", "secret_access_key", "account_id"})
                if (!v[i].HasMember(required))
                    fail(at(item), std::string("missing \"") + required + "\"");
            if (!keys.insert(c.access_key_id).second)
                fail(at(item + ".access_key_id"),
                     show(c.access_key_id) + " is listed more than once");
            list.push_back(std::move(c));
        }
        cfg_.credentials = std::move(list);
    }

    void admin(json_value const& v) {
        object(v, "admin");
        for (auto const& m : v.GetObject()) {
            std::string const path = "admin." + std::string(name(m));
            if (name(m) == "listen")
                set_admin_listen(cfg_, at(path), string(m.value, path));
            else if (name(m) == "token")
                cfg_.admin_token = std::string(string(m.value, path));
            else
                unknown(path);
        }
    }

    void store(json_value const& v) {
        object(v, "store");
        for (auto const& m : v.GetObject()) {
            std::string const path = "store." + std::string(name(m));
            if (name(m) == "synchronous")
                cfg_.store_synchronous =
                    one_of(at(path), string(m.value, path), {"normal", "full"});
            else if (name(m) == "cache_kib")
                cfg_.store_cache_kib =
                    in_range(at(path), integer(m.value, path), 1, 4 * 1024 * 1024);
            else if (name(m) == "mmap_mib")
                cfg_.store_mmap_mib = in_range(at(path), integer(m.value, path), 0, 1024 * 1024);
            else if (name(m) == "max_size_mib")
                cfg_.store_max_size_mib =
                    in_range(at(path), integer(m.value, path), 0, max_store_mib);
            else if (name(m) == "read_only")
                cfg_.store_read_only = boolean_value(m.value, path);
            else
                unknown(path);
        }
    }

    void limits(json_value const& v) {
        object(v, "limits");
        for (auto const& m : v.GetObject()) {
            std::string const path = "limits." + std::string(name(m));
            if (name(m) == "max_body_bytes") {
                cfg_.max_body_bytes = static_cast<std::size_t>(
                    in_range(at(path), integer(m.value, path), min_body_bytes, max_body_bytes));
            } else if (name(m) == "idle_timeout_ms") {
                cfg_.idle_timeout = std::chrono::milliseconds(
                    in_range(at(path), integer(m.value, path), min_timeout_ms, max_timeout_ms));
            } else if (name(m) == "max_header_bytes") {
                cfg_.max_header_bytes = static_cast<std::size_t>(
                    in_range(at(path), integer(m.value, path), min_header_bytes, max_header_bytes));
            } else if (name(m) == "request_timeout_ms") {
                cfg_.request_timeout = std::chrono::milliseconds(
                    in_range(at(path), integer(m.value, path), min_timeout_ms, max_timeout_ms));
            } else if (name(m) == "max_connections") {
                cfg_.max_connections =
                    in_range(at(path), integer(m.value, path), 1, max_connections);
            } else if (name(m) == "max_page_size") {
                cfg_.max_page_size = in_range(at(path), integer(m.value, path), 1, max_page_size);
            } else {
                unknown(path);
            }
        }
    }

    void initial_state(json_value const& v) {
        object(v, "initial_state");
        for (auto const& m : v.GetObject()) {
            std::string const path = "initial_state." + std::string(name(m));
            if (name(m) == "instances")
                instances(m.value, path);
            else
                unknown(path);
        }
    }

    void instances(json_value const& v, std::string const& path) {
        if (!v.IsArray())
            wrong_type(path, "an array", v);
        std::vector<instance_config> list;
        std::set<std::string, std::less<>> owners;
        std::set<std::string, std::less<>> ids;
        for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
            std::string const item = path + "[" + std::to_string(i) + "]";
            object(v[i], item);
            instance_config inst;
            for (auto const& m : v[i].GetObject()) {
                std::string const sub = item + "." + std::string(name(m));
                if (name(m) == "owner_account_id")
                    inst.owner_account_id = account(at(sub), string(m.value, sub));
                else if (name(m) == "instance_id")
                    inst.instance_id = instance_id(at(sub), string(m.value, sub));
                else if (name(m) == "identity_store_id")
                    inst.identity_store_id = identity_store_id(at(sub), string(m.value, sub));
                else if (name(m) == "name")
                    inst.name = std::string(string(m.value, sub));
                else
                    unknown(sub);
            }
            if (inst.owner_account_id.empty())
                fail(at(item), "missing \"owner_account_id\"");
            // One instance per owner account, as the AWS model says.
            if (!owners.insert(inst.owner_account_id).second)
                fail(at(item + ".owner_account_id"),
                     show(inst.owner_account_id) + " owns more than one instance");
            if (!inst.instance_id.empty() && !ids.insert(inst.instance_id).second)
                fail(at(item + ".instance_id"),
                     show(inst.instance_id) + " is listed more than once");
            list.push_back(std::move(inst));
        }
        cfg_.instances = std::move(list);
    }

    void aws(json_value const& v) {
        object(v, "aws");
        for (auto const& m : v.GetObject()) {
            std::string const path = "aws." + std::string(name(m));
            if (name(m) != "extra_managed_policies")
                unknown(path);
            if (!m.value.IsArray())
                wrong_type(path, "an array", m.value);
            std::vector<std::string> list;
            for (rapidjson::SizeType i = 0; i < m.value.Size(); ++i) {
                std::string const item = path + "[" + std::to_string(i) + "]";
                list.push_back(managed_policy_arn(at(item), string(m.value[i], item)));
            }
            cfg_.extra_managed_policies = std::move(list);
        }
    }

    void faults(json_value const& v) {
        object(v, "faults");
        // Writing it back recurses once per level: a rule is 4 levels deep, so 32 is plenty.
        if (depth_of(v) > max_faults_depth)
            fail(at("faults"),
                 "nested deeper than " + std::to_string(max_faults_depth) + " levels");
        rapidjson::StringBuffer text;
        rapidjson::Writer<rapidjson::StringBuffer> writer(text);
        v.Accept(writer);
        cfg_.faults_json.assign(text.GetString(), text.GetSize());
    }

    config& cfg_;
    std::string file_;
};

std::string read_file(std::string const& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw config_error("cannot read config file " + show(path) + ": it is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw config_error("cannot read config file " + show(path) + ": " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        throw config_error("cannot read config file " + show(path) + ": " + std::strerror(errno));
    return std::move(text).str();
}

void apply_file(config& cfg, std::string const& path) {
    apply_config_text(cfg, read_file(path), path);
}

// --- environment and flags ----------------------------------------------------------------------

// One setting that both an ICEMU_* variable and a flag can set.
struct setting {
    std::string_view env;
    std::string_view flag;
    void (*apply)(config&, std::string_view where, std::string_view value);
};

constexpr setting settings[] = {
    {"ICEMU_LISTEN", "--listen",
     [](config& c, std::string_view w, std::string_view v) { set_listen(c, w, v); }},
    {"ICEMU_PORT_FILE", "--port-file",
     [](config& c, std::string_view w, std::string_view v) { c.port_file = non_empty(w, v); }},
    {"ICEMU_DB", "--db",
     [](config& c, std::string_view w, std::string_view v) { c.db = non_empty(w, v); }},
    {"ICEMU_THREADS", "--threads",
     [](config& c, std::string_view w, std::string_view v) {
         c.threads = int_in_range(w, v, 1, 64);
     }},
    {"ICEMU_LOG_LEVEL", "--log-level",
     [](config& c, std::string_view w, std::string_view v) {
         c.log_level = one_of(w, v, {"debug", "info", "warn", "error"});
     }},
    {"ICEMU_LOG_FORMAT", "--log-format",
     [](config& c, std::string_view w, std::string_view v) {
         c.log_format = one_of(w, v, {"text", "json"});
     }},
    {"ICEMU_SCHEDULER_MODE", "--scheduler-mode",
     [](config& c, std::string_view w, std::string_view v) {
         c.scheduler.mode = one_of(w, v, {"auto", "polls", "manual"});
     }},
    {"ICEMU_SCHEDULER_DELAY_MS", "--scheduler-delay-ms",
     [](config& c, std::string_view w, std::string_view v) { set_delay_text(c, w, v); }},
    {"ICEMU_SCHEDULER_POLLS", "--scheduler-polls",
     [](config& c, std::string_view w, std::string_view v) {
         c.scheduler.polls = int_in_range(w, v, 1, std::numeric_limits<std::int32_t>::max());
     }},
    {"ICEMU_SCHEDULER_SEED", "--scheduler-seed",
     [](config& c, std::string_view w, std::string_view v) {
         c.scheduler.seed = seed_value(w, v);
     }},
    {"ICEMU_AUTH_MODE", "--auth-mode",
     [](config& c, std::string_view w, std::string_view v) {
         c.auth_mode = one_of(w, v, {"open", "verify"});
     }},
    // Secrets on a command line are visible to every user (ps): the credentials have no flag.
    {"ICEMU_AUTH_CREDENTIALS", "",
     [](config& c, std::string_view w, std::string_view v) { set_credentials(c, w, v); }},
    {"ICEMU_ADMIN_LISTEN", "--admin-listen",
     [](config& c, std::string_view w, std::string_view v) { set_admin_listen(c, w, v); }},
    {"ICEMU_ADMIN_PORT_FILE", "--admin-port-file",
     [](config& c, std::string_view w, std::string_view v) {
         c.admin_port_file = non_empty(w, v);
     }},
    {"ICEMU_ADMIN_TOKEN", "--admin-token",
     [](config& c, std::string_view, std::string_view v) { c.admin_token = std::string(v); }},
    {"ICEMU_DEFAULT_ACCOUNT_ID", "--default-account-id",
     [](config& c, std::string_view w, std::string_view v) {
         c.default_account_id = account(w, v);
     }},
    {"ICEMU_FIXTURES", "--fixtures",
     [](config& c, std::string_view, std::string_view v) { c.fixtures = std::string(v); }},
    {"ICEMU_STORE_SYNCHRONOUS", "--store-synchronous",
     [](config& c, std::string_view w, std::string_view v) {
         c.store_synchronous = one_of(w, v, {"normal", "full"});
     }},
    {"ICEMU_MAX_BODY_BYTES", "--max-body-bytes",
     [](config& c, std::string_view w, std::string_view v) {
         c.max_body_bytes =
             static_cast<std::size_t>(int_in_range(w, v, min_body_bytes, max_body_bytes));
     }},
    {"ICEMU_MAX_HEADER_BYTES", "--max-header-bytes",
     [](config& c, std::string_view w, std::string_view v) {
         c.max_header_bytes =
             static_cast<std::size_t>(int_in_range(w, v, min_header_bytes, max_header_bytes));
     }},
    {"ICEMU_IDLE_TIMEOUT_MS", "--idle-timeout-ms",
     [](config& c, std::string_view w, std::string_view v) {
         c.idle_timeout =
             std::chrono::milliseconds(int_in_range(w, v, min_timeout_ms, max_timeout_ms));
     }},
    {"ICEMU_REQUEST_TIMEOUT_MS", "--request-timeout-ms",
     [](config& c, std::string_view w, std::string_view v) {
         c.request_timeout =
             std::chrono::milliseconds(int_in_range(w, v, min_timeout_ms, max_timeout_ms));
     }},
    {"ICEMU_MAX_CONNECTIONS", "--max-connections",
     [](config& c, std::string_view w, std::string_view v) {
         c.max_connections = int_in_range(w, v, 1, max_connections);
     }},
    {"ICEMU_MAX_PAGE_SIZE", "--max-page-size",
     [](config& c, std::string_view w, std::string_view v) {
         c.max_page_size = int_in_range(w, v, 1, max_page_size);
     }},
    {"ICEMU_STORE_MAX_SIZE_MIB", "--store-max-size-mib",
     [](config& c, std::string_view w, std::string_view v) {
         c.store_max_size_mib = int_in_range(w, v, 0, max_store_mib);
     }},
    {"ICEMU_STORE_READ_ONLY", "--store-read-only",
     [](config& c, std::string_view w, std::string_view v) { c.store_read_only = boolean(w, v); }},
    {"ICEMU_AWS_EXTRA_MANAGED_POLICIES", "--aws-extra-managed-policies",
     [](config& c, std::string_view w, std::string_view v) {
         set_extra_managed_policies(c, w, v);
     }},
};

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
                                   " (one command: serve or healthcheck)");
            if (arg == "serve")
                out.cmd = command::serve;
            else if (arg == "healthcheck")
                out.cmd = command::healthcheck;
            else
                throw config_error("unknown command " + show(arg) +
                                   " (commands: serve, healthcheck)");
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
        setting const* found = nullptr;
        for (setting const& s : settings)
            if (s.flag == flag)
                found = &s;
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

} // namespace

void apply_config_text(config& cfg, std::string_view text, std::string const& file) {
    rapidjson::Document doc;
    // Iterative: a file of 100,000 `[` must be refused, not overflow the stack.
    doc.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
    if (doc.HasParseError())
        throw config_error(file + ": invalid JSON at offset " +
                           std::to_string(doc.GetErrorOffset()) + ": " +
                           rapidjson::GetParseError_En(doc.GetParseError()));
    file_reader(cfg, file).read(doc);
    cfg.config_file = file;
}

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

    std::optional<std::string> file = args.config_file;
    if (!file) {
        if (auto const env = env_value(envp, "ICEMU_CONFIG"); env && !env->empty())
            file = std::string(*env);
    }
    if (file) {
        apply_file(out.cfg, *file);
    } else {
        std::error_code ec;
        std::filesystem::file_status const st =
            std::filesystem::status(std::string(default_config_path), ec);
        // Absent is fine; present but unreadable is an error like any other file's.
        if (std::filesystem::exists(st) || (ec && ec != std::errc::no_such_file_or_directory))
            apply_file(out.cfg, std::string(default_config_path));
    }

    for (setting const& s : settings)
        if (auto const value = env_value(envp, s.env))
            s.apply(out.cfg, s.env, *value);
    for (auto const& [s, value] : args.values)
        s->apply(out.cfg, s->flag, value);
    if (out.cfg.auth_mode == "verify" && out.cfg.credentials.empty())
        throw config_error(
            "auth.mode is \"verify\" but no credential is configured (auth.credentials in the "
            "config file, or ICEMU_AUTH_CREDENTIALS)");
    if (!out.cfg.admin_port_file.empty() && out.cfg.admin_listen_host.empty())
        throw config_error("--admin-port-file needs an admin listener (--admin-listen)");
    if (out.cfg.store_read_only && out.cfg.db == ":memory:")
        throw config_error("store.read_only: an in-memory store (:memory:) cannot be read-only");
    return out;
}

std::string usage() {
    return R"(usage: icemu [serve|healthcheck] [flags]

A local emulator of the IAM Identity Center provisioning API (AWS sso-admin and Huawei Cloud).

commands:
  serve                        run the server (default)
  healthcheck                  ask the configured address's /_icemu/health; exit 0 when healthy, else 1

flags (each also --flag=value; flags override ICEMU_* variables, which override the file):
  --config FILE                JSON configuration (ICEMU_CONFIG; default conf/icemu.json when present)
  --listen HOST:PORT           listen address, port 0 picks one (ICEMU_LISTEN; 127.0.0.1:4577)
  --port-file PATH             write the bound port there once listening (ICEMU_PORT_FILE)
  --db PATH                    SQLite file, :memory: for none (ICEMU_DB; ./icemu.db)
  --threads N                  1-64 (ICEMU_THREADS; 1)
  --log-level L                debug|info|warn|error (ICEMU_LOG_LEVEL; info)
  --log-format F               text|json (ICEMU_LOG_FORMAT; text)
  --scheduler-mode M           auto|polls|manual (ICEMU_SCHEDULER_MODE; auto)
  --scheduler-delay-ms N|MIN-MAX   settlement delay in auto mode (ICEMU_SCHEDULER_DELAY_MS; 1000-3000)
  --scheduler-polls N          Describe calls that settle a request in polls mode (ICEMU_SCHEDULER_POLLS; 1)
  --scheduler-seed N           seed of delays and probabilities (ICEMU_SCHEDULER_SEED; 0)
  --auth-mode M                open|verify (ICEMU_AUTH_MODE; open); verify needs credentials:
                               auth.credentials in the file, or ICEMU_AUTH_CREDENTIALS=
                               KEY:SECRET:ACCOUNT[:SESSION_TOKEN],... (no flag: ps shows flags)
  --admin-listen HOST:PORT     serve the admin API (/_icemu/) on its own address only; the main
                               address keeps /_icemu/health (ICEMU_ADMIN_LISTEN; none)
  --admin-port-file PATH       write the admin listener's port there (ICEMU_ADMIN_PORT_FILE)
  --admin-token TOKEN          admin calls but health need "Authorization: Bearer TOKEN" or
                               "X-Icemu-Admin-Token: TOKEN" (ICEMU_ADMIN_TOKEN; none)
  --default-account-id ID      caller account when none is known (ICEMU_DEFAULT_ACCOUNT_ID)
  --fixtures PATH              JSON file or folder loaded at first start (ICEMU_FIXTURES)
  --store-synchronous S        normal|full (ICEMU_STORE_SYNCHRONOUS; normal)
  --max-body-bytes N           1024-67108864 (ICEMU_MAX_BODY_BYTES; 1048576)
  --max-header-bytes N         request line + headers, 1024-1048576; more: 431 (ICEMU_MAX_HEADER_BYTES; 16384)
  --max-connections N          open connections, 1-65536; more: 503 (ICEMU_MAX_CONNECTIONS; 1024)
  --request-timeout-ms N       a request must arrive whole within it, else 408 (ICEMU_REQUEST_TIMEOUT_MS; 10000)
  --idle-timeout-ms N          close a keep-alive connection idle that long (ICEMU_IDLE_TIMEOUT_MS; 60000)
  --max-page-size N            largest page a list answers, 1-100 (ICEMU_MAX_PAGE_SIZE; 100)
  --store-max-size-mib N       database size limit, 0 for none; beyond: writes fail (ICEMU_STORE_MAX_SIZE_MIB; 0)
  --store-read-only B          true|false: serve a database without writing to it (ICEMU_STORE_READ_ONLY; false)
  --aws-extra-managed-policies ARN,...
                               AWS managed policies the built-in catalogue lacks
                               (ICEMU_AWS_EXTRA_MANAGED_POLICIES; none)
  -h, --help                   show this text
  --version                    print the version
)";
}

} // namespace icemu::server
