#pragma once

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
    explicit surface(core::service& svc);
    server::response handle(server::request const& req, server::call_info& info) override;
    server::response reject(server::request const& req, server::rejection why,
                            server::call_info& info) override;

private:
    server::response answer(server::request const& req, server::call_info& info,
                            std::string const& request_id);

    core::service& svc_;
    server::path_router router_;
    core::id_source ids_;
};

} // namespace icemu::api::huawei
