// Permission sets: create, describe, update, delete, list, and the lookups every resource in
// a permission set starts with.
#include <algorithm>
#include <utility>

#include "api/core/error.hpp"
#include "api/core/service.hpp"
#include "api/core/service_detail.hpp"
#include "store/database.hpp"
#include "store/requests.hpp"
#include "store/resources.hpp"

namespace icemu::api::core {

using namespace detail;

permission_set service::create_permission_set(std::string_view instance_id,
                                              permission_set_input const& input,
                                              std::vector<tag> const& tags) {
    require_instance(instance_id);
    store::permission_set_row row;
    row.id = ids_.hex16();
    row.instance_id = std::string(instance_id);
    row.name = input.name;
    row.description = input.description;
    row.session_duration = input.session_duration.value_or("PT1H");
    row.relay_state = input.relay_state;
    row.created_ms = clock_.now_ms();
    store::write_scope scope(db_);
    if (!resources_.insert_permission_set(row))
        throw error(errc::conflict, "PermissionSet with name " + input.name + " already exists.",
                    reason::duplicate_name);
    put_tags(instance_id, row.id, tags);
    scope.release();
    return to_core(std::move(row));
}

permission_set service::describe_permission_set(std::string_view instance_id,
                                                std::string_view permission_set_id) {
    return require_permission_set(instance_id, permission_set_id);
}

page_result<permission_set> service::list_permission_sets(std::string_view instance_id,
                                                          page_request const& page) {
    require_instance(instance_id);
    page_token const token{"ListPermissionSets", instance_id};
    return page_of(
        token, resources_.list_permission_sets(instance_id, after(token, page), page_limit(page)));
}

permission_set service::update_permission_set(std::string_view instance_id,
                                              std::string_view permission_set_id,
                                              permission_set_update const& update) {
    auto row = require_permission_set_row(instance_id, permission_set_id);
    if (requests_.in_flight(permission_set_id, std::nullopt))
        throw error(errc::conflict, std::string(conflicting_operation), reason::in_flight);
    if (update.description)
        row.description = update.description;
    if (update.session_duration)
        row.session_duration = update.session_duration;
    // The real service clears RelayState when an update omits it (terraform always resends it).
    if (update.relay_state || !update.keep_absent_relay_state)
        row.relay_state = update.relay_state;
    store::write_scope scope(db_);
    resources_.update_permission_set(row);
    scope.release();
    row.version += 1;
    return to_core(std::move(row));
}

void service::delete_permission_set(std::string_view instance_id,
                                    std::string_view permission_set_id) {
    require_permission_set(instance_id, permission_set_id);
    if (resources_.has_assignments(permission_set_id) ||
        resources_.is_provisioned_anywhere(permission_set_id) ||
        requests_.in_flight(permission_set_id, std::nullopt))
        throw error(errc::conflict,
                    "Could not delete because PermissionSet has ApplicationProfile associated "
                    "with it.",
                    reason::still_attached);
    store::write_scope scope(db_);
    resources_.erase_permission_set(instance_id, permission_set_id);
    scope.release();
}

permission_set service::require_permission_set(std::string_view instance_id,
                                               std::string_view permission_set_id) {
    return to_core(require_permission_set_row(instance_id, permission_set_id));
}

store::permission_set_row service::require_permission_set_row(std::string_view instance_id,
                                                              std::string_view permission_set_id) {
    auto row = resources_.find_permission_set(instance_id, permission_set_id);
    if (!row) {
        // A permission set names its instance, and an instance is erased with its permission
        // sets: the instance is looked up only to say which of the two is missing (one query
        // on the hot write path instead of two).
        require_instance(instance_id);
        throw error(errc::not_found,
                    "Could not find PermissionSet with id ps-" + std::string(permission_set_id),
                    reason::permission_set_not_found);
    }
    return std::move(*row);
}

permission_set service::require_changeable(std::string_view instance_id,
                                           std::string_view permission_set_id) {
    auto row = require_permission_set(instance_id, permission_set_id);
    if (requests_.in_flight(permission_set_id, std::nullopt))
        throw error(errc::conflict, std::string(conflicting_operation), reason::in_flight);
    return row;
}

} // namespace icemu::api::core
