#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "api/core/identity.hpp"
#include "api/core/service.hpp"
#include "api/json/writer.hpp"
#include "server/journal.hpp"
#include "server/message.hpp"
#include "server/path_router.hpp"

namespace icemu::api::admin {

struct admin_options {
    std::string version;
    std::string store_path;
    std::vector<std::string> surfaces;
    /// Appends the server's own metrics (HTTP counters, latency histogram) in Prometheus text
    /// to the answer of /_icemu/metrics; main wires it to the server's registry.
    std::function<void(std::string&)> server_metrics{};
    /// When set, every admin call but `GET /_icemu/health` must carry it as `Authorization:
    /// Bearer <token>` or `X-Icemu-Admin-Token: <token>`, else 401.
    std::string token{};
    /// Whether this listener serves only `/_icemu/health` (the rest of the admin API listens
    /// on its own address): other admin paths answer 404.
    bool health_only = false;
    /// The request journal that /_icemu/journal reads and clears (none: those calls answer an
    /// empty journal).
    server::journal* journal = nullptr;
    /// The identity stores that `GET /_icemu/state` exports (none: the state has no users,
    /// groups or memberships).
    core::identity_store* identity = nullptr;
};

/// icemu's own API under /_icemu/: health, reset, requests and their settlement, the
/// scheduler, the clock, fault rules and metrics; and moto's POST /moto-api/reset, the same
/// reset. Answers JSON objects; errors are {"error","message"}. Routes by a table of (method,
/// path pattern) on server::path_router, one handler a call.
class surface : public server::endpoint {
public:
    surface(core::service& svc, admin_options options);
    server::response handle(server::request const& req, server::call_info& info) override;
    server::response reject(server::request const& req, server::rejection why,
                            server::call_info& info) override;

private:
    // The call's answer; throws for every error, which handle() turns into its answer.
    server::response answer(server::request const& req, server::call_info& info);

    core::service& svc_;
    admin_options options_;
    std::chrono::steady_clock::time_point started_;
    server::path_router router_;
};

/// The default FailureReason of a request failed without one (a real AWS text).
inline constexpr std::string_view default_failure_reason =
    "An unexpected internal service exception was encountered";

/// The document of `GET /_icemu/state`: render_state's sections, the identity store's (when
/// `identity` is given), the requests and the scheduler. For `icemu export` as well.
void render_state_document(json::writer& out, core::service& svc, core::identity_store* identity);

/// Accepts an instance as its ARN, ssoins-<hex>, ins-<hex> or the bare 16 hex.
std::string instance_hex(std::string_view text);

} // namespace icemu::api::admin
