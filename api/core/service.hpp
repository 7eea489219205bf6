#pragma once

#include "api/core/applications.hpp"
#include "api/core/assignments.hpp"
#include "api/core/clock.hpp"
#include "api/core/context.hpp"
#include "api/core/control.hpp"
#include "api/core/fault_control.hpp"
#include "api/core/instances.hpp"
#include "api/core/lifecycle.hpp"
#include "api/core/model.hpp"
#include "api/core/permission_sets.hpp"
#include "api/core/policies.hpp"
#include "api/core/provisioning.hpp"
#include "api/core/roles.hpp"
#include "api/core/state_import.hpp"
#include "api/core/tags.hpp"
#include "api/core/tenancy.hpp"

namespace icemu::store {
class database;
} // namespace icemu::store

namespace icemu::api::core {

/// The provisioning API, shared by every surface: one module per resource over one context
/// (validation of state: existence, conflicts; the request lifecycle and the scheduler's rules).
/// Instance ids are the 16 hex characters both surfaces embed; permission set ids are 16 hex
/// (without "ps-"). The modules throw core::error for every client-visible failure and
/// store::sqlite_error for storage failures. Writes join the shared transaction of
/// store::database (made durable by its commit()). Single-threaded.
struct service {
    service(store::database& db, clock& time, service_options options);
    ~service();
    service(service const&) = delete;
    service& operator=(service const&) = delete;

    core::context context;
    core::fault_control faults;
    core::lifecycle lifecycle;
    core::instances instances;
    core::permission_sets permission_sets;
    core::policies policies;
    core::tags tags;
    core::roles roles;
    core::provisioning provisioning;
    core::assignments assignments;
    core::tenancy tenancy;
    core::control control;
    /// The application family (applications, trusted token issuers), over the same store.
    core::applications apps;

    /// Replaces the whole state with `snapshot` (PUT /_icemu/state, a state document as
    /// fixtures; state_import.cpp), in one write scope: erases what a global reset erases,
    /// writes its rows as exported, runs its other sections, then takes its clock offset and
    /// scheduler settings. A throw leaves the old state whole.
    void replace_state(state_snapshot const& snapshot);
};

} // namespace icemu::api::core
