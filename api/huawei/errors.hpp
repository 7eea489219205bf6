#pragma once

#include <string>
#include <string_view>

#include "api/core/error.hpp"
#include "server/message.hpp"

namespace icemu::api::huawei {

/// A Huawei error as sent: HTTP status, `error_code` and `error_msg`.
struct wire_error {
    server::http::status status;
    std::string_view code;
    std::string message;
};

/// What the path and body named, for error texts that name the resource.
struct error_context {
    std::string_view operation;   // e.g. "CreatePermissionSet"
    std::string_view instance_id; // as sent ("ins-..."), may be empty
    std::string_view request_id;  // as sent, may be empty
};

/// The documented code for a core error: its reason picks among Huawei's 404s and 409s; a
/// storage failure is answered as rejection_error() answers it.
wire_error to_wire(core::error const& e, error_context const& ctx);
/// 500 IIC.500 (no Huawei code is documented for an internal error: icemu's choice).
wire_error internal_error();
/// A refusal decided by the server or a storage failure (icemu's choice of codes: 413 and 431
/// are IIC.400, 408 IIC.408, 503 IIC.503, 500 IIC.500 with the reason).
wire_error rejection_error(server::rejection why);

} // namespace icemu::api::huawei
