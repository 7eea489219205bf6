#include "api/core/regions.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "api/core/error.hpp"
#include "api/core/ids.hpp"
#include "api/core/pagination.hpp"
#include "store/app_items.hpp"
#include "store/database.hpp"
#include "store/resources.hpp"

namespace icemu::api::core {

namespace {

// An added Region is an item of the application family's table: key = its name, a = its status,
// d = the id of its workflow's REGION request while one is in flight.
constexpr std::string_view kind_region = "region";
constexpr std::string_view active = "ACTIVE";
constexpr std::string_view adding = "ADDING";
constexpr std::string_view removing = "REMOVING";

std::string_view status_of(store::app_item const& item) {
    auto const stored = item.a.value_or("");
    if (stored == adding)
        return adding;
    if (stored == removing)
        return removing;
    return active;
}

region to_region(store::app_item const& item) {
    return {item.key, status_of(item), item.created_ms, false};
}

store::instance_row require_instance(service& svc, std::string_view instance_id) {
    store::resources resources(svc.apps.database());
    auto row = resources.find_instance(instance_id);
    if (!row)
        throw error(errc::not_found,
                    "Could not find Instance with id ins-" + std::string(instance_id),
                    reason::instance_not_found);
    return std::move(*row);
}

region primary_of(service const& svc, store::instance_row const& owner) {
    return {svc.context.options.primary_region, active, owner.created_ms, true};
}

[[noreturn]] void no_such_region(std::string_view name) {
    throw error(errc::not_found,
                "Region " + std::string(name) + " is not enabled for the instance.");
}

std::optional<store::app_item> find_by_request(store::app_items& items,
                                               std::string_view instance_id,
                                               std::string_view request) {
    auto page = items.list({instance_id, kind_region, std::string_view(""), {}, {}, request}, 0, 1);
    if (page.rows.empty())
        return std::nullopt;
    return std::move(page.rows.front());
}

bool workflow_in_flight(store::app_items& items, std::string_view instance_id) {
    for (auto const status : {adding, removing})
        if (items.count({instance_id, kind_region, std::string_view(""), status, {}, {}}) > 0)
            return true;
    return false;
}

} // namespace

region add_region(service& svc, caller const& who, std::string_view instance_id,
                  std::string_view name) {
    require_instance(svc, instance_id);
    auto& db = svc.apps.database();
    store::app_items items(db);
    if (name == svc.context.options.primary_region ||
        items.find(instance_id, kind_region, "", name))
        throw error(errc::conflict,
                    "Region " + std::string(name) + " is already enabled for the instance.");
    store::write_scope scope(db);
    // The request never settles inside this call (a delay of 0 settles before the next one),
    // so the item naming it is in place before it can.
    auto const request =
        svc.provisioning.start_instance_request(who, instance_id, request_kind::region);
    store::app_item item;
    item.instance_id = std::string(instance_id);
    item.kind = std::string(kind_region);
    item.key = std::string(name);
    item.a = std::string(adding);
    item.d = format_uuid(request.id);
    item.created_ms = request.created_ms;
    if (!items.insert(item))
        throw error(errc::conflict,
                    "Region " + std::string(name) + " is already enabled for the instance.");
    scope.release();
    return {item.key, adding, item.created_ms, false};
}

region describe_region(service& svc, std::string_view instance_id, std::string_view name) {
    auto const owner = require_instance(svc, instance_id);
    if (name == svc.context.options.primary_region)
        return primary_of(svc, owner);
    store::app_items items(svc.apps.database());
    auto item = items.find(instance_id, kind_region, "", name);
    if (!item)
        no_such_region(name);
    if (!item->d)
        return to_region(*item);
    // A describe of the workflow's request: in polls mode the Nth settles it.
    svc.provisioning.describe_request(instance_id, *item->d, request_kind::region);
    item = items.find(instance_id, kind_region, "", name);
    if (!item)
        no_such_region(name);
    return to_region(*item);
}

page_result<region> list_regions(service& svc, std::string_view instance_id,
                                 page_request const& page) {
    page_token const token{"ListRegions", instance_id};
    // The first page (no token) starts with the primary Region; a token carries the position
    // of the last added Region answered (0: only the primary one).
    auto const after = page.token ? token.decode(*page.token) : std::int64_t{0};
    store::resources resources(svc.apps.database());
    auto const owner = resources.find_instance(instance_id);
    if (!owner)
        return {};
    auto limit = std::min(page.limit, svc.context.options.max_page_size);
    page_result<region> out;
    if (!page.token) {
        out.items.push_back(primary_of(svc, *owner));
        limit -= 1;
    }
    store::app_items items(svc.apps.database());
    auto rows =
        items.list({instance_id, kind_region, std::string_view(""), {}, {}, {}}, after, limit);
    for (auto const& row : rows.rows)
        if (row.key != svc.context.options.primary_region) // the primary one was configured since
            out.items.push_back(to_region(row));
    if (rows.next_after)
        out.next_token = token.encode(*rows.next_after);
    return out;
}

region remove_region(service& svc, caller const& who, std::string_view instance_id,
                     std::string_view name) {
    require_instance(svc, instance_id);
    if (name == svc.context.options.primary_region)
        throw error(errc::invalid_argument,
                    "The primary Region " + std::string(name) + " cannot be removed.");
    auto& db = svc.apps.database();
    store::app_items items(db);
    auto item = items.find(instance_id, kind_region, "", name);
    if (!item)
        no_such_region(name);
    if (workflow_in_flight(items, instance_id))
        throw error(errc::conflict,
                    "An add or remove Region workflow is in progress for the instance.");
    store::write_scope scope(db);
    auto const request =
        svc.provisioning.start_instance_request(who, instance_id, request_kind::region);
    item->a = std::string(removing);
    item->d = format_uuid(request.id);
    items.update(*item);
    scope.release();
    return {item->key, removing, item->created_ms, false};
}

void settle_region(store::database& db, async_request const& row) {
    store::app_items items(db);
    auto item = find_by_request(items, row.instance_id, format_uuid(row.id));
    if (!item)
        return; // reset or deleted with its instance since
    bool const was_adding = item->a == adding;
    bool const succeeded = row.status == request_status::succeeded;
    // Adding that fails and removing that succeeds leave no Region; the request keeps the
    // failure reason (/_icemu/requests).
    if (was_adding != succeeded) {
        items.erase(row.instance_id, kind_region, "", item->key);
        return;
    }
    item->a = std::string(active);
    item->d.reset();
    items.update(*item);
}

} // namespace icemu::api::core
