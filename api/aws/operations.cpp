#include "api/aws/operations.hpp"

#include "api/aws/model.hpp"

namespace icemu::api::aws {

void add_operations(core::operation_catalogue& to) {
    for (auto const& op : model::operations())
        to.add(op.name);
    for (auto const& op : model::identitystore_operations())
        to.add(op.name);
}

} // namespace icemu::api::aws
