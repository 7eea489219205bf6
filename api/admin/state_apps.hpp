#pragma once

#include <rapidjson/document.h>

#include <vector>

#include "api/core/applications_snapshot.hpp"
#include "api/core/service.hpp"
#include "api/json/writer.hpp"

namespace icemu::api::admin {

/// The application family's sections of `GET /_icemu/state` (docs/lifecycle.md, Save the
/// sandbox): members `applications` (each with its configuration, access scopes,
/// authentication methods, grants and tags), `application_assignments`,
/// `trusted_token_issuers`, `access_control_attributes` and `regions` (the added Regions), every
/// item naming its instance by `owner_account_id` and `instance_id`. Read-only: no describe is
/// counted in polls mode.
void render_apps_state(json::writer& out, core::service& svc);

/// The sections render_apps_state writes, decoded.
struct apps_state {
    core::applications_snapshot applications;
    std::vector<core::region_snapshot> regions;
    bool operator==(apps_state const&) const = default;
};

/// Decodes those sections of a whole state document (each may be absent: none). Instances are
/// looked up in its `instances` (by `instance_id`), requests in its `requests`. Throws
/// core::error (invalid_argument) whose message names the member, e.g.
/// `applications[1].grants[0].grant_type: ...`: an unknown member, a wrong type, a bad id or
/// value, a duplicate, or a reference to an unknown instance, application or request.
apps_state decode_apps_state(rapidjson::Value const& document);

} // namespace icemu::api::admin
