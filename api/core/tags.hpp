#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/core/model.hpp"

namespace icemu::api::core {

struct context;

/// Tags (tags.cpp) of an instance (`permission_set_id` none) or of a permission set. Not content
/// changes: no version bump, no conflict with requests in flight. not_found if unknown.
class tags {
public:
    explicit tags(context& ctx);

    /// TagResource: adds the tags, overwriting the value of a key the resource has;
    /// quota_exceeded if the resource would have more than 50.
    void add(std::string_view instance_id, std::optional<std::string_view> permission_set_id,
             std::vector<tag> const& items);
    /// UntagResource: removes the keys the resource has; other keys are ignored.
    void remove(std::string_view instance_id, std::optional<std::string_view> permission_set_id,
                std::vector<std::string> const& keys);
    /// Tags in the order their keys were first set.
    page_result<tag> list(std::string_view instance_id,
                          std::optional<std::string_view> permission_set_id,
                          page_request const& page);

private:
    /// Checks that the tag resource exists; returns its permission set id ("" for the instance).
    std::string_view require_taggable(std::string_view instance_id,
                                      std::optional<std::string_view> permission_set_id);

    context& ctx_;
};

} // namespace icemu::api::core
