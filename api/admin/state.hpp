#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/core/service.hpp"
#include "api/json/writer.hpp"

namespace icemu::api::admin {

/// Every item of a paginated core list, page after page.
template <typename T, typename Fn>
std::vector<T> every(Fn const& page_of) {
    std::vector<T> out;
    core::page_request page;
    for (;;) {
        auto result = page_of(page);
        for (auto& item : result.items)
            out.push_back(std::move(item));
        if (!result.next_token)
            return out;
        page.token = std::move(result.next_token);
    }
}

/// `"key": value`, or `"key": null` when there is none (every section of the document).
void optional_member(json::writer& out, std::string_view key, std::optional<std::string> const& v);
/// `"tags": [{"key", "value"}, ...]`, as every section writes an item's tags.
void render_tags(json::writer& out, std::vector<core::tag> const& tags);

/// `GET /_icemu/state`: the sandbox's resources as one JSON document in the fixtures format
/// (instances, permission_sets, assignments), extended with what fixtures cannot express: ids,
/// encryption, tags, policies, Huawei roles, the accounts each permission set is provisioned
/// to, the requests and the clock offset (docs/lifecycle.md, Save the sandbox). Read-only.
/// `more` (when given) writes further members before the document's object ends.
void render_state(json::writer& out, core::service& svc,
                  std::function<void(json::writer&)> const& more = {});

} // namespace icemu::api::admin
