#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "api/core/model.hpp"
#include "api/core/service.hpp"

namespace icemu::store {
class database;
}

namespace icemu::api::core {

/// One Region of an instance (RegionMetadata). The primary Region is the configured one
/// (service_options::primary_region), ACTIVE, added when the instance was created; the others
/// are stored, each with the REGION request of its workflow while one is in flight.
struct region {
    std::string name;
    std::string_view status; // ACTIVE | ADDING | REMOVING
    std::int64_t added_ms = 0;
    bool primary = false;
};

/// Adds a Region (status ADDING) and starts its REGION request; the Region is ACTIVE when the
/// request succeeds and gone if it fails. not_found for an unknown instance; conflict when the
/// instance has the Region (primary or added, in any status).
region add_region(service& svc, caller const& who, std::string_view instance_id,
                  std::string_view name);
/// The Region; a describe of its workflow's request (polls mode). not_found for an unknown
/// instance or a Region the instance does not have.
region describe_region(service& svc, std::string_view instance_id, std::string_view name);
/// The primary Region first, then the added ones in the order they were added. An unknown
/// instance has none.
page_result<region> list_regions(service& svc, std::string_view instance_id,
                                 page_request const& page);
/// Starts removing an added Region (status REMOVING); it is erased when its REGION request
/// succeeds and ACTIVE again if it fails. not_found for an unknown instance or Region;
/// invalid_argument for the primary Region; conflict while an add or remove workflow of the
/// instance is in flight.
region remove_region(service& svc, caller const& who, std::string_view instance_id,
                     std::string_view name);

/// The effect of a REGION request settling (lifecycle::apply), inside its write scope.
void settle_region(store::database& db, async_request const& row);

} // namespace icemu::api::core
