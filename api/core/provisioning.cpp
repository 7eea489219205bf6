// Provisioning: provision requests, describing and listing requests of every kind, and where
// a permission set is provisioned.
#include "api/core/provisioning.hpp"

#include <algorithm>
#include <utility>

#include "api/core/context.hpp"
#include "api/core/error.hpp"
#include "api/core/lifecycle.hpp"
#include "api/core/service_detail.hpp"
#include "ids/ids.hpp"
#include "store/database.hpp"
#include "store/requests.hpp"
#include "store/resources.hpp"

namespace icemu::api::core {

using namespace detail;

namespace {

std::string_view as_view(std::optional<bool> latest) noexcept {
    if (!latest)
        return "any";
    return *latest ? "latest" : "behind";
}

} // namespace

provisioning::provisioning(context& ctx, lifecycle& requests) : ctx_(ctx), lifecycle_(requests) {}

async_request provisioning::provision(caller const& who, std::string_view instance_id,
                                      std::string_view permission_set_id,
                                      std::optional<std::string> const& account_id) {
    ctx_.require_permission_set(instance_id, permission_set_id);
    std::optional<std::string_view> account;
    if (account_id)
        account = *account_id;
    // An ALL_PROVISIONED_ACCOUNTS request touches every account of the permission set, so any
    // request in flight on it conflicts; an account request conflicts with its own pair only.
    if (ctx_.requests.in_flight(permission_set_id, account))
        throw error(errc::conflict, std::string(conflicting_operation), reason::in_flight);
    async_request row;
    row.kind = request_kind::provision;
    row.instance_id = std::string(instance_id);
    row.permission_set_id = std::string(permission_set_id);
    row.account_id = account_id;
    // With nothing provisioned there is nothing to do: it settles SUCCEEDED at once.
    bool const nothing_to_do =
        !account_id && !ctx_.resources.is_provisioned_anywhere(permission_set_id);
    return lifecycle_.start(who, std::move(row), nothing_to_do);
}

async_request provisioning::describe_request(std::string_view instance_id, std::string_view id_text,
                                             request_kind kind) {
    auto const id = ids::parse_uuid(id_text);
    auto row = id ? ctx_.requests.find(*id) : std::nullopt;
    // The row names its instance, and deleting an instance erases its requests: the instance
    // is looked up only to say which of the two is missing (the hot read path is one query).
    if (!row || row->kind != to_store(kind) || row->instance_id != instance_id) {
        ctx_.require_instance(instance_id);
        throw error(errc::not_found, "Request with id " + std::string(id_text) + " does not exist.",
                    reason::request_not_found);
    }
    auto out = to_core(std::move(*row)); // the hot read path: no copy of its strings
    lifecycle_.count_poll(out);
    return out;
}

async_request provisioning::start_instance_request(caller const& who, std::string_view instance_id,
                                                   request_kind kind) {
    async_request row;
    row.kind = kind;
    row.instance_id = std::string(instance_id);
    return lifecycle_.start(who, std::move(row), false);
}

std::optional<async_request> provisioning::latest_instance_request(std::string_view instance_id,
                                                                   request_kind kind) {
    auto const latest =
        ctx_.requests.list(instance_id, to_store(kind), std::nullopt, max_position, 1);
    if (latest.rows.empty())
        return std::nullopt;
    auto row = ctx_.requests.find(latest.rows.front().id);
    if (!row)
        return std::nullopt;
    auto out = to_core(std::move(*row));
    lifecycle_.count_poll(out);
    return out;
}

page_result<request_summary> provisioning::list_requests(std::string_view instance_id,
                                                         request_kind kind,
                                                         std::optional<request_status> status,
                                                         page_request const& page) {
    ctx_.require_instance(instance_id);
    page_token const token{"ListRequests", to_string(kind), instance_id,
                           status ? to_string(*status) : "any"};
    return page_of(token, ctx_.requests.list(instance_id, to_store(kind), to_store(status),
                                             before(token, page), ctx_.page_limit(page)));
}

page_result<std::string> provisioning::list_accounts_for_provisioned_permission_set(
    std::string_view instance_id, std::string_view permission_set_id, std::optional<bool> latest,
    page_request const& page) {
    ctx_.require_permission_set(instance_id, permission_set_id);
    page_token const token{"ListAccountsForProvisionedPermissionSet", instance_id,
                           permission_set_id, as_view(latest)};
    return page_of(
        token, ctx_.resources.list_provisioned_accounts(permission_set_id, latest,
                                                        after(token, page), ctx_.page_limit(page)));
}

page_result<std::string> provisioning::list_permission_sets_provisioned_to_account(
    std::string_view instance_id, std::string_view account_id, std::optional<bool> latest,
    page_request const& page) {
    ctx_.require_instance(instance_id);
    page_token const token{"ListPermissionSetsProvisionedToAccount", instance_id, account_id,
                           as_view(latest)};
    return page_of(token,
                   ctx_.resources.list_provisioned_permission_sets(
                       instance_id, account_id, latest, after(token, page), ctx_.page_limit(page)));
}

} // namespace icemu::api::core
