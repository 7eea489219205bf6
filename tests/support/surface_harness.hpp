#pragma once

#include <utility>

#include "api/core/service.hpp"
#include "server/message.hpp"
#include "store/database.hpp"
#include "tests/support/fixed_clock.hpp"

namespace icemu::test {

/// A core over a `:memory:` store with a fixed clock, holding the initial state of `options`:
/// what the unit tests of every surface build on.
struct core_harness {
    explicit core_harness(api::core::service_options options = {})
        : svc(db, time.clock, std::move(options)) {
        svc.instances.ensure_initial_state();
    }

    fixed_clock time;
    store::database db{{}};
    api::core::service svc;
};

/// A surface (built from the core and `args`) over a core_harness. send() answers a request as
/// the server dispatches it; each test adds the calls its surface speaks.
template <typename Surface>
struct surface_harness : core_harness {
    template <typename... Args>
    explicit surface_harness(api::core::service_options options, Args&&... args)
        : core_harness(std::move(options)), surface(svc, std::forward<Args>(args)...) {}

    /// Prepares the payload of `req` and answers it; `info` records the call.
    server::response send(server::request req) {
        req.prepare_payload();
        return surface.handle(req, info);
    }

    Surface surface;
    server::call_info info;
};

} // namespace icemu::test
