#include "api/huawei/operations.hpp"

#include "api/huawei/identity_store.hpp"
#include "api/huawei/routes.hpp"

namespace icemu::api::huawei {

void add_operations(core::operation_catalogue& to) {
    for (auto const& r : routes())
        to.add(r.operation);
    for (auto const& r : identity_routes())
        to.add(r.operation);
}

} // namespace icemu::api::huawei
