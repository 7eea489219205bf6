#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "api/json/utf8.hpp"

namespace icemu::api::json {

/// A compact JSON writer that never emits null for an absent optional member.
class writer {
public:
    // 4 KiB to start with: a Describe fits, and a list page of 100 (about 10 KB) grows it three
    // times, not ten (RapidJSON starts at 256 bytes and grows by half).
    writer() : buffer_(nullptr, 4096), w_(buffer_) {}
    writer(writer const&) = delete;
    writer& operator=(writer const&) = delete;

    writer& start_object() {
        w_.StartObject();
        return *this;
    }
    writer& end_object() {
        w_.EndObject();
        return *this;
    }
    writer& start_array() {
        w_.StartArray();
        return *this;
    }
    writer& end_array() {
        w_.EndArray();
        return *this;
    }
    /// Keys and strings that are not valid UTF-8 (a header or path echoed in a message) are
    /// written with U+FFFD in place of each bad byte: the answer stays valid JSON.
    /// RapidJSON writes a key as a string in key position; so does this.
    writer& key(std::string_view k) { return string(k); }
    writer& string(std::string_view v) {
        if (is_plain_ascii(v)) {
            w_.plain(v);
            return *this;
        }
        if (!is_utf8(v))
            return string(to_utf8(v));
        if (!w_.unescaped(v))
            w_.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
        return *this;
    }
    writer& number(std::int64_t v) {
        w_.Int64(v);
        return *this;
    }
    writer& boolean(bool v) {
        w_.Bool(v);
        return *this;
    }
    /// A finite double in its shortest round-trip form (e.g. 0.1).
    writer& real(double v) {
        w_.Double(v);
        return *this;
    }
    /// Writes `text`, one complete JSON value the caller wrote earlier, as it is.
    writer& raw(std::string_view text) {
        w_.RawValue(text.data(), text.size(), rapidjson::kObjectType);
        return *this;
    }
    writer& null() {
        w_.Null();
        return *this;
    }
    /// Epoch milliseconds as epoch seconds with a millisecond fraction, e.g. 1650989104.461.
    writer& epoch_seconds(std::int64_t ms) {
        char text[32];
        auto const whole = ms / 1000;
        auto const frac = ms < 0 ? -(ms % 1000) : ms % 1000;
        char* end = std::to_chars(text, text + sizeof text - 4, whole).ptr;
        *end++ = '.';
        *end++ = static_cast<char>('0' + frac / 100);
        *end++ = static_cast<char>('0' + frac / 10 % 10);
        *end++ = static_cast<char>('0' + frac % 10);
        w_.raw_number({text, static_cast<std::size_t>(end - text)});
        return *this;
    }
    writer& member(std::string_view k, std::string_view v) { return key(k).string(v); }
    writer& member(std::string_view k, std::string const& v) { return key(k).string(v); }
    writer& member(std::string_view k, char const* v) { return key(k).string(v); }
    writer& member(std::string_view k, std::int64_t v) { return key(k).number(v); }
    /// Writes the member only when it has a value.
    writer& member(std::string_view k, std::optional<std::string> const& v) {
        if (v)
            key(k).string(*v);
        return *this;
    }

    std::string_view view() const noexcept { return {buffer_.GetString(), buffer_.GetSize()}; }
    std::string str() const { return std::string(view()); }

private:
    // RapidJSON's writer with a fast path for the strings that need no escape (ids, names, enum
    // values: nearly all): one scan and one copy instead of its per-character escape loop.
    class fast_writer : public rapidjson::Writer<rapidjson::StringBuffer> {
    public:
        using rapidjson::Writer<rapidjson::StringBuffer>::Writer;
        /// Writes `v` as a string and returns true when no character of it needs an escape
        /// (the ones RapidJSON escapes: control characters, '"' and '\\'); else writes nothing.
        bool unescaped(std::string_view v) {
            for (char const c : v)
                if (static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\')
                    return false;
            plain(v);
            return true;
        }
        /// Writes `text`, a JSON number, as it is (RawValue copies it a character at a time).
        void raw_number(std::string_view text) {
            Prefix(rapidjson::kNumberType);
            std::memcpy(os_->Push(text.size()), text.data(), text.size());
            EndValue(true);
        }
        /// Writes `v`, which needs no escape, as a string (RapidJSON's Key is a String too).
        void plain(std::string_view v) {
            Prefix(rapidjson::kStringType);
            char* out = os_->Push(v.size() + 2);
            out[0] = '"';
            if (!v.empty())
                std::memcpy(out + 1, v.data(), v.size());
            out[v.size() + 1] = '"';
            EndValue(true);
        }
    };

    rapidjson::StringBuffer buffer_;
    fast_writer w_;
};

} // namespace icemu::api::json
