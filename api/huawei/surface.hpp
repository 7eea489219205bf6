#pragma once

#include "api/core/ids.hpp"
#include "server/message.hpp"

namespace icemu::api::huawei {

/// The Huawei Cloud Identity Center v1 surface. Not built yet (issue 4): every call answers a
/// Huawei-format JSON error saying so, never HTML and never a silent success.
class surface : public server::endpoint {
public:
    server::response handle(server::request const& req, server::call_info& info) override;
    server::response reject(server::request const& req, server::rejection why,
                            server::call_info& info) override;

private:
    core::id_source ids_;
};

} // namespace icemu::api::huawei
