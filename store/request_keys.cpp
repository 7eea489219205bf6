#include "store/request_keys.hpp"

#include <bit>
#include <cstring>

namespace icemu::store {

namespace {

constexpr std::uint64_t mask61 = (std::uint64_t{1} << 61) - 1;

// Round keys: fixed, so that an id means the same request in every store and every version.
constexpr std::array<std::uint64_t, 6> round_keys{
    0x9e3779b97f4a7c15ULL, 0xbf58476d1ce4e5b9ULL, 0x94d049bb133111ebULL,
    0x2545f4914f6cdd1dULL, 0xd6e8feb86659fd93ULL, 0xa0761d6478bd642fULL,
};

// MurmurHash3's 64-bit finaliser: every input bit flips about half of the output bits.
std::uint64_t mix(std::uint64_t v) noexcept {
    v ^= v >> 33;
    v *= 0xff51afd7ed558ccdULL;
    v ^= v >> 33;
    v *= 0xc4ceb9fe1a85ec53ULL;
    v ^= v >> 33;
    return v;
}

std::uint64_t round_value(std::uint64_t half, std::size_t round) noexcept {
    return mix(half ^ round_keys[round]) & mask61;
}

// 122 bits as two 61-bit halves.
struct halves {
    std::uint64_t left;
    std::uint64_t right;
};

// 16 bytes as two big-endian words, and back (whatever the machine's byte order: an id must
// mean the same request everywhere).
std::uint64_t big_endian(std::uint64_t v) noexcept {
    if constexpr (std::endian::native == std::endian::little)
        return __builtin_bswap64(v);
    else
        return v;
}

std::uint64_t load_be(unsigned char const* p) noexcept {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return big_endian(v);
}

void store_be(std::uint64_t v, unsigned char* p) noexcept {
    v = big_endian(v);
    std::memcpy(p, &v, 8);
}

// A key's 122 bits (bytes big-endian, top 6 bits zero) as halves, and back.
halves split_key(request_key const& key) noexcept {
    std::uint64_t const hi = load_be(key.bytes.data()) & ((std::uint64_t{1} << 58) - 1);
    std::uint64_t const lo = load_be(key.bytes.data() + 8);
    return {(hi << 3) | (lo >> 61), lo & mask61};
}

request_key join_key(halves h) noexcept {
    request_key key;
    store_be(h.left >> 3, key.bytes.data());
    store_be((h.left << 61) | h.right, key.bytes.data() + 8);
    return key;
}

// An id's 122 free bits: 48 before the version nibble (4), 12 between it and the variant bits
// (10), 62 after them.
halves split_id(request_id const& id) noexcept {
    std::uint64_t const hi = load_be(id.data());
    std::uint64_t const lo = load_be(id.data() + 8);
    std::uint64_t const first = hi >> 16;                           // 48
    std::uint64_t const middle = hi & 0x0fff;                       // 12
    std::uint64_t const last = lo & ((std::uint64_t{1} << 62) - 1); // 62
    // left = first 48 bits + top 13 of the next 74; right = the remaining 61.
    std::uint64_t const rest_hi = (middle << 1) | (last >> 61); // 13 bits
    return {(first << 13) | rest_hi, last & mask61};
}

request_id join_id(halves h) noexcept {
    std::uint64_t const first = h.left >> 13;
    std::uint64_t const rest_hi = h.left & 0x1fff;
    std::uint64_t const middle = rest_hi >> 1;
    std::uint64_t const last = ((rest_hi & 1) << 61) | h.right;
    request_id id;
    store_be((first << 16) | 0x4000 | middle, id.data());
    store_be((std::uint64_t{0x80} << 56) | last, id.data() + 8);
    return id;
}

} // namespace

request_id id_of(request_key const& key) noexcept {
    halves h = split_key(key);
#pragma GCC unroll 6
    for (std::size_t round = 0; round < round_keys.size(); ++round)
        h = {h.right, h.left ^ round_value(h.right, round)};
    return join_id(h);
}

request_key key_of(request_id const& id) noexcept {
    halves h = split_id(id);
    for (std::size_t round = round_keys.size(); round-- > 0;)
        h = {h.right ^ round_value(h.left, round), h.left};
    return join_key(h);
}

bool is_request_id(request_id const& id) noexcept {
    return (id[6] & 0xf0) == 0x40 && (id[8] & 0xc0) == 0x80;
}

request_id new_request_id(std::int64_t unix_ms, std::uint64_t random_hi,
                          std::uint64_t random_lo) noexcept {
    auto const ms = static_cast<std::uint64_t>(unix_ms) & ((std::uint64_t{1} << 48) - 1);
    // 48 bits of time then 74 random: the 122-bit value's top 58 bits hold the time and 10
    // random bits, the low 64 the rest.
    request_key key;
    store_be((ms << 10) | (random_hi & 0x3ff), key.bytes.data());
    store_be(random_lo, key.bytes.data() + 8);
    return id_of(key);
}

} // namespace icemu::store
