#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/core/model.hpp"

namespace icemu::api::core {

struct context;
class lifecycle;

/// Provisioning (provisioning.cpp): provision requests, describing and listing requests of every
/// kind, the requests that name an instance alone, and where a permission set is provisioned.
class provisioning {
public:
    provisioning(context& ctx, lifecycle& requests);

    /// `account_id` none = ALL_PROVISIONED_ACCOUNTS.
    async_request provision(caller const& who, std::string_view instance_id,
                            std::string_view permission_set_id,
                            std::optional<std::string> const& account_id);
    /// A request of `kind` in the instance by its id text; counts as a describe (polls mode).
    async_request describe_request(std::string_view instance_id, std::string_view id_text,
                                   request_kind kind);
    page_result<request_summary> list_requests(std::string_view instance_id, request_kind kind,
                                               std::optional<request_status> status,
                                               page_request const& page);
    /// `latest`: only accounts at (true) or behind (false) the permission set's version.
    page_result<std::string> list_accounts_for_provisioned_permission_set(
        std::string_view instance_id, std::string_view permission_set_id,
        std::optional<bool> latest, page_request const& page);
    page_result<std::string> list_permission_sets_provisioned_to_account(
        std::string_view instance_id, std::string_view account_id, std::optional<bool> latest,
        page_request const& page);

    // Requests that name an instance alone (the application family's asynchronous kinds).
    /// Starts a request of `kind` on the instance, inside the caller's write scope.
    async_request start_instance_request(caller const& who, std::string_view instance_id,
                                         request_kind kind);
    /// The instance's latest request of `kind`, counted as a describe (polls mode); none if it
    /// has none.
    std::optional<async_request> latest_instance_request(std::string_view instance_id,
                                                         request_kind kind);

private:
    context& ctx_;
    lifecycle& lifecycle_;
};

} // namespace icemu::api::core
