#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.hpp"
#include "store/records.hpp"

namespace icemu::store {

/// The Huawei-only content of permission sets: managed roles (a table that follows its
/// permission set through a trigger) and the custom role (a column of it). Lists are keyset pages
/// in attachment order. Throws sqlite_error.
class roles {
public:
    explicit roles(database& db) noexcept : db_(db) {}

    /// Attaches a managed role; false when it is attached already.
    [[nodiscard]] bool insert_managed_role(std::string_view instance_id,
                                           std::string_view permission_set_id,
                                           named_policy const& role);
    /// Detaches it; false when it was not attached.
    bool erase_managed_role(std::string_view permission_set_id, std::string_view role_id);
    std::int64_t count_managed_roles(std::string_view permission_set_id);
    page<named_policy> list_managed_roles(std::string_view permission_set_id, std::int64_t after,
                                          std::int64_t limit);

    /// The permission set's custom role document, if it has one.
    std::optional<std::string> custom_role(std::string_view permission_set_id);
    /// Sets (or, with none, removes) the custom role document.
    void set_custom_role(std::string_view permission_set_id,
                         std::optional<std::string> const& document);

    /// The name some attachment of the role `role_id` records, if any does.
    std::optional<std::string> known_managed_role_name(std::string_view role_id);

private:
    database& db_;
};

} // namespace icemu::store
