#include "api/core/access_control.hpp"

#include <utility>

#include "api/core/error.hpp"
#include "store/database.hpp"

namespace icemu::api::core {

namespace {

constexpr std::string_view document_kind = "access_control_attributes";
constexpr std::string_view not_configured =
    "The instance has no access control attribute configuration.";

void require_instance(service& svc, std::string_view instance_id) {
    svc.apps.require_instance_exists(instance_id);
}

} // namespace

void create_access_control_attributes(service& svc, caller const& who, std::string_view instance_id,
                                      std::string configuration) {
    require_instance(svc, instance_id);
    store::write_scope scope(svc.apps.database());
    if (!svc.apps.put_instance_document(instance_id, document_kind, std::move(configuration),
                                        false))
        throw error(errc::conflict,
                    "The instance already has an access control attribute configuration.");
    svc.provisioning.start_instance_request(who, instance_id,
                                            request_kind::access_control_attributes);
    scope.release();
}

access_control_attributes describe_access_control_attributes(service& svc,
                                                             std::string_view instance_id) {
    require_instance(svc, instance_id);
    auto document = svc.apps.instance_document(instance_id, document_kind);
    if (!document)
        throw error(errc::not_found, std::string(not_configured));
    access_control_attributes out{std::move(*document), "ENABLED", std::nullopt};
    auto const request = svc.provisioning.latest_instance_request(
        instance_id, request_kind::access_control_attributes);
    if (request && request->status == request_status::in_progress)
        out.status = "CREATION_IN_PROGRESS";
    else if (request && request->status == request_status::failed) {
        out.status = "CREATION_FAILED";
        out.status_reason = request->failure_reason;
    }
    return out;
}

void update_access_control_attributes(service& svc, std::string_view instance_id,
                                      std::string configuration) {
    require_instance(svc, instance_id);
    store::write_scope scope(svc.apps.database());
    if (!svc.apps.put_instance_document(instance_id, document_kind, std::move(configuration), true))
        throw error(errc::not_found, std::string(not_configured));
    scope.release();
}

void delete_access_control_attributes(service& svc, std::string_view instance_id) {
    require_instance(svc, instance_id);
    store::write_scope scope(svc.apps.database());
    if (!svc.apps.erase_instance_document(instance_id, document_kind))
        throw error(errc::not_found, std::string(not_configured));
    scope.release();
}

} // namespace icemu::api::core
