#include "api/core/pipeline.hpp"

#include "api/core/service.hpp"
#include "store/error.hpp"

namespace icemu::api::core {

void run_call(service& svc, call& c, std::chrono::milliseconds& delay) {
    try {
        // Error rules answer before the operation runs, even for input that does not validate.
        if (svc.faults.rules().has_error_rules()) {
            if (auto const fault = svc.faults.check_call(c.facts())) {
                delay = std::chrono::milliseconds(fault->latency_ms);
                throw c.fault(fault->code);
            }
        }
        c.check();
        if (svc.tenancy.enforced()) {
            auto const targets = c.targets();
            bool named_instance = false;
            for (auto const id : targets.instance_ids) {
                if (id.empty())
                    continue;
                named_instance = true;
                svc.tenancy.authorize(c.who, c.operation, id);
            }
            if (!named_instance && !targets.permission_set_id.empty())
                svc.tenancy.authorize_permission_set(c.who, c.operation, targets.permission_set_id);
        }
        svc.lifecycle.settle_due_before_call();
        c.run(svc);
    } catch (store::sqlite_error const& e) {
        throw storage_error(e.code());
    }
}

error storage_error(int sqlite_code) {
    switch (store::classify(sqlite_code)) {
    case store::failure::full:
        return error(errc::internal, "The store is full.", reason::store_full);
    case store::failure::read_only:
        return error(errc::internal, "The store is read-only.", reason::store_read_only);
    case store::failure::other: break;
    }
    return error(errc::internal, "An internal error occurred.", reason::store_failed);
}

std::optional<error> storage_error_of(std::exception_ptr const& failure) {
    try {
        std::rethrow_exception(failure);
    } catch (store::sqlite_error const& e) {
        return storage_error(e.code());
    } catch (...) {
        return std::nullopt;
    }
}

} // namespace icemu::api::core
