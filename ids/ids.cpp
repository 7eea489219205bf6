#include "ids/ids.hpp"

#include <algorithm>

namespace icemu::ids {

namespace {

bool is_lower_hex_digit(char c) noexcept {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

// Removes `prefix` from the front of `text`; false (and `text` unchanged) when absent.
bool consume(std::string_view& text, std::string_view prefix) noexcept {
    if (!text.starts_with(prefix))
        return false;
    text.remove_prefix(prefix.size());
    return true;
}

// "arn:aws" and up to three "-<1 to 5 lowercase letters>" (aws-cn, aws-us-gov, ...).
bool consume_partition(std::string_view& text) noexcept {
    if (!consume(text, "arn:aws"))
        return false;
    for (int parts = 0; parts < 3 && text.starts_with('-'); ++parts) {
        auto const letters =
            std::find_if(text.begin() + 1, text.end(), [](char c) { return c < 'a' || c > 'z'; }) -
            (text.begin() + 1);
        if (letters < 1 || letters > 5)
            return false;
        text.remove_prefix(1 + static_cast<std::size_t>(letters));
    }
    return true;
}

// "ssoins-" or "ins-", the forms an ARN names an instance in.
bool consume_instance_prefix(std::string_view& text) noexcept {
    return consume(text, "ssoins-") || consume(text, "ins-");
}

// The 16 hex at the front of `text`, consumed; nullopt when they are not there.
std::optional<std::string_view> consume_hex16(std::string_view& text) noexcept {
    auto const hex = text.substr(0, 16);
    if (!is_hex16(hex))
        return std::nullopt;
    text.remove_prefix(16);
    return hex;
}

// The 16 hex that are all of `text`.
std::optional<std::string_view> whole_hex16(std::string_view text) noexcept {
    return is_hex16(text) ? std::optional(text) : std::nullopt;
}

// "ins-<16 hex>/ps-<16 hex>" (after "ssoins-"/"ins-" was consumed: "<hex>/ps-<hex>").
std::optional<permission_set_ref> instance_and_permission_set(std::string_view text) noexcept {
    auto const instance = consume_hex16(text);
    if (!instance || !consume(text, "/ps-"))
        return std::nullopt;
    auto const ps = whole_hex16(text);
    if (!ps)
        return std::nullopt;
    return permission_set_ref{*instance, *ps};
}

} // namespace

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool is_lower_hex(std::string_view text) noexcept {
    return std::all_of(text.begin(), text.end(), is_lower_hex_digit);
}

bool is_digits(std::string_view text) noexcept {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_hex16(std::string_view text) noexcept {
    return text.size() == 16 && is_lower_hex(text);
}

std::optional<std::string_view> instance_id(std::string_view text, instance_forms forms) noexcept {
    if (forms.hex && is_hex16(text))
        return text;
    auto rest = text;
    if (forms.ssoins && consume(rest, "ssoins-"))
        return whole_hex16(rest);
    rest = text;
    if (forms.ins && consume(rest, "ins-"))
        return whole_hex16(rest);
    rest = text;
    if (forms.arn && consume_partition(rest) && consume(rest, ":sso:::instance/") &&
        consume_instance_prefix(rest))
        return whole_hex16(rest);
    return std::nullopt;
}

std::optional<std::string_view> permission_set_id(std::string_view text,
                                                  permission_set_forms forms) noexcept {
    if (forms.hex && is_hex16(text))
        return text;
    auto rest = text;
    if (forms.ps && consume(rest, "ps-"))
        return whole_hex16(rest);
    if (forms.arn)
        if (auto const ref = permission_set_arn(text))
            return ref->permission_set_id;
    return std::nullopt;
}

std::optional<permission_set_ref> permission_set_arn(std::string_view text) noexcept {
    if (!consume_partition(text) || !consume(text, ":sso:::permissionSet/") ||
        !consume_instance_prefix(text))
        return std::nullopt;
    return instance_and_permission_set(text);
}

std::optional<permission_set_ref> permission_set_urn(std::string_view text) noexcept {
    if (!consume(text, "identitycenter:::permissionset:ins-"))
        return std::nullopt;
    return instance_and_permission_set(text);
}

std::optional<uuid> parse_uuid(std::string_view text) noexcept {
    if (text.size() != 36)
        return std::nullopt;
    uuid id{};
    std::size_t byte = 0;
    for (std::size_t i = 0; i < text.size();) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (text[i] != '-')
                return std::nullopt;
            ++i;
            continue;
        }
        int const hi = hex_value(text[i]);
        int const lo = hex_value(text[i + 1]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        id[byte++] = static_cast<unsigned char>(hi * 16 + lo);
        i += 2;
    }
    return id;
}

bool is_lower_uuid(std::string_view text) noexcept {
    if (text.size() != 36)
        return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        bool const dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? text[i] != '-' : !is_lower_hex_digit(text[i]))
            return false;
    }
    return true;
}

bool is_aws_account(std::string_view text) noexcept {
    return text.size() == 12 && is_digits(text);
}

bool is_huawei_account(std::string_view text) noexcept {
    return text.size() == 32 && is_lower_hex(text);
}

bool is_account(std::string_view text) noexcept {
    return is_aws_account(text) || is_huawei_account(text);
}

bool is_identity_store_id(std::string_view text) noexcept {
    return (text.size() == 12 && text.starts_with("d-") && is_lower_hex(text.substr(2))) ||
           is_lower_uuid(text);
}

} // namespace icemu::ids
