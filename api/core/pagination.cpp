#include "api/core/pagination.hpp"

#include "api/core/error.hpp"

#include <array>

namespace icemu::api::core {

namespace {

constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::size_t token_bytes = 18; // 8 position + 8 binding + 2 check = 24 characters

std::uint64_t fnv1a(std::uint64_t hash, std::string_view text) noexcept {
    for (char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

std::uint16_t check_of(std::array<unsigned char, token_bytes> const& bytes) noexcept {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (std::size_t i = 0; i + 2 < token_bytes; ++i) {
        hash ^= bytes[i];
        hash *= 0x100000001b3ULL;
    }
    return static_cast<std::uint16_t>(hash ^ (hash >> 16) ^ (hash >> 32) ^ (hash >> 48));
}

int decode_char(char c) noexcept {
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

[[noreturn]] void invalid() {
    throw error(errc::invalid_argument, "The pagination token is not valid for this request.",
                reason::invalid_token);
}

} // namespace

page_token::page_token(std::initializer_list<std::string_view> binding) noexcept {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (auto part : binding) {
        hash = fnv1a(hash, part);
        hash = fnv1a(hash, std::string_view("\x1f", 1));
    }
    binding_ = hash;
}

std::string page_token::encode(std::int64_t position) const {
    std::array<unsigned char, token_bytes> bytes{};
    auto const pos = static_cast<std::uint64_t>(position);
    for (std::size_t i = 0; i < 8; ++i) {
        bytes[i] = static_cast<unsigned char>(pos >> (56 - 8 * i));
        bytes[8 + i] = static_cast<unsigned char>(binding_ >> (56 - 8 * i));
    }
    auto const check = check_of(bytes);
    bytes[16] = static_cast<unsigned char>(check >> 8);
    bytes[17] = static_cast<unsigned char>(check & 0xff);
    std::string out;
    out.reserve(24);
    for (std::size_t i = 0; i < token_bytes; i += 3) {
        std::uint32_t const v = (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) |
                                std::uint32_t{bytes[i + 2]};
        out.push_back(alphabet[(v >> 18) & 63]);
        out.push_back(alphabet[(v >> 12) & 63]);
        out.push_back(alphabet[(v >> 6) & 63]);
        out.push_back(alphabet[v & 63]);
    }
    return out;
}

std::int64_t page_token::decode(std::string_view token) const {
    if (token.size() != 24)
        invalid();
    std::array<unsigned char, token_bytes> bytes{};
    for (std::size_t i = 0, b = 0; i < token.size(); i += 4, b += 3) {
        std::uint32_t v = 0;
        for (std::size_t j = 0; j < 4; ++j) {
            int const d = decode_char(token[i + j]);
            if (d < 0)
                invalid();
            v = (v << 6) | static_cast<std::uint32_t>(d);
        }
        bytes[b] = static_cast<unsigned char>(v >> 16);
        bytes[b + 1] = static_cast<unsigned char>(v >> 8);
        bytes[b + 2] = static_cast<unsigned char>(v);
    }
    std::uint64_t pos = 0;
    std::uint64_t binding = 0;
    for (std::size_t i = 0; i < 8; ++i) {
        pos = (pos << 8) | bytes[i];
        binding = (binding << 8) | bytes[8 + i];
    }
    auto const check = static_cast<std::uint16_t>((bytes[16] << 8) | bytes[17]);
    if (binding != binding_ || check != check_of(bytes))
        invalid();
    return static_cast<std::int64_t>(pos);
}

} // namespace icemu::api::core
