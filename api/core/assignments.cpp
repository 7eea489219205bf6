// Account assignments: create and delete requests, and the lists.
#include "api/core/assignments.hpp"

#include <algorithm>
#include <utility>

#include "api/core/context.hpp"
#include "api/core/error.hpp"
#include "api/core/lifecycle.hpp"
#include "api/core/service_detail.hpp"
#include "store/database.hpp"
#include "store/requests.hpp"
#include "store/resources.hpp"

namespace icemu::api::core {

using namespace detail;

assignments::assignments(context& ctx, lifecycle& requests) : ctx_(ctx), lifecycle_(requests) {}

async_request assignments::create(caller const& who, std::string_view instance_id,
                                  assignment_target const& target) {
    ctx_.require_permission_set(instance_id, target.permission_set_id);
    if (ctx_.requests.in_flight(target.permission_set_id, std::string_view(target.account_id)))
        throw error(errc::conflict, std::string(conflicting_operation), reason::in_flight);
    async_request row;
    row.kind = request_kind::assignment_create;
    row.instance_id = std::string(instance_id);
    row.permission_set_id = target.permission_set_id;
    row.account_id = target.account_id;
    row.principal_type = target.principal_type;
    row.principal_id = target.principal_id;
    std::optional<std::string> why;
    if (check_principal)
        why = check_principal(instance_id, target.principal_type, target.principal_id);
    return lifecycle_.start(who, std::move(row), false, std::move(why));
}

async_request assignments::remove(caller const& who, std::string_view instance_id,
                                  assignment_target const& target) {
    ctx_.require_permission_set(instance_id, target.permission_set_id);
    if (ctx_.requests.in_flight(target.permission_set_id, std::string_view(target.account_id)))
        throw error(errc::conflict, std::string(conflicting_operation), reason::in_flight);
    if (!ctx_.resources.assignment_exists({0, std::string(instance_id), target.permission_set_id,
                                           target.account_id, target.principal_type,
                                           target.principal_id}))
        throw error(errc::not_found, "Assignment not found.", reason::assignment_not_found);
    async_request row;
    row.kind = request_kind::assignment_delete;
    row.instance_id = std::string(instance_id);
    row.permission_set_id = target.permission_set_id;
    row.account_id = target.account_id;
    row.principal_type = target.principal_type;
    row.principal_id = target.principal_id;
    return lifecycle_.start(who, std::move(row), false);
}

page_result<assignment> assignments::list_for_principal(
    std::string_view instance_id, std::string_view principal_type, std::string_view principal_id,
    std::optional<std::string> const& account_id, page_request const& page) {
    ctx_.require_instance(instance_id);
    page_token const token{"ListAccountAssignmentsForPrincipal", instance_id, principal_type,
                           principal_id, account_id.value_or("")};
    return page_of(token, ctx_.resources.list_assignments_for_principal(
                              instance_id, principal_type, principal_id, account_id,
                              after(token, page), ctx_.page_limit(page)));
}

page_result<assignment> assignments::list(std::string_view instance_id, std::string_view account_id,
                                          std::string_view permission_set_id,
                                          page_request const& page) {
    ctx_.require_permission_set(instance_id, permission_set_id);
    page_token const token{"ListAccountAssignments", instance_id, account_id, permission_set_id};
    return page_of(token,
                   ctx_.resources.list_assignments(instance_id, account_id, permission_set_id,
                                                   after(token, page), ctx_.page_limit(page)));
}

page_result<assignment> assignments::list_in_account(
    std::string_view instance_id, std::string_view account_id,
    std::optional<std::string_view> permission_set_id, page_request const& page) {
    if (permission_set_id)
        return list(instance_id, account_id, *permission_set_id, page);
    ctx_.require_instance(instance_id);
    page_token const token{"ListAccountAssignments", instance_id, account_id, "*"};
    return page_of(token, ctx_.resources.list_account_assignments(
                              instance_id, account_id, after(token, page), ctx_.page_limit(page)));
}

} // namespace icemu::api::core
