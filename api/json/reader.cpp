#include "api/json/reader.hpp"

#include <rapidjson/error/en.h>

#include <algorithm>
#include <vector>

#include "api/json/utf8.hpp"

namespace icemu::api::json {

namespace {

// Validated: strings that are not UTF-8 would come back in answers no client can decode. A body
// of ASCII bytes alone is valid UTF-8 already and is parsed without the per-character check.
constexpr unsigned parse_flags = rapidjson::kParseValidateEncodingFlag;

// Jackson's default nesting limit (StreamReadConstraints.maxNestingDepth). Checked by a scan
// before parsing: RapidJSON's parser recurses once per level (a body of a million `[` overflowed
// the stack), and a scan costs far less than parsing what would be refused anyway.
constexpr std::size_t max_depth = 1000;

// The offset of the first bracket nested deeper than max_depth, if any.
std::optional<std::size_t> too_deep(std::string_view text) noexcept {
    std::size_t depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char const c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth)
                return i;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return std::nullopt;
}

// `name` cut to 64 characters for a message (the text is valid UTF-8: the parser checked it).
std::string shown_name(rapidjson::Value const& name) {
    std::string_view text(name.GetString(), name.GetStringLength());
    std::size_t chars = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xc0) != 0x80 && chars++ == 64)
            return std::string(text.substr(0, i)) + "...";
    }
    return std::string(text);
}

// The first member name that an object of `root` repeats, if any. Walks with an explicit stack
// (no recursion, whatever the depth); sorting keeps an object of many members O(n log n).
rapidjson::Value const* duplicate_name(rapidjson::Value const& root) {
    std::vector<rapidjson::Value const*> pending{&root};
    std::vector<std::string_view> names;
    while (!pending.empty()) {
        rapidjson::Value const& v = *pending.back();
        pending.pop_back();
        if (v.IsArray()) {
            for (auto const& item : v.GetArray())
                if (item.IsObject() || item.IsArray())
                    pending.push_back(&item);
            continue;
        }
        if (!v.IsObject())
            continue;
        auto const members = v.GetObject();
        for (auto const& m : members)
            if (m.value.IsObject() || m.value.IsArray())
                pending.push_back(&m.value);
        // What SDKs send: a few members, compared pairwise without allocating.
        if (members.MemberCount() <= 16) {
            for (auto a = members.MemberBegin(); a != members.MemberEnd(); ++a)
                for (auto b = a + 1; b != members.MemberEnd(); ++b)
                    if (a->name == b->name)
                        return &a->name;
            continue;
        }
        names.clear();
        for (auto const& m : members)
            names.emplace_back(m.name.GetString(), m.name.GetStringLength());
        std::sort(names.begin(), names.end());
        auto const twice = std::adjacent_find(names.begin(), names.end());
        if (twice != names.end())
            return &v.FindMember(
                         rapidjson::Value(rapidjson::StringRef(twice->data(), twice->size())))
                        ->name;
    }
    return nullptr;
}

} // namespace

bool parse_object(std::string_view text, rapidjson::Document& doc, std::string& problem) {
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        doc.SetObject();
        return true;
    }
    // The parser reads a NUL byte as the end of the text, so `{}\0garbage` would pass.
    if (auto const nul = text.find('\0'); nul != std::string_view::npos) {
        problem = "Invalid character NUL (at offset " + std::to_string(nul) + ")";
        return false;
    }
    // Nesting deeper than max_depth takes more than max_depth brackets: a shorter text is not
    // scanned.
    if (auto const at = text.size() > max_depth ? too_deep(text) : std::nullopt) {
        problem = "Document nesting depth exceeds the maximum allowed (" +
                  std::to_string(max_depth) + ") (at offset " + std::to_string(*at) + ")";
        return false;
    }
    if (is_ascii(text))
        doc.Parse<rapidjson::kParseNoFlags>(text.data(), text.size());
    else
        doc.Parse<parse_flags>(text.data(), text.size());
    if (doc.HasParseError()) {
        problem = std::string(rapidjson::GetParseError_En(doc.GetParseError())) + " (at offset " +
                  std::to_string(doc.GetErrorOffset()) + ")";
        return false;
    }
    if (!doc.IsObject()) {
        problem = "the body must be a JSON object";
        return false;
    }
    // Clients differ on which of two equal keys wins (Jackson: the last; RapidJSON: the
    // first), so a body with one is refused rather than read either way (icemu's choice).
    if (auto const* name = duplicate_name(doc)) {
        problem = "Duplicate field '" + shown_name(*name) + "'";
        return false;
    }
    return true;
}

rapidjson::Value const* find(rapidjson::Value const& obj, std::string_view name) noexcept {
    if (!obj.IsObject())
        return nullptr;
    auto const it =
        obj.FindMember(rapidjson::Value(rapidjson::StringRef(name.data(), name.size())));
    if (it == obj.MemberEnd() || it->value.IsNull())
        return nullptr;
    return &it->value;
}

std::optional<std::string> optional_string(rapidjson::Value const& obj, std::string_view name) {
    auto const* v = find(obj, name);
    if (v == nullptr || !v->IsString())
        return std::nullopt;
    return std::string(v->GetString(), v->GetStringLength());
}

std::optional<std::int64_t> optional_int(rapidjson::Value const& obj, std::string_view name) {
    auto const* v = find(obj, name);
    if (v == nullptr || !v->IsInt64())
        return std::nullopt;
    return v->GetInt64();
}

std::string_view string_or_empty(rapidjson::Value const& obj, std::string_view name) noexcept {
    auto const* v = find(obj, name);
    if (v == nullptr || !v->IsString())
        return {};
    return {v->GetString(), v->GetStringLength()};
}

} // namespace icemu::api::json
