// Tags of an instance or a permission set (not content: no version bump).
#include "api/core/tags.hpp"

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

tags::tags(context& ctx) : ctx_(ctx) {}

void tags::add(std::string_view instance_id, std::optional<std::string_view> permission_set_id,
               std::vector<tag> const& items) {
    auto const ps = require_taggable(instance_id, permission_set_id);
    store::write_scope scope(ctx_.db);
    ctx_.put_tags(instance_id, ps, items);
    scope.release();
}

void tags::remove(std::string_view instance_id, std::optional<std::string_view> permission_set_id,
                  std::vector<std::string> const& keys) {
    auto const ps = require_taggable(instance_id, permission_set_id);
    store::write_scope scope(ctx_.db);
    for (auto const& key : keys)
        ctx_.resources.erase_tag(instance_id, ps, key);
    scope.release();
}

page_result<tag> tags::list(std::string_view instance_id,
                            std::optional<std::string_view> permission_set_id,
                            page_request const& page) {
    auto const ps = require_taggable(instance_id, permission_set_id);
    page_token const token{"ListTagsForResource", instance_id, ps};
    return page_of(token, ctx_.resources.list_tags(instance_id, ps, after(token, page),
                                                   ctx_.page_limit(page)));
}

std::string_view tags::require_taggable(std::string_view instance_id,
                                        std::optional<std::string_view> permission_set_id) {
    ctx_.require_instance(instance_id);
    // Not a default string_view: its null data() would bind SQL NULL, not ''.
    if (!permission_set_id)
        return "";
    ctx_.require_permission_set(instance_id, *permission_set_id);
    return *permission_set_id;
}

} // namespace icemu::api::core
