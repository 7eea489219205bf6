#pragma once

#include "api/auth/credentials.hpp"
#include "api/core/identity.hpp"
#include "api/core/ids.hpp"
#include "api/core/service.hpp"
#include "server/message.hpp"
#include "server/path_router.hpp"

namespace icemu::api::huawei {

/// The Huawei Cloud Identity Center v1 REST surface (`/v1/...`): path routing (literal segments
/// beat parameters), Huawei validation, one core call per request, and every failure rendered
/// as {"error_code","error_msg","request_id"}. Every response carries `X-Request-Id` (32 hex).
class surface : public server::endpoint {
public:
    /// Without `verify` (the open auth mode) signatures are not checked and X-Domain-Id names
    /// the caller's account. With it (the verify mode, which must outlive the surface) every
    /// call of a known route needs a valid SDK-HMAC-SHA256 signature (else 401 APIG.0301), and
    /// the caller's account is its credential's.
    /// With `identity`, the identity store's endpoints (/v1/identity-stores/...) are served too.
    explicit surface(core::service& svc, auth::verifier const* verify = nullptr,
                     core::identity_store* identity = nullptr);
    server::response handle(server::request const& req, server::call_info& info) override;
    server::response reject(server::request const& req, server::rejection why,
                            server::call_info& info) override;

private:
    server::response answer(server::request const& req, server::call_info& info,
                            std::string const& request_id);

    core::service& svc_;
    auth::verifier const* verify_;
    core::identity_store* identity_;
    server::path_router router_;
    core::id_source ids_;
};

} // namespace icemu::api::huawei
