#include "server/config_values.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <regex>
#include <set>

#include "ids/ids.hpp"

namespace icemu::server {

std::string_view to_string(scheduler_mode value) noexcept {
    return config_detail::scheduler_mode_names[static_cast<std::size_t>(value)];
}

std::string_view to_string(log_format value) noexcept {
    return config_detail::log_format_names[static_cast<std::size_t>(value)];
}

std::string_view to_string(auth_mode value) noexcept {
    return config_detail::auth_mode_names[static_cast<std::size_t>(value)];
}

std::string_view to_string(store_synchronous value) noexcept {
    return config_detail::store_synchronous_names[static_cast<std::size_t>(value)];
}

} // namespace icemu::server

namespace icemu::server::config_detail {
namespace {

// A whole string of decimal digits (no sign, no spaces) as an int64.
std::optional<std::int64_t> to_int64(std::string_view s) noexcept {
    if (!ids::is_digits(s))
        return std::nullopt;
    std::int64_t value = 0;
    auto const [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size())
        return std::nullopt;
    return value;
}

// The comma-separated items of `text`, in order (one empty item for an empty text).
std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> out;
    for (;;) {
        auto const at = text.find(separator);
        out.push_back(text.substr(0, at));
        if (at == std::string_view::npos)
            return out;
        text.remove_prefix(at + 1);
    }
}

} // namespace

[[noreturn]] void fail(std::string_view where, std::string_view problem) {
    std::string text(where);
    text.append(": ");
    text.append(problem);
    throw config_error(text);
}

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

std::string json_string(std::string_view value) {
    rapidjson::StringBuffer text;
    rapidjson::Writer<rapidjson::StringBuffer> writer(text);
    writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    return {text.GetString(), text.GetSize()};
}

std::string join(std::span<std::string_view const> names, std::string_view separator) {
    std::string out;
    for (std::string_view const name : names) {
        if (!out.empty())
            out.append(separator);
        out.append(name);
    }
    return out;
}

std::size_t one_of(std::string_view where, std::string_view value,
                   std::span<std::string_view const> allowed) {
    auto const found = std::find(allowed.begin(), allowed.end(), value);
    if (found == allowed.end())
        fail(where, show(value) + " is not one of " + join(allowed));
    return static_cast<std::size_t>(found - allowed.begin());
}

std::string non_empty(std::string_view where, std::string_view value) {
    if (value.empty())
        fail(where, "must not be empty");
    return std::string(value);
}

std::string account(std::string_view where, std::string_view value) {
    if (!ids::is_account(value))
        fail(where, show(value) + " is not an account id (12 digits or 32 lowercase hex)");
    return std::string(value);
}

std::string instance_id(std::string_view where, std::string_view value) {
    auto const hex = ids::instance_id(value, {.hex = true, .ssoins = true, .ins = true});
    if (!hex)
        fail(where,
             show(value) +
                 " is not an instance id (16 lowercase hex, ssoins-<16 hex> or ins-<16 hex>)");
    return std::string(*hex);
}

std::string identity_store_id(std::string_view where, std::string_view value) {
    if (!ids::is_identity_store_id(value))
        fail(where, show(value) + " is not an identity store id (d-<10 hex> or a UUID)");
    return std::string(value);
}

// Any partition, a path of segments, a name.
std::string managed_policy_arn(std::string_view where, std::string_view value) {
    static std::regex const pattern(
        R"(arn:aws(-[a-z]{1,5}){0,3}:iam::aws:policy(/[A-Za-z0-9.,+@=_-]+)*/[A-Za-z0-9.,+=@_-]+)");
    if (value.size() > 2048 || !std::regex_match(value.begin(), value.end(), pattern))
        fail(where, show(value) +
                        " is not an AWS managed policy ARN (arn:aws:iam::aws:policy/[path/]Name)");
    return std::string(value);
}

std::string aws_region(std::string_view where, std::string_view value) {
    static std::regex const pattern(R"(([a-z]+-){2,3}\d)");
    if (value.empty() || value.size() > 32 ||
        !std::regex_match(value.begin(), value.end(), pattern))
        fail(where, show(value) + " is not an AWS Region name (like us-east-1)");
    return std::string(value);
}

std::int64_t in_range(std::string_view where, std::int64_t value, std::int64_t min,
                      std::int64_t max) {
    if (value < min || value > max)
        fail(where, std::to_string(value) + " is not between " + std::to_string(min) + " and " +
                        std::to_string(max));
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
    if (!ids::is_digits(text) || ec != std::errc() || end != text.data() + text.size())
        fail(where, show(text) + " is not a non-negative 64-bit integer");
    return value;
}

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

std::string host_port(std::string_view host, std::uint16_t port) {
    std::string out = host.find(':') == std::string_view::npos ? std::string(host)
                                                               : "[" + std::string(host) + "]";
    return out + ":" + std::to_string(port);
}

std::vector<credential> credentials_text(std::string_view where, std::string_view value) {
    std::vector<credential> list;
    std::set<std::string, std::less<>> keys;
    std::size_t index = 0;
    for (std::string_view const item : split(value, ',')) {
        std::string const at = std::string(where) + " item " + std::to_string(++index);
        std::vector<std::string_view> const fields = split(item, ':');
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
    }
    return list;
}

void set_delays(config& cfg, std::string_view where, std::int64_t min, std::int64_t max,
                std::string_view shown) {
    constexpr std::int64_t max_delay_ms = 24LL * 60 * 60 * 1000; // one day
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

void set_delay_text(config& cfg, std::string_view where, std::string_view text) {
    auto const dash = text.find('-');
    auto const min = to_int64(text.substr(0, dash));
    auto const max = dash == std::string_view::npos ? min : to_int64(text.substr(dash + 1));
    if (!min || !max)
        fail(where, show(text) + " is not N or MIN-MAX (milliseconds)");
    set_delays(cfg, where, *min, *max, show(text));
}

std::vector<std::string> list_text(std::string_view where, std::string_view text,
                                   std::string (*item)(std::string_view, std::string_view)) {
    std::vector<std::string> list;
    if (text.empty())
        return list;
    std::size_t index = 0;
    for (std::string_view const value : split(text, ','))
        list.push_back(item(std::string(where) + " item " + std::to_string(++index), value));
    return list;
}

// --- the JSON file --------------------------------------------------------------------------

json_place json_place::member(std::string_view name) const {
    return {file, path.empty() ? std::string(name) : path + "." + std::string(name)};
}

json_place json_place::item(std::size_t index) const {
    return {file, path + "[" + std::to_string(index) + "]"};
}

void json_place::unknown() const {
    throw config_error("unknown key " + show(path) + " in " + file);
}

void json_wrong_type(rapidjson::Value const& v, json_place const& at, char const* expected) {
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
    fail(at.where(), std::string("expected ") + expected + ", got " + got);
}

std::string_view json_name(rapidjson::Value const& name) {
    return {name.GetString(), name.GetStringLength()};
}

std::string_view json_text(rapidjson::Value const& v, json_place const& at) {
    if (!v.IsString())
        json_wrong_type(v, at, "a string");
    return {v.GetString(), v.GetStringLength()};
}

std::int64_t json_integer(rapidjson::Value const& v, json_place const& at) {
    if (!v.IsInt64())
        json_wrong_type(v, at, "an integer");
    return v.GetInt64();
}

bool json_boolean(rapidjson::Value const& v, json_place const& at) {
    if (!v.IsBool())
        json_wrong_type(v, at, "a boolean");
    return v.GetBool();
}

void json_object(rapidjson::Value const& v, json_place const& at) {
    if (!v.IsObject())
        json_wrong_type(v, at, "an object");
}

void json_array(rapidjson::Value const& v, json_place const& at) {
    if (!v.IsArray())
        json_wrong_type(v, at, "an array");
}

} // namespace icemu::server::config_detail
