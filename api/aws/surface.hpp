#pragma once

#include "api/core/ids.hpp"
#include "api/core/service.hpp"
#include "server/message.hpp"

namespace icemu::api::aws {

/// The sso-admin JSON 1.1 surface: dispatch on X-Amz-Target, model validation, one core call
/// per request, and every failure rendered as {"__type","Message"} + x-amzn-ErrorType.
class surface : public server::endpoint {
public:
    explicit surface(core::service& svc) noexcept : svc_(svc) {}
    server::response handle(server::request const& req, server::call_info& info) override;
    server::response reject(server::request const& req, server::rejection why,
                            server::call_info& info) override;

private:
    server::response answer(server::request const& req, server::call_info& info);
    server::response refuse(server::request const& req, server::rejection why,
                            server::call_info& info);

    core::service& svc_;
    core::id_source ids_;
};

} // namespace icemu::api::aws
