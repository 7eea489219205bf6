#include "api/json/utf8.hpp"

#include <cstddef>

namespace icemu::api::json {

namespace {

// The length of the valid UTF-8 sequence at the start of `text`, or 0 if it is not one.
std::size_t sequence_length(std::string_view text) noexcept {
    auto const byte = [&](std::size_t at) { return static_cast<unsigned char>(text[at]); };
    auto const in = [&](std::size_t at, unsigned char lo, unsigned char hi) {
        return at < text.size() && byte(at) >= lo && byte(at) <= hi;
    };
    unsigned char const b = byte(0);
    if (b < 0x80)
        return 1;
    if (b >= 0xc2 && b <= 0xdf)
        return in(1, 0x80, 0xbf) ? 2 : 0;
    if (b >= 0xe0 && b <= 0xef) {
        unsigned char const lo = b == 0xe0 ? 0xa0 : 0x80; // overlong
        unsigned char const hi = b == 0xed ? 0x9f : 0xbf; // surrogates
        return in(1, lo, hi) && in(2, 0x80, 0xbf) ? 3 : 0;
    }
    if (b >= 0xf0 && b <= 0xf4) {
        unsigned char const lo = b == 0xf0 ? 0x90 : 0x80; // overlong
        unsigned char const hi = b == 0xf4 ? 0x8f : 0xbf; // above U+10FFFF
        return in(1, lo, hi) && in(2, 0x80, 0xbf) && in(3, 0x80, 0xbf) ? 4 : 0;
    }
    return 0;
}

} // namespace

bool is_utf8(std::string_view text) noexcept {
    while (!text.empty()) {
        auto const n = sequence_length(text);
        if (n == 0)
            return false;
        text.remove_prefix(n);
    }
    return true;
}

std::string to_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    while (!text.empty()) {
        auto const n = sequence_length(text);
        if (n == 0) {
            out.append("\xef\xbf\xbd");
            text.remove_prefix(1);
            continue;
        }
        out.append(text.substr(0, n));
        text.remove_prefix(n);
    }
    return out;
}

} // namespace icemu::api::json
