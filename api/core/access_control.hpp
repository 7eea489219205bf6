#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/core/model.hpp"
#include "api/core/service.hpp"

namespace icemu::api::core {

/// An instance's ABAC configuration (InstanceAccessControlAttributeConfiguration) and how it
/// stands: CREATION_IN_PROGRESS while its ACCESS_CONTROL_ATTRIBUTES request is IN_PROGRESS,
/// CREATION_FAILED (with the request's reason) if it failed, else ENABLED.
struct access_control_attributes {
    std::string configuration; // the surface's document
    std::string_view status;
    std::optional<std::string> status_reason;
};

/// Stores the configuration and starts its ACCESS_CONTROL_ATTRIBUTES request. not_found for
/// an unknown instance; conflict when the instance has one.
void create_access_control_attributes(service& svc, caller const& who, std::string_view instance_id,
                                      std::string configuration);
/// Counts as a describe of its request (polls mode). not_found if the instance has none.
access_control_attributes describe_access_control_attributes(service& svc,
                                                             std::string_view instance_id);
/// Replaces the attributes (the status stays). not_found if the instance has none.
void update_access_control_attributes(service& svc, std::string_view instance_id,
                                      std::string configuration);
/// not_found if the instance has none.
void delete_access_control_attributes(service& svc, std::string_view instance_id);

} // namespace icemu::api::core
