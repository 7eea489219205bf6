// The context every module shares: the store's repositories, and the lookups most calls start
// with (an instance, a permission set, one about to change), the tag quota and the page size.
#include "api/core/context.hpp"

#include <algorithm>
#include <utility>

#include "api/core/error.hpp"
#include "api/core/service_detail.hpp"
#include "store/database.hpp"
#include "store/requests.hpp"
#include "store/resources.hpp"

namespace icemu::api::core {

using namespace detail;

struct context::repositories {
    explicit repositories(store::database& db) : resources(db), requests(db) {}
    store::resources resources;
    store::requests requests;
};

context::context(store::database& database, core::clock& now, service_options config)
    : db(database),
      repos_(std::make_unique<repositories>(database)),
      resources(repos_->resources),
      requests(repos_->requests),
      time(now),
      options(std::move(config)),
      settings(options.scheduler),
      random(settings.seed) {
    call_random.reseed(call_stream_seed(settings.seed));
    time.set_offset_ms(requests.clock_offset_ms());
}

context::~context() = default;

instance context::require_instance(std::string_view instance_id) {
    auto row = resources.find_instance(instance_id);
    if (!row)
        throw error(errc::not_found,
                    "Instance ssoins-" + std::string(instance_id) + " does not exist.",
                    reason::instance_not_found);
    return to_core(std::move(*row));
}

permission_set context::require_permission_set(std::string_view instance_id,
                                               std::string_view permission_set_id) {
    return to_core(require_permission_set_row(instance_id, permission_set_id));
}

store::permission_set_row context::require_permission_set_row(std::string_view instance_id,
                                                              std::string_view permission_set_id) {
    auto row = resources.find_permission_set(instance_id, permission_set_id);
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

permission_set context::require_changeable(std::string_view instance_id,
                                           std::string_view permission_set_id) {
    auto row = require_permission_set(instance_id, permission_set_id);
    if (requests.in_flight(permission_set_id, std::nullopt))
        throw error(errc::conflict, std::string(conflicting_operation), reason::in_flight);
    return row;
}

void context::put_tags(std::string_view instance_id, std::string_view permission_set_id,
                       std::vector<tag> const& tags) {
    // Keys new to the resource, each counted once even if the call repeats it.
    std::vector<std::string_view> added;
    for (auto const& item : tags)
        if (std::find(added.begin(), added.end(), item.key) == added.end() &&
            !resources.has_tag(instance_id, permission_set_id, item.key))
            added.push_back(item.key);
    auto const total = resources.count_tags(instance_id, permission_set_id) +
                       static_cast<std::int64_t>(added.size());
    if (total > max_tags)
        throw error(errc::quota_exceeded,
                    "A resource can have at most 50 tags; this request would give it " +
                        std::to_string(total) + ".");
    for (auto const& item : tags)
        resources.put_tag(instance_id, permission_set_id, to_store(item));
}

std::int64_t context::page_limit(page_request const& page) const noexcept {
    return std::min(page.limit, options.max_page_size);
}

} // namespace icemu::api::core
