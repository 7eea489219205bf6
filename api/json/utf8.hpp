#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace icemu::api::json {

/// True when `text` is strict UTF-8 (no overlong forms, surrogates or code points above
/// U+10FFFF), as every JSON client decodes it.
bool is_utf8(std::string_view text) noexcept;

/// True when every byte of `text` is printable ASCII other than '"' and '\\' (0x20-0x7f): valid
/// UTF-8 that JSON writes as it is. Ids, ARNs, dates and enum values nearly always are, so the
/// writer tests this first, eight bytes at a time.
inline bool is_plain_ascii(std::string_view text) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    // The high bit of each byte of v that is zero is set here (a borrow may set it in a byte
    // above a zero one as well, which does not matter: there is a zero byte anyway).
    auto const has_zero = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
    // A high bit: not ASCII; (w - 0x20...) & ~w: a byte below 0x20; then '"' and '\\'.
    auto const plain_word = [&](std::uint64_t w) {
        return ((w | ((w - ones * 0x20) & ~w) | has_zero(w ^ (ones * '"')) |
                 has_zero(w ^ (ones * '\\'))) &
                highs) == 0;
    };
    char const* const p = text.data();
    std::size_t const n = text.size();
    std::uint64_t w;
    if (n >= 8) {
        std::size_t at = 0;
        for (; at + 8 <= n; at += 8) {
            std::memcpy(&w, p + at, 8);
            if (!plain_word(w))
                return false;
        }
        if (at == n)
            return true;
        std::memcpy(&w, p + n - 8, 8); // the last 8 bytes, overlapping the word before
        return plain_word(w);
    }
    if (n >= 4) { // two 4-byte halves, overlapping when n < 8
        std::uint32_t first;
        std::uint32_t last;
        std::memcpy(&first, p, 4);
        std::memcpy(&last, p + n - 4, 4);
        return plain_word(first | (std::uint64_t{last} << 32));
    }
    w = ones * 'a'; // plain padding
    if (n != 0)     // (a default string_view's data is null)
        std::memcpy(&w, p, n);
    return plain_word(w);
}

/// True when every byte of `text` is below 0x80: ASCII, which is valid UTF-8 as it is. Eight
/// bytes at a time; a request body nearly always is.
inline bool is_ascii(std::string_view text) noexcept {
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    char const* const p = text.data();
    std::size_t const n = text.size();
    std::uint64_t seen = 0;
    std::size_t at = 0;
    for (; at + 8 <= n; at += 8) {
        std::uint64_t w;
        std::memcpy(&w, p + at, 8);
        seen |= w;
    }
    for (; at < n; ++at)
        seen |= static_cast<unsigned char>(p[at]);
    return (seen & highs) == 0;
}

/// `text` with each byte that does not start a valid UTF-8 sequence replaced by U+FFFD, so that
/// echoing a header or path never makes an answer invalid JSON.
std::string to_utf8(std::string_view text);

} // namespace icemu::api::json
