#include "api/huawei/input.hpp"

#include <algorithm>

#include "api/core/error.hpp"
#include "ids/ids.hpp"
#include "server/path_router.hpp"

namespace icemu::api::huawei {

namespace {

std::string hex_id_of(std::optional<std::string_view> id, std::string_view prefix,
                      std::string_view field) {
    if (!id)
        bad_request(std::string(field) + " must be '" + std::string(prefix) +
                    "' followed by 16 lowercase hexadecimal characters");
    return std::string(*id);
}

std::string length_rule(std::string_view field, std::size_t min, std::size_t max) {
    if (min == 0)
        return std::string(field) + " must be at most " + std::to_string(max) + " characters long";
    return std::string(field) + " must be " + std::to_string(min) + " to " + std::to_string(max) +
           " characters long";
}

} // namespace

void bad_request(std::string const& what) {
    throw core::error(core::errc::invalid_argument, "Bad Request: " + what + ".");
}

query::query(std::string_view target) {
    for (auto& [name, value] :
         server::path_router::query_params(server::path_router::query_of(target), true))
        if (!get(name))
            items_.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string> query::get(std::string_view name) const {
    for (auto const& [key, value] : items_)
        if (key == name)
            return value;
    return std::nullopt;
}

core::page_request page_of(query const& q) {
    core::page_request page;
    if (auto const limit = q.get("limit")) {
        bool const digits =
            !limit->empty() && limit->size() <= 3 &&
            std::all_of(limit->begin(), limit->end(), [](char c) { return c >= '0' && c <= '9'; });
        auto const value = digits ? std::stoll(*limit) : 0;
        if (value < 1 || value > 100)
            bad_request("limit must be an integer from 1 to 100");
        page.limit = value;
    }
    if (auto marker = q.get("marker")) {
        if (marker->size() != 24)
            bad_request("marker must be 24 characters long");
        page.token = std::move(*marker);
    }
    return page;
}

std::string instance_id_of(std::string_view text, std::string_view field) {
    return hex_id_of(ids::instance_id(text, {.ins = true}), "ins-", field);
}

std::string permission_set_id_of(std::string_view text, std::string_view field) {
    return hex_id_of(ids::permission_set_id(text, {.ps = true}), "ps-", field);
}

std::string_view request_id_of(std::string_view text) {
    if (text.size() != 36)
        bad_request("request_id must be 36 characters long");
    return text;
}

std::string account_of(std::string_view text, std::string_view field) {
    if (!ids::is_huawei_account(text))
        bad_request(std::string(field) + " must be 32 lowercase hexadecimal characters");
    return std::string(text);
}

std::string principal_id_of(std::string_view text, std::string_view field) {
    auto const n = char_count(text);
    if (n < 1 || n > 47)
        bad_request(length_rule(field, 1, 47));
    return std::string(text);
}

std::string one_of(std::string_view text, std::string_view field,
                   std::initializer_list<std::string_view> values) {
    if (std::find(values.begin(), values.end(), text) != values.end())
        return std::string(text);
    std::string list;
    for (auto const v : values)
        list += (list.empty() ? "" : ", ") + std::string(v);
    bad_request(std::string(field) + " must be one of " + list);
}

std::size_t char_count(std::string_view text) noexcept {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

std::optional<std::string> body_string(rapidjson::Value const& body, std::string_view field,
                                       std::size_t min, std::size_t max, bool required,
                                       std::string_view name) {
    if (name.empty())
        name = field;
    auto const it =
        body.FindMember(rapidjson::Value(rapidjson::StringRef(field.data(), field.size())));
    if (it == body.MemberEnd() || it->value.IsNull()) {
        if (required)
            bad_request(std::string(name) + " is required");
        return std::nullopt;
    }
    if (!it->value.IsString())
        bad_request(std::string(name) + " must be a string");
    std::string value(it->value.GetString(), it->value.GetStringLength());
    auto const n = char_count(value);
    if (n < min || n > max)
        bad_request(length_rule(name, min, max));
    return value;
}

std::string required_param(query const& q, std::string_view field) {
    auto value = q.get(field);
    if (!value || value->empty())
        bad_request(std::string(field) + " is required");
    return std::move(*value);
}

std::vector<core::tag> body_tags(rapidjson::Value const& body, bool required) {
    std::vector<core::tag> out;
    auto const it = body.FindMember("tags");
    if (it == body.MemberEnd() || it->value.IsNull()) {
        if (required)
            bad_request("tags is required");
        return out;
    }
    if (!it->value.IsArray())
        bad_request("tags must be an array");
    if (it->value.Size() > 50)
        bad_request("tags must have at most 50 items");
    std::size_t i = 0;
    for (auto const& item : it->value.GetArray()) {
        std::string const at = "tags[" + std::to_string(i++) + "]";
        if (!item.IsObject())
            bad_request(at + " must be an object");
        // A value may be empty but not absent or null.
        auto key = body_string(item, "key", 1, 128, true, at + ".key");
        auto value = body_string(item, "value", 0, 255, true, at + ".value");
        out.push_back({std::move(*key), std::move(*value)});
    }
    return out;
}

} // namespace icemu::api::huawei
