#pragma once

#include "api/aws/operations.hpp"
#include "api/core/operations.hpp"
#include "api/huawei/operations.hpp"

namespace icemu::test {

/// Every operation of both surfaces, added as icemu adds them at startup.
inline api::core::operation_catalogue const& all_operations() {
    static api::core::operation_catalogue const all = [] {
        api::core::operation_catalogue out;
        api::aws::add_operations(out);
        api::huawei::add_operations(out);
        return out;
    }();
    return all;
}

} // namespace icemu::test
