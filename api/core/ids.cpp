#include "api/core/ids.hpp"

#include <openssl/sha.h>

#include <array>
#include <chrono>
#include <cstring>

#include "store/request_keys.hpp"

namespace icemu::api::core {

namespace {

constexpr char hex_digits[] = "0123456789abcdef";

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

namespace {

// Each byte's two hex digits, and where each byte of a UUID goes in its text: a list page
// formats a hundred ids.
constexpr auto hex_pairs = [] {
    std::array<std::array<char, 2>, 256> pairs{};
    for (std::size_t b = 0; b < pairs.size(); ++b)
        pairs[b] = {hex_digits[b >> 4], hex_digits[b & 0xf]};
    return pairs;
}();
constexpr std::array<std::size_t, 16> uuid_offsets{0,  2,  4,  6,  9,  11, 14, 16,
                                                   19, 21, 24, 26, 28, 30, 32, 34};

} // namespace

uuid_text uuid_chars(request_id const& id) noexcept {
    uuid_text out;
    out.chars[8] = out.chars[13] = out.chars[18] = out.chars[23] = '-';
    for (std::size_t i = 0; i < id.size(); ++i)
        std::memcpy(out.chars.data() + uuid_offsets[i], hex_pairs[id[i]].data(), 2);
    return out;
}

std::string format_uuid(request_id const& id) {
    return std::string(uuid_chars(id).view());
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
