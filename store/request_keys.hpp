#pragma once

#include <array>
#include <cstdint>

#include "store/records.hpp"

namespace icemu::store {

/// What the requests table is keyed by: 122 bits, big-endian in 16 bytes (the top 6 bits zero),
/// the creation time in milliseconds first. A new request's row then lands next to the previous
/// one's: with random keys each write dirtied a page of its own (measured: 35% of the write
/// throughput and the p99 budget went to it), with ordered keys a group commit shares a few.
struct request_key {
    std::array<unsigned char, 16> bytes{};
    friend bool operator==(request_key const&, request_key const&) = default;
};

/// The requests' ids are what clients see: random-looking version-4 UUIDs. Each id is a fixed
/// permutation (a six-round Feistel network over the UUID's 122 free bits) of its key, so an id
/// needs no column or index of its own and the key needs no lookup.
request_key key_of(request_id const& id) noexcept;
/// The id of a key: key_of(id_of(k)) == k for every key.
request_id id_of(request_key const& key) noexcept;
/// True when `id` has the version-4 UUID's fixed bits (version 4, variant 10): every id icemu
/// makes does; others have no key (key_of ignores those bits) and name no request.
bool is_request_id(request_id const& id) noexcept;
/// A new id: its key holds `unix_ms` (48 bits) then 74 bits of `random_hi:random_lo`.
request_id new_request_id(std::int64_t unix_ms, std::uint64_t random_hi,
                          std::uint64_t random_lo) noexcept;

} // namespace icemu::store
