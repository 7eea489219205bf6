#pragma once

#include <string>
#include <utility>

#include "api/core/ids.hpp"
#include "api/core/service.hpp"
#include "server/message.hpp"

namespace icemu::api::aws {

/// The sso-admin JSON 1.1 surface: dispatch on X-Amz-Target, model validation, one core call
/// per request, and every failure rendered as {"__type","Message"} + x-amzn-ErrorType.
class surface : public server::endpoint {
public:
    /// `default_account_id` is the caller's account when the access key id of the request's
    /// Authorization header is not 12 digits (or there is none).
    explicit surface(core::service& svc, std::string default_account_id = "123456789012")
        : svc_(svc), default_account_id_(std::move(default_account_id)) {}
    server::response handle(server::request const& req, server::call_info& info) override;
    server::response reject(server::request const& req, server::rejection why,
                            server::call_info& info) override;

private:
    server::response answer(server::request const& req, server::call_info& info);
    server::response refuse(server::request const& req, server::rejection why,
                            server::call_info& info);

    std::string caller_account(server::request const& req) const;

    core::service& svc_;
    std::string default_account_id_;
    core::id_source ids_;
};

} // namespace icemu::api::aws
