#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/core/model.hpp"

namespace icemu::api::core {

struct context;

/// A permission set's Huawei-only content (roles.cpp): managed roles and the custom role. Content
/// changes bump the version and throw conflict + in_flight while a request on the permission set
/// is IN_PROGRESS; all throw not_found for an unknown instance or permission set.
class roles {
public:
    explicit roles(context& ctx);

    /// conflict + duplicate_policy if attached already; quota_exceeded beyond 20 roles. Without
    /// a name the role is named as policies::attach_managed names a Huawei policy.
    void attach_managed(std::string_view instance_id, std::string_view permission_set_id,
                        named_policy const& role);
    /// not_found + policy_not_found if the role is not attached.
    void detach_managed(std::string_view instance_id, std::string_view permission_set_id,
                        std::string const& role_id);
    /// Every item has a name (see attach_managed).
    page_result<named_policy> list_managed(std::string_view instance_id,
                                           std::string_view permission_set_id,
                                           page_request const& page);
    void put_custom(std::string_view instance_id, std::string_view permission_set_id,
                    std::string const& document);
    /// None when the permission set has no custom role.
    std::optional<std::string> get_custom(std::string_view instance_id,
                                          std::string_view permission_set_id);
    /// Removes the custom role; without one it changes nothing (icemu's choice).
    void remove_custom(std::string_view instance_id, std::string_view permission_set_id);

private:
    context& ctx_;
};

} // namespace icemu::api::core
