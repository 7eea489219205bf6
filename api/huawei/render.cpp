#include "api/huawei/render.hpp"

#include "api/core/ids.hpp"
#include "ids/ids.hpp"

namespace icemu::api::huawei {

namespace {

constexpr std::string_view urn_prefix = "identitycenter:::permissionset:ins-";

template <typename Row> // core::async_request or core::request_summary
void write_status(json::writer& out, Row const& row) {
    out.member("request_id", core::uuid_chars(row.id).view());
    out.member("status", core::to_string(row.status));
}

} // namespace

std::string instance_text(std::string_view instance_id) {
    return "ins-" + std::string(instance_id);
}

std::string permission_set_text(std::string_view permission_set_id) {
    return "ps-" + std::string(permission_set_id);
}

std::string permission_set_urn(std::string_view instance_id, std::string_view permission_set_id) {
    return std::string(urn_prefix) + std::string(instance_id) + "/ps-" +
           std::string(permission_set_id);
}

std::optional<std::string> permission_set_of_urn(std::string_view urn,
                                                 std::string_view instance_id) {
    auto const ref = ids::permission_set_urn(urn);
    if (!ref || ref->instance_id != instance_id)
        return std::nullopt;
    return std::string(ref->permission_set_id);
}

void render(json::writer& out, core::instance const& row) {
    out.start_object();
    out.member("instance_id", instance_text(row.id));
    out.member("identity_store_id", row.identity_store_id);
    out.member("instance_urn", "identitycenter:::instance:" + instance_text(row.id));
    out.member("alias", row.name);
    out.end_object();
}

void render(json::writer& out, core::permission_set const& row) {
    out.start_object();
    out.member("permission_set_id", permission_set_text(row.id));
    out.member("name", row.name);
    out.member("description", row.description);
    out.member("relay_state", row.relay_state);
    out.member("session_duration", row.session_duration);
    out.member("permission_urn", permission_set_urn(row.instance_id, row.id));
    out.member("created_date", row.created_ms);
    out.end_object();
}

void render_provisioning_status(json::writer& out, core::async_request const& row) {
    out.start_object();
    out.member("account_id", row.account_id);
    // A string here, a number everywhere else: as every Huawei SDK model declares it.
    out.member("created_date", std::to_string(row.created_ms));
    out.member("failure_reason", row.failure_reason);
    out.member("permission_set_id", permission_set_text(row.permission_set_id));
    write_status(out, row);
    out.end_object();
}

void render_assignment_status(json::writer& out, core::async_request const& row) {
    out.start_object();
    out.member("created_date", row.created_ms);
    out.member("failure_reason", row.failure_reason);
    out.member("permission_set_id", permission_set_text(row.permission_set_id));
    out.member("principal_id", row.principal_id);
    out.member("principal_type", row.principal_type);
    write_status(out, row);
    out.member("target_id", row.account_id);
    out.member("target_type", "ACCOUNT");
    out.end_object();
}

void render_status_metadata(json::writer& out, core::request_summary const& row) {
    out.start_object();
    out.member("created_date", row.created_ms);
    write_status(out, row);
    out.end_object();
}

void render(json::writer& out, core::assignment const& row) {
    out.start_object();
    out.member("account_id", row.account_id);
    out.member("permission_set_id", permission_set_text(row.permission_set_id));
    out.member("principal_id", row.principal_id);
    out.member("principal_type", row.principal_type);
    out.end_object();
}

void render_page_info(json::writer& out, std::optional<std::string> const& next,
                      std::size_t count) {
    out.key("page_info").start_object().key("next_marker");
    if (next)
        out.string(*next);
    else
        out.null();
    out.member("current_count", static_cast<std::int64_t>(count));
    out.end_object();
}

} // namespace icemu::api::huawei
