#include "api/auth/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace icemu::api::auth {

namespace {

unsigned char const* bytes(std::string_view s) noexcept {
    return reinterpret_cast<unsigned char const*>(s.data());
}

} // namespace

void init_crypto() noexcept {
    OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, nullptr);
}

digest sha256(std::string_view data) {
    digest out{};
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &size, EVP_sha256(), nullptr) != 1 ||
        size != out.size())
        throw std::runtime_error("SHA-256 failed");
    return out;
}

digest hmac_sha256(std::string_view key, std::string_view data) {
    digest out{};
    unsigned int size = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), bytes(data), data.size(),
             out.data(), &size) == nullptr ||
        size != out.size())
        throw std::runtime_error("HMAC-SHA256 failed");
    return out;
}

std::string_view as_key(digest const& d) noexcept {
    return {reinterpret_cast<char const*>(d.data()), d.size()};
}

std::string hex(digest const& d) {
    constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(d.size() * 2);
    for (unsigned char const c : d) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 0xf]);
    }
    return out;
}

std::string sha256_hex(std::string_view data) {
    return hex(sha256(data));
}

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    // The lengths of signatures and tokens are not secret; their bytes are.
    if (a.size() != b.size())
        return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace icemu::api::auth
