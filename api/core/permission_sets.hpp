#pragma once

#include <string_view>
#include <vector>

#include "api/core/model.hpp"

namespace icemu::api::core {

struct context;

/// Permission sets (permission_sets.cpp): create, describe, update, delete, list, and the
/// Huawei surface's lookups (filters, the summary, a permission set by its id alone).
class permission_sets {
public:
    explicit permission_sets(context& ctx);

    /// quota_exceeded with more than 50 tags; conflict + duplicate_name for a name in use.
    permission_set create(std::string_view instance_id, permission_set_input const& input,
                          std::vector<tag> const& tags = {});
    permission_set describe(std::string_view instance_id, std::string_view permission_set_id);
    page_result<permission_set> list(std::string_view instance_id, page_request const& page);
    /// Sets the content members (`relay_state` absent clears it, as AWS does; the others keep
    /// their value when absent) and bumps the version.
    permission_set update(std::string_view instance_id, std::string_view permission_set_id,
                          permission_set_update const& update);
    /// conflict + still_attached while it has assignments, provisioned accounts or requests.
    /// Its policies, boundary and tags go with it.
    void remove(std::string_view instance_id, std::string_view permission_set_id);
    /// The instance's permission sets matching every filter given; without filters, as list.
    /// A filter that matches nothing gives an empty page.
    page_result<permission_set> find(std::string_view instance_id,
                                     permission_set_filter const& filter, page_request const& page);
    permission_set_summary summary(std::string_view instance_id);
    /// A permission set known by its id alone (Huawei's tag paths name no instance);
    /// not_found + permission_set_not_found if no instance has it.
    permission_set locate(std::string_view permission_set_id);

private:
    context& ctx_;
};

} // namespace icemu::api::core
