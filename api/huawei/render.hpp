#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "api/core/model.hpp"
#include "api/json/writer.hpp"

namespace icemu::api::huawei {

/// "ins-<id>": the Huawei form of an instance id (the same 16 hex as AWS's "ssoins-<id>").
std::string instance_text(std::string_view instance_id);
/// "ps-<id>".
std::string permission_set_text(std::string_view permission_set_id);
/// icemu's URN of a permission set: "identitycenter:::permissionset:ins-<i>/ps-<p>".
std::string permission_set_urn(std::string_view instance_id, std::string_view permission_set_id);
/// The permission set id (16 hex) a URN made by permission_set_urn names in `instance_id`;
/// none for any other text.
std::optional<std::string> permission_set_of_urn(std::string_view urn,
                                                 std::string_view instance_id);

/// InstanceMetadataEntryDto.
void render(json::writer& out, core::instance const& row);
/// PermissionSetDto (created_date: epoch ms, a number).
void render(json::writer& out, core::permission_set const& row);
/// PermissionSetProvisioningStatusDto: created_date is a JSON *string* of epoch ms here.
void render_provisioning_status(json::writer& out, core::async_request const& row);
/// AccountAssignmentOperationStatusDto.
void render_assignment_status(json::writer& out, core::async_request const& row);
/// The {created_date, request_id, status} items of the status lists.
void render_status_metadata(json::writer& out, core::request_summary const& row);
/// AccountAssignmentDto.
void render(json::writer& out, core::assignment const& row);
/// `"page_info": {"next_marker": <string|null>, "current_count": n}`.
void render_page_info(json::writer& out, std::optional<std::string> const& next, std::size_t count);

/// `{"<key>": [items...], "page_info": {...}}` for a core page.
template <typename T, typename Render>
void render_page(json::writer& out, std::string_view key, core::page_result<T> const& page,
                 Render render_item) {
    out.start_object().key(key).start_array();
    for (auto const& item : page.items)
        render_item(out, item);
    out.end_array();
    render_page_info(out, page.next_token, page.items.size());
    out.end_object();
}

} // namespace icemu::api::huawei
