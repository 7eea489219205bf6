// Permission sets: create, describe, update, delete, list, and the Huawei surface's lookups.
#include "api/core/permission_sets.hpp"

#include <algorithm>
#include <utility>

#include "api/core/context.hpp"
#include "api/core/error.hpp"
#include "api/core/service_detail.hpp"
#include "store/database.hpp"
#include "store/requests.hpp"
#include "store/resources.hpp"

namespace icemu::api::core {

using namespace detail;

namespace {

// icemu's choices (the real quotas are not documented): AWS's default of permission sets per
// instance, and the documented maximum length of a custom policy.
constexpr std::int64_t permission_sets_quota = 2000;
constexpr std::int64_t max_policy_chars = 131072;

} // namespace

permission_sets::permission_sets(context& ctx) : ctx_(ctx) {}

permission_set permission_sets::create(std::string_view instance_id,
                                       permission_set_input const& input,
                                       std::vector<tag> const& tags) {
    ctx_.require_instance(instance_id);
    store::permission_set_row row;
    row.id = ctx_.ids.hex16();
    row.instance_id = std::string(instance_id);
    row.name = input.name;
    row.description = input.description;
    row.session_duration = input.session_duration.value_or("PT1H");
    row.relay_state = input.relay_state;
    row.created_ms = ctx_.time.now_ms();
    store::write_scope scope(ctx_.db);
    if (!ctx_.resources.insert_permission_set(row))
        throw error(errc::conflict, "PermissionSet with name " + input.name + " already exists.",
                    reason::duplicate_name);
    ctx_.put_tags(instance_id, row.id, tags);
    scope.release();
    return to_core(std::move(row));
}

permission_set permission_sets::describe(std::string_view instance_id,
                                         std::string_view permission_set_id) {
    return ctx_.require_permission_set(instance_id, permission_set_id);
}

page_result<permission_set> permission_sets::list(std::string_view instance_id,
                                                  page_request const& page) {
    ctx_.require_instance(instance_id);
    page_token const token{"ListPermissionSets", instance_id};
    return page_of(token, ctx_.resources.list_permission_sets(instance_id, after(token, page),
                                                              ctx_.page_limit(page)));
}

permission_set permission_sets::update(std::string_view instance_id,
                                       std::string_view permission_set_id,
                                       permission_set_update const& update) {
    auto row = ctx_.require_permission_set_row(instance_id, permission_set_id);
    if (ctx_.requests.in_flight(permission_set_id, std::nullopt))
        throw error(errc::conflict, std::string(conflicting_operation), reason::in_flight);
    if (update.description)
        row.description = update.description;
    if (update.session_duration)
        row.session_duration = update.session_duration;
    // The real service clears RelayState when an update omits it (terraform always resends it).
    if (update.relay_state || !update.keep_absent_relay_state)
        row.relay_state = update.relay_state;
    store::write_scope scope(ctx_.db);
    ctx_.resources.update_permission_set(row);
    scope.release();
    row.version += 1;
    return to_core(std::move(row));
}

void permission_sets::remove(std::string_view instance_id, std::string_view permission_set_id) {
    ctx_.require_permission_set(instance_id, permission_set_id);
    if (ctx_.resources.has_assignments(permission_set_id) ||
        ctx_.resources.is_provisioned_anywhere(permission_set_id) ||
        ctx_.requests.in_flight(permission_set_id, std::nullopt))
        throw error(errc::conflict,
                    "Could not delete because PermissionSet has ApplicationProfile associated "
                    "with it.",
                    reason::still_attached);
    store::write_scope scope(ctx_.db);
    ctx_.resources.erase_permission_set(instance_id, permission_set_id);
    scope.release();
}

page_result<permission_set> permission_sets::find(std::string_view instance_id,
                                                  permission_set_filter const& filter,
                                                  page_request const& page) {
    if (!filter.permission_set_id && !filter.name)
        return list(instance_id, page);
    ctx_.require_instance(instance_id);
    // Ids and names are unique in an instance: a filtered list has at most one item.
    auto row = filter.permission_set_id
                   ? ctx_.resources.find_permission_set(instance_id, *filter.permission_set_id)
                   : ctx_.resources.find_permission_set_by_name(instance_id, *filter.name);
    page_result<permission_set> out;
    if (row && (!filter.name || row->name == *filter.name))
        out.items.push_back(to_core(std::move(*row)));
    return out;
}

permission_set_summary permission_sets::summary(std::string_view instance_id) {
    ctx_.require_instance(instance_id);
    return {ctx_.resources.count_permission_sets(instance_id), permission_sets_quota, 20,
            max_policy_chars};
}

permission_set permission_sets::locate(std::string_view permission_set_id) {
    auto row = ctx_.resources.find_permission_set_anywhere(permission_set_id);
    if (!row)
        throw error(errc::not_found,
                    "Could not find PermissionSet with id ps-" + std::string(permission_set_id),
                    reason::permission_set_not_found);
    return to_core(std::move(*row));
}

} // namespace icemu::api::core
