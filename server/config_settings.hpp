#pragma once

#include <rapidjson/fwd.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "server/config.hpp"

namespace icemu::server {

namespace config_detail {
struct json_place;
}

/// How one setting's value is read from the file and from text, and written back.
struct value_codec {
    /// Reads the file's JSON value at `at`. Throws config_error naming `at`.
    void (*read_json)(value_codec const&, config&, rapidjson::Value const&,
                      config_detail::json_place const& at) = nullptr;
    /// Reads a variable's or flag's text; null for file-only settings. Throws config_error
    /// naming `where` (the variable or the flag).
    void (*read_text)(value_codec const&, config&, std::string_view where,
                      std::string_view text) = nullptr;
    /// The value in a config as the file spells it: JSON text.
    std::string (*json)(value_codec const&, config const&) = nullptr;
    /// The value in a config as a variable or flag spells it (read_text reads it back); null
    /// for file-only settings.
    std::string (*text)(value_codec const&, config const&) = nullptr;
    std::int64_t min = 0; ///< integers: the accepted range
    std::int64_t max = 0;
    /// Strings and the items of lists: checks a value and returns what to keep; null: any text.
    std::string (*check)(std::string_view where, std::string_view value) = nullptr;
    /// Enumerations: the accepted names, in the order of the enumerators.
    std::span<std::string_view const> choices = {};
    /// `true|false` settings.
    bool is_boolean = false;
};

/// One setting: its names in the file, the environment and the command line, its --help line and
/// how its value is read and written. The table of them drives the file reader, the variables,
/// the flags, --help and the documented defaults (the built-in ones are config's initializers).
struct setting {
    std::string_view key;  ///< in the JSON file, dotted ("store.cache_kib"); empty: none
    std::string_view env;  ///< the ICEMU_* variable; empty: none
    std::string_view flag; ///< empty: none (a secret: ps shows flags)
    std::string_view arg;  ///< what the flag takes, for --help ("N", "HOST:PORT")
    std::string_view help; ///< what it does, for --help
    value_codec value;
};

/// Every setting, in the order --help lists them.
std::span<setting const> settings() noexcept;

/// The setting with that file key, variable or flag; null when there is none.
setting const* setting_by_key(std::string_view key) noexcept;
setting const* setting_by_env(std::string_view env) noexcept;
setting const* setting_by_flag(std::string_view flag) noexcept;

/// The value of `s` in `cfg` as a variable or flag spells it, or, for a file-only setting, as
/// the file does (JSON).
std::string text_of(setting const& s, config const& cfg);

/// The value of `s` in `cfg` as the file spells it (JSON text).
std::string json_of(setting const& s, config const& cfg);

} // namespace icemu::server
