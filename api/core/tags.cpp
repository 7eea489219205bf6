// Tags of an instance or a permission set (not content: no version bump).
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

void service::tag_resource(std::string_view instance_id,
                           std::optional<std::string_view> permission_set_id,
                           std::vector<tag> const& tags) {
    auto const ps = require_taggable(instance_id, permission_set_id);
    store::write_scope scope(db_);
    put_tags(instance_id, ps, tags);
    scope.release();
}

void service::untag_resource(std::string_view instance_id,
                             std::optional<std::string_view> permission_set_id,
                             std::vector<std::string> const& keys) {
    auto const ps = require_taggable(instance_id, permission_set_id);
    store::write_scope scope(db_);
    for (auto const& key : keys)
        resources_.erase_tag(instance_id, ps, key);
    scope.release();
}

page_result<tag> service::list_tags(std::string_view instance_id,
                                    std::optional<std::string_view> permission_set_id,
                                    page_request const& page) {
    auto const ps = require_taggable(instance_id, permission_set_id);
    page_token const token{"ListTagsForResource", instance_id, ps};
    return page_of(token,
                   resources_.list_tags(instance_id, ps, after(token, page), page_limit(page)));
}

std::string_view service::require_taggable(std::string_view instance_id,
                                           std::optional<std::string_view> permission_set_id) {
    require_instance(instance_id);
    // Not a default string_view: its null data() would bind SQL NULL, not ''.
    if (!permission_set_id)
        return "";
    require_permission_set(instance_id, *permission_set_id);
    return *permission_set_id;
}

void service::put_tags(std::string_view instance_id, std::string_view permission_set_id,
                       std::vector<tag> const& tags) {
    // Keys new to the resource, each counted once even if the call repeats it.
    std::vector<std::string_view> added;
    for (auto const& item : tags)
        if (std::find(added.begin(), added.end(), item.key) == added.end() &&
            !resources_.has_tag(instance_id, permission_set_id, item.key))
            added.push_back(item.key);
    auto const total = resources_.count_tags(instance_id, permission_set_id) +
                       static_cast<std::int64_t>(added.size());
    if (total > max_tags)
        throw error(errc::quota_exceeded,
                    "A resource can have at most 50 tags; this request would give it " +
                        std::to_string(total) + ".");
    for (auto const& item : tags)
        resources_.put_tag(instance_id, permission_set_id, to_store(item));
}

} // namespace icemu::api::core
