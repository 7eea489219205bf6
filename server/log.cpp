#include "server/log.hpp"

#include <charconv>
#include <cstdint>
#include <ctime>
#include <string>
#include <utility>

namespace icemu::server {
namespace {

// Reused for every line of a thread: after the first few lines, logging allocates nothing.
std::string& line_buffer() {
    thread_local std::string buffer;
    buffer.clear();
    return buffer;
}

void write_out(std::string const& text, std::FILE* file) noexcept {
    std::fwrite(text.data(), 1, text.size(), file);
    std::fflush(file);
}

void append_digits(std::string& out, std::uint64_t value, int width) {
    char digits[20];
    int n = 0;
    do {
        digits[n++] = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value != 0 && n < 20);
    for (int i = n; i < width; ++i)
        out.push_back('0');
    while (n > 0)
        out.push_back(digits[--n]);
}

// "YYYY-MM-DDTHH:MM:SS.mmmZ". The part up to the seconds is formatted once a second per thread:
// a busy server writes thousands of lines within each.
void append_timestamp(std::string& out) {
    auto const now = std::chrono::system_clock::now();
    auto const ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
    auto const secs = ms.count() / 1000;
    thread_local std::int64_t second = -1;
    thread_local std::string second_text;
    if (secs != second) {
        std::time_t const t = static_cast<std::time_t>(secs);
        std::tm utc{};
        gmtime_r(&t, &utc);
        second_text.clear();
        append_digits(second_text, static_cast<std::uint64_t>(utc.tm_year + 1900), 4);
        second_text.push_back('-');
        append_digits(second_text, static_cast<std::uint64_t>(utc.tm_mon + 1), 2);
        second_text.push_back('-');
        append_digits(second_text, static_cast<std::uint64_t>(utc.tm_mday), 2);
        second_text.push_back('T');
        append_digits(second_text, static_cast<std::uint64_t>(utc.tm_hour), 2);
        second_text.push_back(':');
        append_digits(second_text, static_cast<std::uint64_t>(utc.tm_min), 2);
        second_text.push_back(':');
        append_digits(second_text, static_cast<std::uint64_t>(utc.tm_sec), 2);
        second = secs;
    }
    out.append(second_text);
    out.push_back('.');
    append_digits(out, static_cast<std::uint64_t>(ms.count() % 1000), 3);
    out.push_back('Z');
}

// Milliseconds with three decimals, from integer arithmetic (no locale, no rounding surprises).
std::string_view format_ms(char (&buf)[32], std::chrono::nanoseconds duration) noexcept {
    auto const us = duration.count() < 0 ? 0 : static_cast<std::uint64_t>(duration.count() / 1000);
    char* p = std::to_chars(buf, buf + 24, us / 1000).ptr;
    auto const frac = static_cast<unsigned>(us % 1000);
    *p++ = '.';
    *p++ = static_cast<char>('0' + frac / 100);
    *p++ = static_cast<char>('0' + frac / 10 % 10);
    *p++ = static_cast<char>('0' + frac % 10);
    return {buf, static_cast<std::size_t>(p - buf)};
}

void append_hex_escape(std::string& out, unsigned char c) {
    constexpr char hex[] = "0123456789abcdef";
    out.append("\\u00");
    out.push_back(hex[c >> 4]);
    out.push_back(hex[c & 0xf]);
}

// JSON string contents (without the quotes).
void append_json_escaped(std::string& out, std::string_view s) {
    for (char const ch : s) {
        auto const c = static_cast<unsigned char>(ch);
        switch (ch) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        default:
            if (c < 0x20 || c == 0x7f)
                append_hex_escape(out, c);
            else
                out.push_back(ch);
        }
    }
}

bool needs_quotes(std::string_view s) noexcept {
    if (s.empty())
        return true;
    for (char const ch : s) {
        auto const c = static_cast<unsigned char>(ch);
        if (c <= 0x20 || c == 0x7f || ch == '"' || ch == '=' || ch == '\\')
            return true;
    }
    return false;
}

// logfmt value: bare when safe, else quoted with JSON escapes so one record stays one line.
void append_text_value(std::string& out, std::string_view s) {
    if (!needs_quotes(s)) {
        out.append(s);
        return;
    }
    out.push_back('"');
    append_json_escaped(out, s);
    out.push_back('"');
}

void begin_line(std::string& out, bool json, log_level level, std::string_view message) {
    if (json) {
        out.append("{\"ts\":\"");
        append_timestamp(out);
        out.append("\",\"level\":\"");
        out.append(to_string(level));
        out.append("\",\"msg\":\"");
        append_json_escaped(out, message);
        out.push_back('"');
        return;
    }
    append_timestamp(out);
    out.push_back(' ');
    out.append(to_string(level));
    out.push_back(' ');
    append_text_value(out, message);
}

void append_field(std::string& out, bool json, std::string_view key, std::string_view value) {
    if (json) {
        out.append(",\"");
        append_json_escaped(out, key);
        out.append("\":\"");
        append_json_escaped(out, value);
        out.push_back('"');
        return;
    }
    out.push_back(' ');
    out.append(key);
    out.push_back('=');
    append_text_value(out, value);
}

// A field whose value is already a valid bare token and JSON number.
void append_number_field(std::string& out, bool json, std::string_view key,
                         std::string_view number) {
    if (json) {
        out.append(",\"");
        out.append(key);
        out.append("\":");
        out.append(number);
        return;
    }
    out.push_back(' ');
    out.append(key);
    out.push_back('=');
    out.append(number);
}

void end_line(std::string& out, bool json) {
    if (json)
        out.push_back('}');
    out.push_back('\n');
}

} // namespace

std::string_view to_string(log_level level) noexcept {
    switch (level) {
    case log_level::debug: return "debug";
    case log_level::info: return "info";
    case log_level::warn: return "warn";
    case log_level::error: return "error";
    }
    return "info";
}

std::optional<log_level> parse_log_level(std::string_view name) noexcept {
    for (auto const level : {log_level::debug, log_level::info, log_level::warn, log_level::error})
        if (name == to_string(level))
            return level;
    return std::nullopt;
}

logger::~logger() {
    flush();
}

void logger::defer(std::function<void()> schedule) {
    schedule_ = std::move(schedule);
}

void logger::flush() noexcept {
    flush_scheduled_ = false;
    if (pending_.empty())
        return;
    write_out(pending_, out_);
    pending_.clear();
}

std::string& logger::buffer() noexcept {
    return schedule_ ? pending_ : line_buffer();
}

void logger::finish(std::string& out) noexcept {
    if (!schedule_) {
        write_out(out, out_);
        return;
    }
    if (out.size() >= flush_bytes) {
        flush();
        return;
    }
    if (flush_scheduled_)
        return;
    try {
        schedule_();
        flush_scheduled_ = true;
    } catch (...) {
        flush(); // nothing would write the line otherwise
    }
}

void logger::request(std::string_view method, std::string_view target, call_info const& info,
                     unsigned status, std::chrono::nanoseconds duration) {
    if (!enabled(log_level::info))
        return;
    std::string& out = buffer();
    std::size_t const start = out.size();
    try {
        begin_line(out, json_, log_level::info, "request");
        append_field(out, json_, "method", method);
        append_field(out, json_, "path", target);
        append_field(out, json_, "surface", info.surface);
        append_field(out, json_, "op", info.operation);
        char digits[12];
        auto const end = std::to_chars(digits, digits + sizeof digits, status).ptr;
        append_number_field(out, json_, "status", std::string_view(digits, end));
        char ms[32];
        append_number_field(out, json_, "ms", format_ms(ms, duration));
        append_field(out, json_, "request_id", info.request_id);
        end_line(out, json_);
    } catch (...) {
        // Logging must never take a request down (the only failure is bad_alloc): the partial
        // line goes, the lines before it stay.
        out.resize(start);
        return;
    }
    finish(out);
}

void logger::event(log_level level, std::string_view message,
                   std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
    if (!enabled(level))
        return;
    std::string& out = buffer();
    std::size_t const start = out.size();
    try {
        begin_line(out, json_, level, message);
        for (auto const& [key, value] : fields)
            append_field(out, json_, key, value);
        end_line(out, json_);
    } catch (...) {
        out.resize(start);
        return;
    }
    finish(out);
}

} // namespace icemu::server
