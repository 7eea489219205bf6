#pragma once
// The checks of configuration values, shared by the file reader, the variables and the flags
// (server/config*.cpp only). `where` names the source: `ICEMU_X`, `--flag` or `FILE: key.path`;
// every check throws config_error as `<where>: <problem>`, on one line. `config_detail`, because
// these are the configuration's own and not the server's.

#include <rapidjson/fwd.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/config.hpp"

namespace icemu::server::config_detail {

/// Throws config_error("<where>: <problem>").
[[noreturn]] void fail(std::string_view where, std::string_view problem);

/// `"value"` with quotes and control characters escaped, so that an error stays on one line.
std::string show(std::string_view value);

/// `value` as a JSON string, quotes included.
std::string json_string(std::string_view value);

/// The names, comma-separated ("a, b, c").
std::string join(std::span<std::string_view const> names, std::string_view separator = ", ");

/// The index of `value` in `allowed`; throws "... is not one of a, b" otherwise.
std::size_t one_of(std::string_view where, std::string_view value,
                   std::span<std::string_view const> allowed);

/// The names the configuration gives the enumerators of E, in their order.
template <typename E>
inline constexpr std::span<std::string_view const> names_of{};

inline constexpr std::string_view log_level_names[] = {"debug", "info", "warn", "error"};
inline constexpr std::string_view log_format_names[] = {"text", "json"};
inline constexpr std::string_view scheduler_mode_names[] = {"auto", "polls", "manual"};
inline constexpr std::string_view auth_mode_names[] = {"open", "verify"};
inline constexpr std::string_view store_synchronous_names[] = {"normal", "full"};

template <>
inline constexpr std::span<std::string_view const> names_of<log_level>{log_level_names};
template <>
inline constexpr std::span<std::string_view const> names_of<log_format>{log_format_names};
template <>
inline constexpr std::span<std::string_view const> names_of<scheduler_mode>{scheduler_mode_names};
template <>
inline constexpr std::span<std::string_view const> names_of<auth_mode>{auth_mode_names};
template <>
inline constexpr std::span<std::string_view const> names_of<store_synchronous>{
    store_synchronous_names};

/// A value that must not be empty.
std::string non_empty(std::string_view where, std::string_view value);

/// An account id: 12 digits (AWS) or 32 lowercase hex (Huawei).
std::string account(std::string_view where, std::string_view value);

/// An instance id (16 lowercase hex, ssoins-<16 hex> or ins-<16 hex>) as its 16 hex digits.
std::string instance_id(std::string_view where, std::string_view value);

/// An identity store id: d-<10 hex> or a UUID.
std::string identity_store_id(std::string_view where, std::string_view value);

/// An AWS managed policy ARN, as the sso-admin model's ManagedPolicyArn pattern says.
std::string managed_policy_arn(std::string_view where, std::string_view value);

/// An AWS Region name, as the sso-admin model's RegionName says (1-32 characters,
/// ([a-z]+-){2,3}\d: us-east-1).
std::string aws_region(std::string_view where, std::string_view value);

/// `value` when it is between min and max ("N is not between MIN and MAX" otherwise).
std::int64_t in_range(std::string_view where, std::int64_t value, std::int64_t min,
                      std::int64_t max);

/// A whole string of decimal digits between min and max.
std::int64_t int_in_range(std::string_view where, std::string_view text, std::int64_t min,
                          std::int64_t max);

/// true, false, 1 or 0.
bool boolean(std::string_view where, std::string_view text);

/// A non-negative 64-bit integer.
std::uint64_t seed_value(std::string_view where, std::string_view text);

/// HOST:PORT (an IPv6 host in brackets) as host and port.
std::pair<std::string, std::uint16_t> parse_listen(std::string_view where, std::string_view value);

/// host and port as HOST:PORT (an IPv6 host in brackets), as parse_listen reads it.
std::string host_port(std::string_view host, std::uint16_t port);

/// `KEY:SECRET:ACCOUNT[:SESSION_TOKEN]`, comma-separated.
std::vector<credential> credentials_text(std::string_view where, std::string_view value);

/// Sets the scheduler's delays; `shown` is how the value was written, for messages.
void set_delays(config& cfg, std::string_view where, std::int64_t min, std::int64_t max,
                std::string_view shown);

/// `N` or `MIN-MAX` milliseconds.
void set_delay_text(config& cfg, std::string_view where, std::string_view text);

/// A comma-separated list whose items `item` checks (`<where> item N` in messages); empty: none.
std::vector<std::string> list_text(std::string_view where, std::string_view text,
                                   std::string (*item)(std::string_view, std::string_view));

/// Reads the configuration file at `path` over `cfg` (apply_config_text). Throws config_error
/// when it cannot be read or is wrong.
void apply_config_file(config& cfg, std::string const& path);

/// Where a value sits in a configuration file, for messages (`FILE: key.path`).
struct json_place {
    std::string file;
    std::string path;

    /// `FILE: path`, the `where` of a value check.
    std::string where() const { return file + ": " + path; }
    /// The place of `name` inside this object.
    json_place member(std::string_view name) const;
    /// The place of item `index` of this array.
    json_place item(std::size_t index) const;
    /// Throws `unknown key "path" in FILE`.
    [[noreturn]] void unknown() const;
};

/// A member's name (`m.name`) as a string_view.
std::string_view json_name(rapidjson::Value const& name);

/// The value of the expected JSON type, else "<where>: expected an integer, got a string".
std::string_view json_text(rapidjson::Value const& v, json_place const& at);
std::int64_t json_integer(rapidjson::Value const& v, json_place const& at);
bool json_boolean(rapidjson::Value const& v, json_place const& at);
void json_object(rapidjson::Value const& v, json_place const& at);
void json_array(rapidjson::Value const& v, json_place const& at);
[[noreturn]] void json_wrong_type(rapidjson::Value const& v, json_place const& at,
                                  char const* expected);

} // namespace icemu::server::config_detail
