#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace icemu::api::core {

/// Opaque page tokens: 24 URL-safe base64 characters (the Huawei marker length; within the AWS
/// Token pattern) carrying the keyset position and a hash that binds the token to the
/// operation and its parameters.
class page_token {
public:
    /// `binding` is the operation name followed by every parameter that shapes the list.
    explicit page_token(std::initializer_list<std::string_view> binding) noexcept;

    std::string encode(std::int64_t position) const;
    /// The position a token carries; throws error{invalid_argument, reason::invalid_token} if
    /// it is malformed or was issued for another operation or other parameters.
    std::int64_t decode(std::string_view token) const;

private:
    std::uint64_t binding_;
};

} // namespace icemu::api::core
