#pragma once

#include <optional>
#include <string>
#include <utility>

#include "api/auth/credentials.hpp"
#include "api/core/identity.hpp"
#include "api/core/ids.hpp"
#include "api/core/service.hpp"
#include "server/message.hpp"

namespace icemu::api::aws {

/// The sso-admin JSON 1.1 surface: dispatch on X-Amz-Target, model validation, one core call
/// per request, and every failure rendered as {"__type","Message"} + x-amzn-ErrorType.
class surface : public server::endpoint {
public:
    /// Without `verify` (the open auth mode) signatures are not checked and the caller's
    /// account is the access key id of the request's Authorization header when it is 12
    /// digits, else `default_account_id`. With it (the verify mode, which must outlive the
    /// surface) every call of a known operation needs a valid SigV4 signature, and the
    /// caller's account is its credential's.
    /// With `identity` (which must outlive the surface) it also serves AWS identitystore
    /// (targets "AWSIdentityStore.<Operation>", signed for "identitystore").
    explicit surface(core::service& svc, std::string default_account_id = "123456789012",
                     auth::verifier const* verify = nullptr,
                     core::identity_store* identity = nullptr)
        : svc_(svc),
          default_account_id_(std::move(default_account_id)),
          verify_(verify),
          identity_(identity) {}
    server::response handle(server::request const& req, server::call_info& info) override;
    server::response reject(server::request const& req, server::rejection why,
                            server::call_info& info) override;

private:
    server::response answer(server::request const& req, server::call_info& info);
    server::response refuse(server::request const& req, server::rejection why,
                            server::call_info& info);

    server::response answer_identity(server::request const& req, server::call_info& info,
                                     std::string_view operation, std::string const& request_id);
    std::string caller_account(server::request const& req) const;
    /// The caller of a call signed for `service` (its key's account in the verify mode, else
    /// the claimed or default account), recorded in `info`; the refusal when the signature
    /// does not verify.
    std::optional<server::response> identify(server::request const& req, server::call_info& info,
                                             std::string const& request_id,
                                             std::string_view service, core::caller& who) const;

    core::service& svc_;
    std::string default_account_id_;
    auth::verifier const* verify_;
    core::identity_store* identity_;
    core::id_source ids_;
};

} // namespace icemu::api::aws
