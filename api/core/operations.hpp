#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace icemu::api::core {

/// The operation names the surfaces answer. Each surface adds its own at startup (the AWS surface
/// its model's operations, the Huawei surface its route table's); the core knows none itself.
/// Fault rules may name any of them.
class operation_catalogue {
public:
    /// Adds `names` (repeats across surfaces are kept once).
    void add(std::span<std::string_view const> names);
    void add(std::string_view name);
    /// True if a surface added `operation` (case-sensitive).
    bool knows(std::string_view operation) const noexcept;
    /// Every name, sorted.
    std::vector<std::string> const& names() const noexcept { return names_; }

private:
    std::vector<std::string> names_; // sorted, unique
};

} // namespace icemu::api::core
