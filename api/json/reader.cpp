#include "api/json/reader.hpp"

#include <rapidjson/error/en.h>

namespace icemu::api::json {

bool parse_object(std::string_view text, rapidjson::Document& doc, std::string& problem) {
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        doc.SetObject();
        return true;
    }
    doc.Parse(text.data(), text.size());
    if (doc.HasParseError()) {
        problem = std::string(rapidjson::GetParseError_En(doc.GetParseError())) +
                  " (at offset " + std::to_string(doc.GetErrorOffset()) + ")";
        return false;
    }
    if (!doc.IsObject()) {
        problem = "the body must be a JSON object";
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
