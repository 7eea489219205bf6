#include "api/core/operations.hpp"

#include <algorithm>

namespace icemu::api::core {

void operation_catalogue::add(std::span<std::string_view const> names) {
    for (auto const name : names)
        add(name);
}

void operation_catalogue::add(std::string_view name) {
    auto const at = std::lower_bound(names_.begin(), names_.end(), name);
    if (at == names_.end() || *at != name)
        names_.insert(at, std::string(name));
}

bool operation_catalogue::knows(std::string_view operation) const noexcept {
    return std::binary_search(names_.begin(), names_.end(), operation, std::less<>{});
}

} // namespace icemu::api::core
