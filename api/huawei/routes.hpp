#pragma once

#include <rapidjson/document.h>

#include <span>
#include <string_view>

#include "api/core/identity.hpp"
#include "api/core/service.hpp"
#include "api/huawei/input.hpp"
#include "api/json/writer.hpp"
#include "server/message.hpp"
#include "server/path_router.hpp"

namespace icemu::api::huawei {

/// What a route's handler works with: the path parameters, the query, the body (an object;
/// empty for GET and DELETE), the core, and the writer for the response body, which it leaves
/// untouched for an operation whose response has no body.
struct route_context {
    server::path_params const& params;
    huawei::query const& query;
    rapidjson::Value const& body;
    core::service& svc;
    core::caller const& who;
    json::writer& out;
    core::identity_store* identity = nullptr; // for the identity store's routes
};

/// A route's handler: validates its inputs, makes one core call, writes the body (if any).
using handler = void (*)(route_context&);

struct route {
    server::http::verb method;
    std::string_view pattern;   // e.g. "/v1/instances/{instance_id}/permission-sets"
    std::string_view operation; // for logs, metrics and fault rules
    handler fn;
    bool has_body; // whether the method carries a JSON body to parse
    server::http::status success = server::http::status::ok;
};

/// The 35 endpoints of the Huawei Identity Center v1 surface.
std::span<route const> routes() noexcept;

} // namespace icemu::api::huawei
