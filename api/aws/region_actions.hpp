#pragma once

#include <string_view>

#include "api/aws/actions.hpp"

namespace icemu::api::aws {

/// The Region operations (AddRegion, DescribeRegion, ListRegions, RemoveRegion); {"-", nullptr}
/// for any other.
found_action find_region_action(std::string_view operation) noexcept;

} // namespace icemu::api::aws
