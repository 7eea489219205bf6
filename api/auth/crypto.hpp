#pragma once

#include <array>
#include <string>
#include <string_view>

namespace icemu::api::auth {

/// A SHA-256 or HMAC-SHA256 digest.
using digest = std::array<unsigned char, 32>;

/// Initialises OpenSSL without reading the system's openssl.cnf: icemu calls only SHA-256 and
/// HMAC-SHA256, which need no configuration. Called once at start, before any digest.
void init_crypto() noexcept;
/// SHA-256 of `data` (OpenSSL).
digest sha256(std::string_view data);
/// HMAC-SHA256 of `data` under `key` (OpenSSL).
digest hmac_sha256(std::string_view key, std::string_view data);
/// The digest as raw bytes, to key the next HMAC of a chain.
std::string_view as_key(digest const& d) noexcept;
/// Lowercase hex of the digest (64 characters).
std::string hex(digest const& d);
/// Lowercase hex of SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

/// True when `a` equals `b`, comparing in time that depends only on their lengths (no early
/// exit on the first differing byte), for signatures and tokens.
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

} // namespace icemu::api::auth
