#include "api/admin/journal.hpp"

#include <rapidjson/document.h>

#include <charconv>
#include <cstdint>
#include <optional>

#include "api/core/error.hpp"
#include "api/json/reader.hpp"
#include "server/path_router.hpp"

namespace icemu::api::admin {

namespace {

[[noreturn]] void bad_filter(std::string const& message) {
    throw core::error(core::errc::invalid_argument, message);
}

struct filters {
    std::optional<std::string> surface;
    std::optional<std::string> operation;
    std::optional<std::string> error;
    std::optional<unsigned> status;
    std::uint64_t since = 0;
    std::optional<std::uint64_t> limit;
    rapidjson::Value const* request = nullptr; // count only: the subset to match

    bool match(server::journal_entry const& e) const {
        return e.seq > since && (!surface || e.surface == *surface) &&
               (!operation || e.operation == *operation) && (!error || e.error == *error) &&
               (!status || e.status == *status);
    }
};

std::optional<std::uint64_t> unsigned_of(std::string_view text) {
    std::uint64_t v = 0;
    auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty())
        return std::nullopt;
    return v;
}

unsigned status_of(std::optional<std::uint64_t> v) {
    if (!v || *v < 100 || *v > 599)
        bad_filter("status must be an HTTP status code (100-599)");
    return static_cast<unsigned>(*v);
}

std::uint64_t limit_of(std::optional<std::uint64_t> v) {
    if (!v || *v < 1)
        bad_filter("limit must be a positive integer");
    return *v;
}

void set_filter(filters& f, std::string_view name, std::string value) {
    if (name == "surface")
        f.surface = std::move(value);
    else if (name == "operation")
        f.operation = std::move(value);
    else if (name == "error")
        f.error = std::move(value);
    else if (name == "status")
        f.status = status_of(unsigned_of(value));
    else if (name == "since") {
        auto const v = unsigned_of(value);
        if (!v)
            bad_filter("since must be a non-negative integer (a seq)");
        f.since = *v;
    } else if (name == "limit")
        f.limit = limit_of(unsigned_of(value));
    else
        bad_filter("unknown filter " + std::string(name) +
                   ": use surface, operation, status, error, since or limit");
}

filters filters_of_query(std::string_view target) {
    filters f;
    auto const q = target.find('?');
    if (q == std::string_view::npos)
        return f;
    auto rest = target.substr(q + 1);
    while (!rest.empty()) {
        auto const amp = rest.find('&');
        auto const pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        if (pair.empty())
            continue;
        auto const eq = pair.find('=');
        auto const name = server::path_router::percent_decode(pair.substr(0, eq), true);
        auto value = eq == std::string_view::npos
                         ? std::string()
                         : server::path_router::percent_decode(pair.substr(eq + 1), true);
        if (value.empty())
            continue; // an empty filter filters nothing
        set_filter(f, name, std::move(value));
    }
    return f;
}

// Writes a parsed JSON value through the admin writer (which keeps the answer valid UTF-8).
void write_value(json::writer& out, rapidjson::Value const& v) {
    if (v.IsObject()) {
        out.start_object();
        for (auto const& m : v.GetObject()) {
            out.key({m.name.GetString(), m.name.GetStringLength()});
            write_value(out, m.value);
        }
        out.end_object();
    } else if (v.IsArray()) {
        out.start_array();
        for (auto const& e : v.GetArray())
            write_value(out, e);
        out.end_array();
    } else if (v.IsString()) {
        out.string({v.GetString(), v.GetStringLength()});
    } else if (v.IsBool()) {
        out.boolean(v.GetBool());
    } else if (v.IsInt64()) {
        out.number(v.GetInt64());
    } else if (v.IsNumber()) {
        out.real(v.GetDouble());
    } else {
        out.null();
    }
}

// A body: null when empty; its JSON value when whole and JSON; else the text kept.
void write_body(json::writer& out, std::string const& body, bool truncated) {
    if (body.empty() && !truncated) {
        out.null();
        return;
    }
    if (!truncated) {
        rapidjson::Document doc;
        doc.Parse(body.data(), body.size());
        if (!doc.HasParseError()) {
            write_value(out, doc);
            return;
        }
    }
    out.string(body);
}

void write_entry(json::writer& out, server::journal_entry const& e) {
    out.start_object();
    out.member("seq", static_cast<std::int64_t>(e.seq));
    out.member("time", e.time_ms).member("clock_time", e.clock_ms);
    out.member("surface", e.surface).member("operation", e.operation);
    out.member("method", e.method).member("path", e.path);
    out.key("account_id");
    e.account_id.empty() ? out.null() : out.string(e.account_id);
    out.member("status", static_cast<std::int64_t>(e.status));
    out.key("error");
    e.error.empty() ? out.null() : out.string(e.error);
    out.key("duration_ms").real(static_cast<double>(e.duration_us) / 1000.0);
    out.key("request_id");
    e.request_id.empty() ? out.null() : out.string(e.request_id);
    out.key("request");
    write_body(out, e.request, e.request_truncated);
    out.key("request_truncated").boolean(e.request_truncated);
    out.key("response");
    write_body(out, e.response, e.response_truncated);
    out.key("response_truncated").boolean(e.response_truncated);
    out.end_object();
}

// True when `value` holds every member of `pattern` with an equal value (objects at any depth
// by subset; arrays and scalars by equality).
bool contains(rapidjson::Value const& value, rapidjson::Value const& pattern) {
    if (pattern.IsObject()) {
        if (!value.IsObject())
            return false;
        for (auto const& m : pattern.GetObject()) {
            auto const it = value.FindMember(m.name);
            if (it == value.MemberEnd() || !contains(it->value, m.value))
                return false;
        }
        return true;
    }
    return value == pattern;
}

} // namespace

void render_journal(json::writer& out, server::journal const& calls, std::string_view target) {
    auto const f = filters_of_query(target);
    std::uint64_t left = f.limit.value_or(UINT64_MAX);
    out.start_object().key("calls").start_array();
    calls.for_each_newest([&](server::journal_entry const& e) {
        if (e.seq <= f.since)
            return false; // older still: none can match
        if (f.match(e)) {
            write_entry(out, e);
            --left;
        }
        return left > 0;
    });
    out.end_array().end_object();
}

std::size_t count_journal(server::journal const& calls, std::string_view body) {
    rapidjson::Document doc;
    std::string problem;
    if (!json::parse_object(body, doc, problem))
        bad_filter("the body is not a JSON object: " + problem);
    filters f;
    for (auto const& m : doc.GetObject()) {
        std::string_view const name{m.name.GetString(), m.name.GetStringLength()};
        auto const& v = m.value;
        if (name == "request") {
            if (!v.IsObject())
                bad_filter("request must be an object of request members");
            f.request = &v;
        } else if (name == "status") {
            f.status = status_of(v.IsUint64() ? std::optional(v.GetUint64()) : std::nullopt);
        } else if (name == "since") {
            if (!v.IsUint64())
                bad_filter("since must be a non-negative integer (a seq)");
            f.since = v.GetUint64();
        } else if (name == "limit") {
            f.limit = limit_of(v.IsUint64() ? std::optional(v.GetUint64()) : std::nullopt);
        } else if (name == "surface" || name == "operation" || name == "error") {
            if (!v.IsString())
                bad_filter(std::string(name) + " must be a string");
            set_filter(f, name, std::string(v.GetString(), v.GetStringLength()));
        } else {
            bad_filter("unknown member " + std::string(name) +
                       ": use surface, operation, status, error, since, limit or request");
        }
    }
    std::size_t count = 0;
    std::uint64_t left = f.limit.value_or(UINT64_MAX);
    calls.for_each_newest([&](server::journal_entry const& e) {
        if (e.seq <= f.since)
            return false;
        if (!f.match(e))
            return true;
        if (f.request != nullptr) {
            if (e.request_truncated)
                return true;
            rapidjson::Document input;
            input.Parse(e.request.data(), e.request.size());
            if (input.HasParseError() || !contains(input, *f.request))
                return true;
        }
        ++count;
        return --left > 0;
    });
    return count;
}

} // namespace icemu::api::admin
