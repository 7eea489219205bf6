#pragma once

#include "api/json/utf8.hpp"

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace icemu::api::json {

/// A compact JSON writer that never emits null for an absent optional member.
class writer {
public:
    writer() : w_(buffer_) {}
    writer(writer const&) = delete;
    writer& operator=(writer const&) = delete;

    writer& start_object() { w_.StartObject(); return *this; }
    writer& end_object() { w_.EndObject(); return *this; }
    writer& start_array() { w_.StartArray(); return *this; }
    writer& end_array() { w_.EndArray(); return *this; }
    /// Keys and strings that are not valid UTF-8 (a header or path echoed in a message) are
    /// written with U+FFFD in place of each bad byte: the answer stays valid JSON.
    writer& key(std::string_view k) {
        if (!is_utf8(k))
            return key(to_utf8(k));
        w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
        return *this;
    }
    writer& string(std::string_view v) {
        if (!is_utf8(v))
            return string(to_utf8(v));
        w_.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
        return *this;
    }
    writer& number(std::int64_t v) { w_.Int64(v); return *this; }
    writer& boolean(bool v) { w_.Bool(v); return *this; }
    /// A finite double in its shortest round-trip form (e.g. 0.1).
    writer& real(double v) { w_.Double(v); return *this; }
    writer& null() { w_.Null(); return *this; }
    /// Epoch milliseconds as epoch seconds with a millisecond fraction, e.g. 1650989104.461.
    writer& epoch_seconds(std::int64_t ms) {
        char text[32];
        auto const whole = ms / 1000;
        auto const frac = ms % 1000;
        int const n = std::snprintf(text, sizeof text, "%lld.%03lld", static_cast<long long>(whole),
                                    static_cast<long long>(frac < 0 ? -frac : frac));
        w_.RawValue(text, static_cast<std::size_t>(n), rapidjson::kNumberType);
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
    rapidjson::StringBuffer buffer_;
    rapidjson::Writer<rapidjson::StringBuffer> w_;
};

} // namespace icemu::api::json
