#include "api/core/ids.hpp"

#include <openssl/sha.h>

#include <array>
#include <chrono>

#include "store/request_keys.hpp"

namespace icemu::api::core {

namespace {

constexpr char hex_digits[] = "0123456789abcdef";

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace

id_source::id_source() {
    std::random_device device;
    std::seed_seq seq{device(), device(), device(), device()};
    engine_.seed(seq);
}

std::string id_source::hex16() {
    std::uint64_t value = engine_();
    std::string out(16, '0');
    for (auto& c : out) {
        c = hex_digits[value & 0xf];
        value >>= 4;
    }
    return out;
}

request_id id_source::uuid() {
    request_id id{};
    for (std::size_t i = 0; i < id.size(); i += 8) {
        std::uint64_t value = engine_();
        for (std::size_t j = 0; j < 8; ++j, value >>= 8)
            id[i + j] = static_cast<unsigned char>(value & 0xff);
    }
    id[6] = static_cast<unsigned char>((id[6] & 0x0f) | 0x40);
    id[8] = static_cast<unsigned char>((id[8] & 0x3f) | 0x80);
    return id;
}

request_id id_source::request_uuid() {
    auto const now = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    std::uint64_t const high = engine_();
    return store::new_request_id(now.count(), high, engine_());
}

uuid_text uuid_chars(request_id const& id) noexcept {
    uuid_text out;
    char* p = out.chars.data();
    for (std::size_t i = 0; i < id.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *p++ = '-';
        *p++ = hex_digits[id[i] >> 4];
        *p++ = hex_digits[id[i] & 0xf];
    }
    return out;
}

std::string format_uuid(request_id const& id) {
    return std::string(uuid_chars(id).view());
}

std::optional<request_id> parse_uuid(std::string_view text) noexcept {
    if (text.size() != 36)
        return std::nullopt;
    request_id id{};
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

bool is_hex16(std::string_view text) noexcept {
    if (text.size() != 16)
        return false;
    for (char c : text)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return true;
}

std::string derived_hex(std::string_view text, std::size_t chars) {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(reinterpret_cast<unsigned char const*>(text.data()), text.size(), digest.data());
    std::string out;
    for (std::size_t i = 0; out.size() < chars && i < digest.size(); ++i) {
        out.push_back(hex_digits[digest[i] >> 4]);
        out.push_back(hex_digits[digest[i] & 0xf]);
    }
    out.resize(chars);
    return out;
}

} // namespace icemu::api::core
