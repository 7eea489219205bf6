#pragma once

#include <chrono>
#include <cstdio>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
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
/// object per line. Each line is written whole with one fwrite + fflush, or, once `defer()` was
/// called, gathered with the lines around it and written together by `flush()`. The FILE must
/// outlive the logger; it is never closed.
class logger {
public:
    explicit logger(log_level min, bool json, std::FILE* out = stderr) noexcept
        : min_(min), json_(json), out_(out) {}
    /// Writes what is still gathered.
    ~logger();
    logger(logger const&) = delete;
    logger& operator=(logger const&) = delete;

    /// From now on lines are gathered and written together: `schedule` is called when the first
    /// line after a flush is gathered and must make `flush()` run soon (the server posts it to
    /// its event loop: one write for all the lines of a turn of the loop). Past `flush_bytes`
    /// gathered, a line flushes at once. Single-threaded from then on: every call must come
    /// from the thread that runs `flush()`.
    void defer(std::function<void()> schedule);
    /// Writes the gathered lines, in order, with one fwrite + fflush. Never throws.
    void flush() noexcept;
    /// Bytes gathered past which a line is written at once instead of waiting for `flush()`.
    static constexpr std::size_t flush_bytes = 64 * 1024;

    /// True when records of `level` are written.
    bool enabled(log_level level) const noexcept { return level >= min_; }

    /// One access-log line at info: method, path, surface, operation, status, duration, request id.
    void request(std::string_view method, std::string_view target, call_info const& info,
                 unsigned status, std::chrono::nanoseconds duration);

    /// One line at `level` with `message` and string fields, in order. Never throws.
    void event(log_level level, std::string_view message,
               std::initializer_list<std::pair<std::string_view, std::string_view>> fields = {});

private:
    /// The buffer a new line goes into: the gathered lines when deferred, else the thread's own.
    std::string& buffer() noexcept;
    /// Ends the line just appended to `out` (from buffer()): writes it now, or leaves it
    /// gathered and makes sure a flush is coming. Never throws.
    void finish(std::string& out) noexcept;

    log_level min_;
    bool json_;
    std::FILE* out_;
    std::function<void()> schedule_; // set by defer()
    std::string pending_;            // gathered lines (deferred)
    bool flush_scheduled_ = false;   // schedule_ was called since the last flush()
};

} // namespace icemu::server
