#pragma once

#include <stdexcept>
#include <string>

namespace icemu::api::core {

/// Protocol-agnostic error category; each surface maps it to its own wire code.
enum class errc {
    invalid_argument, // a bad input value (AWS ValidationException, Huawei 400 IIC.400)
    serialization,    // the body is not the JSON the operation expects (AWS SerializationException)
    not_found,        // a missing resource (AWS ResourceNotFoundException)
    conflict,         // a state conflict (AWS ConflictException)
    quota_exceeded,   // a limit reached (AWS ServiceQuotaExceededException)
    access_denied,    // the caller may not do this (AWS AccessDeniedException)
    throttled,        // too many requests (AWS ThrottlingException)
    internal,         // anything else (AWS InternalServerException)
};

/// The precise reason beside the category, so that a surface can pick its exact code
/// (Huawei has several 409s and 404s).
enum class reason {
    none,
    invalid_token,            // NextToken / marker not issued for this operation and parameters
    instance_not_found,       //
    permission_set_not_found, //
    request_not_found,        //
    assignment_not_found,     //
    policy_not_found,         // a policy or reference to detach is not attached
    duplicate_name,           // a permission set with this name exists (Huawei IIC.1206)
    duplicate_policy,         // a policy is already attached (Huawei IIC.1207)
    still_attached,           // delete while assigned or provisioned (Huawei IIC.1210)
    in_flight,                // an IN_PROGRESS request holds the permission set (Huawei IIC.1006)
    instance_exists,          // one instance per owner account
    not_owner,                // (tenancy) the caller's account does not own the instance
    store_full,               // (storage) the store reached its size limit or the disk is full
    store_read_only,          // (storage) the store is read-only
    store_failed,             // (storage) any other storage failure
};

/// True for the reasons of a storage failure (the change was rolled back).
constexpr bool is_storage_failure(reason why) noexcept {
    return why == reason::store_full || why == reason::store_read_only ||
           why == reason::store_failed;
}

/// A domain error with a message that is safe to show to clients.
class error : public std::runtime_error {
public:
    error(errc code, std::string const& message, reason why = reason::none)
        : std::runtime_error(message), code_(code), reason_(why) {}
    errc code() const noexcept { return code_; }
    core::reason why() const noexcept { return reason_; }

private:
    errc code_;
    core::reason reason_;
};

} // namespace icemu::api::core
