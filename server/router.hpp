#pragma once

#include "server/message.hpp"

namespace icemu::server {

/// Chooses the surface for a request: `/_icemu/...` → admin; an `X-Amz-Target` header → aws;
/// `/v1/...` → huawei; anything else → aws for POST, huawei otherwise (each answers with its
/// own JSON error). The endpoints are owned by the caller and must outlive the router.
class router {
public:
    router(endpoint& admin, endpoint& aws, endpoint& huawei) noexcept
        : admin_(admin), aws_(aws), huawei_(huawei) {}

    /// The router of a listener that serves the admin API alone: every request goes to
    /// `admin` (which answers other paths with its own 404).
    static router admin_only(endpoint& admin) noexcept { return router(admin, admin, admin); }

    /// The endpoint that owns `req`. `/moto-api/...` (moto's own reset, which moto's
    /// server-mode suites call) belongs to the admin endpoint.
    endpoint& route(request const& req) const noexcept;

    /// The endpoint that answers a request Beast could not parse, by its request line alone
    /// (its fields may be missing or wrong): `/_icemu/` and `/moto-api/` → admin, `/v1/` →
    /// huawei, anything else (an unreadable line too) → aws.
    endpoint& route_malformed(request const& req) const noexcept;

    /// Answers `req` through its endpoint.
    response dispatch(request const& req, call_info& info) const {
        return route(req).handle(req, info);
    }

private:
    endpoint& admin_;
    endpoint& aws_;
    endpoint& huawei_;
};

} // namespace icemu::server
