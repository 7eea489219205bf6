#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/core/applications.hpp"
#include "api/core/model.hpp"

namespace icemu::api::core {

struct service;

/// Equal key and value (the snapshots below compare member for member).
inline bool operator==(tag const& a, tag const& b) noexcept {
    return a.key == b.key && a.value == b.value;
}
/// Equal key and body.
inline bool operator==(app_document const& a, app_document const& b) noexcept {
    return a.key == b.key && a.body == b.body;
}

/// An application as the state document holds it: every stored member, its configuration and
/// its keyed documents (each in list order) and its tags. Documents are JSON text as the
/// surface stored them; an access scope's body is "" when it has no authorized targets.
struct application_snapshot {
    std::string instance_id; // 16 hex
    std::string id;          // 16 hex, without "apl-"
    std::string provider_arn;
    std::string name;
    std::optional<std::string> description;
    std::string status; // ENABLED | DISABLED
    std::optional<std::string> portal_options;
    std::optional<std::string> client_token;
    std::int64_t created_ms = 0;
    bool assignment_required = true;
    std::string session_status = "DISABLED"; // UserBackgroundSessionApplicationStatus
    std::vector<app_document> access_scopes;
    std::vector<app_document> authentication_methods;
    std::vector<app_document> grants;
    std::vector<tag> tags;
    bool operator==(application_snapshot const&) const = default;
};

struct application_assignment_snapshot {
    std::string instance_id;
    std::string application_id;
    std::string principal_type; // USER | GROUP
    std::string principal_id;
    std::int64_t created_ms = 0;
    bool operator==(application_assignment_snapshot const&) const = default;
};

struct trusted_token_issuer_snapshot {
    std::string instance_id;
    std::string id; // a UUID, without "tti-"
    std::string name;
    std::string type;
    std::string configuration;
    std::optional<std::string> client_token;
    std::int64_t created_ms = 0;
    std::vector<tag> tags;
    bool operator==(trusted_token_issuer_snapshot const&) const = default;
};

/// An instance's ABAC configuration. Its status is not stored: it is read from the instance's
/// latest ACCESS_CONTROL_ATTRIBUTES request (`request_id`), which the requests section carries.
struct access_control_snapshot {
    std::string instance_id;
    std::string configuration;
    std::int64_t created_ms = 0;
    std::string status; // ENABLED | CREATION_IN_PROGRESS | CREATION_FAILED
    std::optional<std::string> status_reason;
    std::optional<std::string> request_id; // the latest ACCESS_CONTROL_ATTRIBUTES request
    bool operator==(access_control_snapshot const&) const = default;
};

/// The application family of every instance, each list in the order its lists answer.
struct applications_snapshot {
    std::vector<application_snapshot> applications;
    std::vector<application_assignment_snapshot> assignments; // creation order, all instances
    std::vector<trusted_token_issuer_snapshot> issuers;
    std::vector<access_control_snapshot> access_control;
    bool operator==(applications_snapshot const&) const = default;
};

/// An added Region (the primary one is configuration, not state). `request_id` is the REGION
/// request of its workflow while it is ADDING or REMOVING.
struct region_snapshot {
    std::string instance_id;
    std::string name;
    std::string status; // ACTIVE | ADDING | REMOVING
    std::int64_t added_ms = 0;
    std::optional<std::string> request_id;
    bool operator==(region_snapshot const&) const = default;
};

/// Every instance's application family, read without side effects (no describe is counted in
/// polls mode): a read-only store can be read. Throws the store's errors.
applications_snapshot snapshot_applications(applications& apps);

/// Writes `snapshot`'s items with their ids, dates and tokens, in its order, into the caller's
/// open write transaction (no commit: the caller erased the family first and commits once). The
/// instances must be in the store. invalid_argument naming the item (`applications[1]: ...`) for
/// an unknown provider or instance, or an item that exists already.
void restore_applications(applications& apps, applications_snapshot const& snapshot);

/// Every instance's added Regions, in the order ListRegions answers them.
std::vector<region_snapshot> snapshot_regions(service& svc);

/// Writes the Regions into the caller's open write transaction, as restore_applications does.
/// invalid_argument naming the item (`regions[0]: ...`) for an unknown instance, the primary
/// Region, or a Region the instance has.
void restore_regions(service& svc, std::vector<region_snapshot> const& regions);

} // namespace icemu::api::core
