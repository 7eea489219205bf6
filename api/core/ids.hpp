#pragma once

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "api/core/model.hpp"

namespace icemu::api::core {

/// Random identifiers (not seeded: ids never depend on scheduler.seed).
class id_source {
public:
    id_source();
    /// 16 lowercase hex characters.
    std::string hex16();
    /// A random (version 4) UUID, e.g. a call's x-amzn-RequestId.
    request_id uuid();
    /// A new async request's id: as random-looking as uuid(), but its storage key orders by
    /// creation time (store::new_request_id), so that it is stored next to the previous one.
    request_id request_uuid();

private:
    std::mt19937_64 engine_;
};

/// The 36-character lowercase text of a request id.
std::string format_uuid(request_id const& id);
/// The same text in a fixed array (no allocation), e.g. for a list page's hundred ids.
struct uuid_text {
    std::array<char, 36> chars;
    std::string_view view() const noexcept { return {chars.data(), chars.size()}; }
};
uuid_text uuid_chars(request_id const& id) noexcept;
/// The first `chars` hex characters of SHA-256(text): stable ids derived from a name.
std::string derived_hex(std::string_view text, std::size_t chars);

} // namespace icemu::api::core
