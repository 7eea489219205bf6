#pragma once

#include <array>
#include <optional>
#include <string_view>

/// The identifiers icemu accepts, in every form a surface, the admin API or the configuration
/// takes them. The library offers the forms; each caller names the ones it accepts and words its
/// own error. The views a parse returns point into the text given.
namespace icemu::ids {

/// A request id's 16 bytes.
using uuid = std::array<unsigned char, 16>;

/// The value of a hex digit of either case, or -1.
int hex_value(char c) noexcept;
/// True when every character is a lowercase hex digit (0-9, a-f); true for "".
bool is_lower_hex(std::string_view text) noexcept;
/// True for one or more decimal digits.
bool is_digits(std::string_view text) noexcept;
/// True for exactly 16 lowercase hex characters: an instance or permission set id as the core
/// stores it.
bool is_hex16(std::string_view text) noexcept;

/// The forms an instance may be written in.
struct instance_forms {
    bool hex = false;    ///< 0123456789abcdef
    bool ssoins = false; ///< ssoins-0123456789abcdef (AWS)
    bool ins = false;    ///< ins-0123456789abcdef (Huawei)
    bool arn = false;    ///< arn:aws:sso:::instance/ssoins-0123456789abcdef (any partition,
                         ///< ssoins- or ins-: the AWS model's pattern)
};
inline constexpr instance_forms every_instance_form{true, true, true, true};

/// The 16 hex of an instance written in one of `forms`, else nullopt.
std::optional<std::string_view> instance_id(std::string_view text, instance_forms forms) noexcept;

/// The forms a permission set may be written in.
struct permission_set_forms {
    bool hex = false; ///< 0123456789abcdef
    bool ps = false;  ///< ps-0123456789abcdef
    bool arn = false; ///< arn:aws:sso:::permissionSet/ssoins-<16 hex>/ps-0123456789abcdef
};
inline constexpr permission_set_forms every_permission_set_form{true, true, true};

/// The 16 hex of a permission set written in one of `forms`, else nullopt.
std::optional<std::string_view> permission_set_id(std::string_view text,
                                                  permission_set_forms forms) noexcept;

/// The two ids a permission set's ARN or URN names.
struct permission_set_ref {
    std::string_view instance_id;
    std::string_view permission_set_id;
};
/// arn:aws(-<1-5 a-z>){0,3}:sso:::permissionSet/(sso)ins-<16 hex>/ps-<16 hex>, else nullopt.
std::optional<permission_set_ref> permission_set_arn(std::string_view text) noexcept;
/// Huawei's identitycenter:::permissionset:ins-<16 hex>/ps-<16 hex>, else nullopt.
std::optional<permission_set_ref> permission_set_urn(std::string_view text) noexcept;

/// A request id: a 36-character UUID of either case.
std::optional<uuid> parse_uuid(std::string_view text) noexcept;
/// True for a 36-character UUID in lowercase.
bool is_lower_uuid(std::string_view text) noexcept;

/// An AWS account id: 12 digits.
bool is_aws_account(std::string_view text) noexcept;
/// A Huawei account (domain) id: 32 lowercase hex characters.
bool is_huawei_account(std::string_view text) noexcept;
/// Either.
bool is_account(std::string_view text) noexcept;

/// An identity store id as the AWS model has it: d-<10 lowercase hex> or a lowercase UUID.
bool is_identity_store_id(std::string_view text) noexcept;

} // namespace icemu::ids
