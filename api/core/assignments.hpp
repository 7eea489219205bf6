#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "api/core/model.hpp"

namespace icemu::api::core {

struct context;
class lifecycle;

/// Account assignments (assignments.cpp): create and delete requests, and the lists.
class assignments {
public:
    assignments(context& ctx, lifecycle& requests);

    /// When set (identity.require_principals), asked as each assignment is created: a failure
    /// reason (the principal is not in the instance's identity store) makes it settle FAILED.
    std::function<std::optional<std::string>(std::string_view instance_id,
                                             std::string_view principal_type,
                                             std::string_view principal_id)>
        check_principal;

    async_request create(caller const& who, std::string_view instance_id,
                         assignment_target const& target);
    /// not_found when the assignment does not exist (icemu's choice).
    async_request remove(caller const& who, std::string_view instance_id,
                         assignment_target const& target);
    page_result<assignment> list_for_principal(std::string_view instance_id,
                                               std::string_view principal_type,
                                               std::string_view principal_id,
                                               std::optional<std::string> const& account_id,
                                               page_request const& page);
    page_result<assignment> list(std::string_view instance_id, std::string_view account_id,
                                 std::string_view permission_set_id, page_request const& page);
    /// The assignments in an account, of one permission set when given, else of all (Huawei).
    page_result<assignment> list_in_account(std::string_view instance_id,
                                            std::string_view account_id,
                                            std::optional<std::string_view> permission_set_id,
                                            page_request const& page);

private:
    context& ctx_;
    lifecycle& lifecycle_;
};

} // namespace icemu::api::core
