#include "api/huawei/errors.hpp"

#include "api/core/identity.hpp"
#include "api/storage_failure.hpp"

namespace icemu::api::huawei {

namespace {

namespace http = server::http;

// The identity store's resources, as the Huawei store names them.
std::string_view identity_noun(core::identity_resource type) noexcept {
    switch (type) {
    case core::identity_resource::user: return "user";
    case core::identity_resource::group: return "group";
    case core::identity_resource::group_membership: return "group membership";
    case core::identity_resource::identity_store: break;
    }
    return "identity store";
}

// Huawei documents no identity store codes: icemu answers IIC.404 naming the resource and
// IIC.409 for a taken user_name, display_name, external id or membership.
wire_error identity_wire(core::identity_error const& e) {
    std::string what(identity_noun(e.resource_type()));
    if (e.code() == core::errc::not_found)
        return {http::status::not_found, "IIC.404",
                "Not Found: " + what +
                    (e.resource_id().empty() ? std::string() : " " + e.resource_id()) + "."};
    std::string const taken = e.resource_type() == core::identity_resource::group_membership
                                  ? "the user is a member of the group already"
                              : std::string_view(e.what()).find("ExternalId") != std::string::npos
                                  ? "external_id is taken by another " + what
                              : e.resource_type() == core::identity_resource::user
                                  ? "user_name is taken"
                                  : "display_name is taken";
    return {http::status::conflict, "IIC.409", "Conflict: " + taken + "."};
}

wire_error not_found(core::error const& e, error_context const& ctx) {
    switch (e.why()) {
    case core::reason::permission_set_not_found:
        return {http::status::not_found, "IIC.1205", "The permission set does not exist."};
    case core::reason::instance_not_found:
        return {http::status::not_found, "IIC.404",
                "Not Found: instance " + std::string(ctx.instance_id) + "."};
    case core::reason::request_not_found:
        return {http::status::not_found, "IIC.404",
                "Not Found: request " + std::string(ctx.request_id) + "."};
    case core::reason::assignment_not_found:
        return {http::status::not_found, "IIC.404", "Not Found: account assignment."};
    default: break;
    }
    return {http::status::not_found, "IIC.404", "Not Found: " + std::string(e.what())};
}

wire_error conflict(core::error const& e) {
    switch (e.why()) {
    case core::reason::duplicate_name:
        return {http::status::conflict, "IIC.1206",
                "A permission set with the same name already exists."};
    case core::reason::duplicate_policy:
        return {http::status::conflict, "IIC.1207",
                "Duplicate system-defined policy or identity policy."};
    case core::reason::still_attached:
        return {http::status::conflict, "IIC.1210",
                "The permission set has been attached to accounts and cannot be deleted."};
    default: break;
    }
    return {http::status::conflict, "IIC.1006", "Concurrency conflicts. Try again later."};
}

} // namespace

wire_error to_wire(core::error const& e, error_context const& ctx) {
    if (auto const* identity = dynamic_cast<core::identity_error const*>(&e);
        identity != nullptr &&
        (e.code() == core::errc::not_found || e.code() == core::errc::conflict))
        return identity_wire(*identity);
    switch (e.code()) {
    case core::errc::invalid_argument:
    case core::errc::serialization:
        if (e.why() == core::reason::invalid_token)
            return {http::status::bad_request, "IIC.400",
                    "Bad Request: marker was not issued for this list."};
        return {http::status::bad_request, "IIC.400", e.what()};
    case core::errc::not_found: return not_found(e, ctx);
    case core::errc::conflict: return conflict(e);
    // No Huawei code for a quota is documented: icemu's choice is an invalid-parameter 400.
    case core::errc::quota_exceeded:
        return {http::status::bad_request, "IIC.400", "Bad Request: " + std::string(e.what())};
    case core::errc::access_denied:
        return {http::status::forbidden, "IIC.1000",
                "No permission for action " + std::string(ctx.operation) + "."};
    case core::errc::throttled:
        return {http::status::too_many_requests, "APIG.0308",
                "The throttling threshold has been reached: policy user over ratelimit"};
    case core::errc::internal:
        // A full or read-only store is said as such (the change was rolled back); any other
        // storage failure stays generic.
        if (core::is_storage_failure(e.why()))
            return rejection_error(storage_rejection(e.why()));
        break;
    }
    return internal_error();
}

wire_error internal_error() {
    return {http::status::internal_server_error, "IIC.500", "Internal Server Error."};
}

wire_error rejection_error(server::rejection why) {
    std::string const text(server::describe(why));
    switch (why) {
    case server::rejection::body_too_large:
    case server::rejection::header_too_large:
    case server::rejection::malformed:
        return {server::status_of(why), "IIC.400", "Bad Request: " + text};
    case server::rejection::request_timeout: return {server::status_of(why), "IIC.408", text};
    case server::rejection::too_many_connections: return {server::status_of(why), "IIC.503", text};
    case server::rejection::store_full:
    case server::rejection::store_read_only:
        return {server::status_of(why), "IIC.500", "Internal Server Error: " + text};
    case server::rejection::internal_error: break;
    }
    return internal_error();
}

} // namespace icemu::api::huawei
