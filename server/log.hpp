#pragma once

#include <chrono>
#include <cstdio>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <utility>

#include "server/log_level.hpp"
#include "server/message.hpp"

namespace icemu::server {

/// "debug", "info", "warn" or "error".
std::string_view to_string(log_level level) noexcept;

/// The level named `name` (as `to_string` spells it); nullopt for anything else.
std::optional<log_level> parse_log_level(std::string_view name) noexcept;

/// Writes one line per record to a FILE, as text (`ts level msg key=value ...`) or as one JSON
/// object per line. Each line is written with a single fwrite + fflush, so lines from several
/// threads never interleave. The FILE must outlive the logger; it is never closed.
class logger {
public:
    explicit logger(log_level min, bool json, std::FILE* out = stderr) noexcept
        : min_(min), json_(json), out_(out) {}

    /// True when records of `level` are written.
    bool enabled(log_level level) const noexcept { return level >= min_; }

    /// One access-log line at info: method, path, surface, operation, status, duration, request id.
    void request(std::string_view method, std::string_view target, call_info const& info,
                 unsigned status, std::chrono::nanoseconds duration);

    /// One line at `level` with `message` and string fields, in order. Never throws.
    void event(log_level level, std::string_view message,
               std::initializer_list<std::pair<std::string_view, std::string_view>> fields = {});

private:
    log_level min_;
    bool json_;
    std::FILE* out_;
};

} // namespace icemu::server
