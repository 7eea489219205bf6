#include "server/journal.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>

namespace icemu::server {

namespace {

// The words that make a member secret, lower case.
constexpr std::array<std::string_view, 6> secret_words{
    "password", "secret", "sessiontoken", "session_token", "securitytoken", "security_token"};

// ASCII only, inline: the scan runs over every journaled body.
constexpr char lower(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// What every secret word holds, in the spellings a JSON member name has (camelCase, snake_case,
// upper case): a body with none of them holds no secret member, found with std::string_view::find
// (memchr and memcmp) instead of a scan per word and position.
constexpr std::array<std::string_view, 8> secret_cores{"assword", "ASSWORD", "ecret",   "ECRET",
                                                       "ession",  "ESSION",  "ecurity", "ECURITY"};

bool contains_lower(std::string_view text, std::string_view word) noexcept {
    if (word.size() > text.size())
        return false;
    for (std::size_t i = 0; i + word.size() <= text.size(); ++i) {
        std::size_t j = 0;
        while (j < word.size() && lower(text[i + j]) == word[j])
            ++j;
        if (j == word.size())
            return true;
    }
    return false;
}

bool may_hold_secret(std::string_view body) noexcept {
    bool const candidate =
        std::any_of(secret_cores.begin(), secret_cores.end(),
                    [&](std::string_view core) { return body.find(core) != body.npos; });
    return candidate && std::any_of(secret_words.begin(), secret_words.end(),
                                    [&](std::string_view w) { return contains_lower(body, w); });
}

// Replaces the value of every secret member, at any depth; true if it replaced one.
bool redact(rapidjson::Value& v, rapidjson::Document::AllocatorType& alloc) {
    bool changed = false;
    if (v.IsObject()) {
        for (auto& m : v.GetObject()) {
            if (is_secret_member({m.name.GetString(), m.name.GetStringLength()})) {
                m.value.SetString("***", alloc);
                changed = true;
            } else {
                changed = redact(m.value, alloc) || changed;
            }
        }
    } else if (v.IsArray()) {
        for (auto& e : v.GetArray())
            changed = redact(e, alloc) || changed;
    }
    return changed;
}

// Copies `body` into `out` (reusing its capacity), cut at `limit` bytes; with `redact_secrets`,
// without secret values: a body that holds a secret word and is not JSON is kept only as a note.
void keep_body(std::string_view body, std::size_t limit, std::string& out, bool& truncated,
               bool redact_secrets) {
    std::string redacted;
    if (redact_secrets && !body.empty() && may_hold_secret(body)) {
        rapidjson::Document doc;
        doc.Parse(body.data(), body.size());
        if (doc.HasParseError()) {
            body = "(not kept: a body that is not JSON and may hold a secret)";
        } else if (redact(doc, doc.GetAllocator())) {
            rapidjson::StringBuffer buffer;
            rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
            doc.Accept(writer);
            redacted.assign(buffer.GetString(), buffer.GetSize());
            body = redacted;
        }
    }
    truncated = body.size() > limit;
    out.assign(body.data(), std::min(body.size(), limit));
}

std::string_view string_member(std::string_view body, std::string_view key) noexcept {
    auto const at = body.find(key);
    if (at == std::string_view::npos)
        return {};
    auto rest = body.substr(at + key.size());
    // `"key"` then optional spaces, ':', optional spaces, '"'.
    std::size_t i = 0;
    while (i < rest.size() && (rest[i] == ' ' || rest[i] == ':'))
        ++i;
    if (i >= rest.size() || rest[i] != '"')
        return {};
    rest = rest.substr(i + 1);
    auto const end = rest.find('"');
    return end == std::string_view::npos ? std::string_view{} : rest.substr(0, end);
}

std::int64_t wall_ms() noexcept {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

bool is_secret_member(std::string_view name) noexcept {
    return may_hold_secret(name);
}

std::string_view error_code_of(std::string_view body) noexcept {
    if (auto type = string_member(body, "\"__type\""); !type.empty()) {
        if (auto const hash = type.rfind('#'); hash != std::string_view::npos)
            type = type.substr(hash + 1);
        return type;
    }
    return string_member(body, "\"error_code\"");
}

journal::journal(std::size_t capacity, std::size_t max_body_bytes,
                 std::function<std::int64_t()> clock_offset_ms)
    : capacity_(capacity), max_body_(max_body_bytes), clock_offset_(std::move(clock_offset_ms)) {
    slots_.reserve(capacity);
}

std::size_t journal::size() const noexcept {
    return static_cast<std::size_t>(
        std::min<std::uint64_t>(next_seq_ - first_seq_, static_cast<std::uint64_t>(capacity_)));
}

void journal::record(request const& req, response const& res, call_info const& info,
                     std::chrono::nanoseconds took) {
    if (capacity_ == 0)
        return;
    auto const seq = next_seq_++;
    auto const slot = static_cast<std::size_t>((seq - 1) % capacity_);
    if (slot == slots_.size()) // the first lap of the ring: seqs fill the slots in order
        slots_.emplace_back();
    auto& e = slots_[slot];
    e.seq = seq;
    e.time_ms = wall_ms();
    e.clock_ms = e.time_ms + (clock_offset_ ? clock_offset_() : 0);
    e.duration_us = std::chrono::duration_cast<std::chrono::microseconds>(took).count();
    e.status = res.result_int();
    e.surface.assign(info.surface);
    e.operation.assign(info.operation);
    auto const method = req.method_string();
    e.method.assign(method.data(), method.size());
    auto const target = req.target();
    e.path.assign(target.data(), target.size());
    e.account_id.assign(info.account());
    e.request_id.assign(info.request_id == "-" ? std::string_view{} : info.request_id);
    e.error.assign(e.status >= 400 ? error_code_of(res.body()) : std::string_view{});
    keep_body(req.body(), max_body_, e.request, e.request_truncated, true);
    // icemu's own answers hold no secret (no operation of either surface answers one): they
    // are not searched, which halves the journal's cost on the request path.
    keep_body(res.body(), max_body_, e.response, e.response_truncated, false);
}

void journal::for_each_newest(std::function<bool(journal_entry const&)> const& f) const {
    auto const held = static_cast<std::uint64_t>(size());
    for (std::uint64_t i = 0; i < held; ++i) {
        auto const seq = next_seq_ - 1 - i;
        if (!f(slots_[static_cast<std::size_t>((seq - 1) % capacity_)]))
            return;
    }
}

void journal::clear() noexcept {
    first_seq_ = next_seq_;
}

} // namespace icemu::server
