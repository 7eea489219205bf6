#pragma once

#include <rapidjson/document.h>

#include <string_view>
#include <vector>

#include "api/core/service.hpp"
#include "api/json/writer.hpp"

namespace icemu::api::aws {

/// What an action works with: the validated input, the core, and the output object to write.
struct action_context {
    rapidjson::Value const& in;
    core::service& svc;
    json::writer& out;
    core::caller who;
};

/// An operation's handler: reads `in`, makes one core call, writes the whole output object.
using action = void (*)(action_context&);

/// An implemented operation: its name from a static table (safe to keep in server::call_info)
/// and its action; {"-", nullptr} when icemu does not implement the operation.
struct found_action {
    std::string_view name = "-";
    action fn = nullptr;
};

/// The page a list call asks for: MaxResults (default 100) and NextToken.
core::page_request page_of(action_context const& ctx);
/// The Tags member ([{Key, Value}], validated against the model) as core tags.
std::vector<core::tag> tags_of(action_context const& ctx);

/// Writes `{key: [items...], NextToken}` (NextToken when there is a next page).
template <typename T, typename Render>
void write_page(json::writer& out, std::string_view key, core::page_result<T> const& page,
                Render render) {
    out.start_object().key(key).start_array();
    for (auto const& item : page.items)
        render(out, item);
    out.end_array();
    out.member("NextToken", page.next_token);
    out.end_object();
}

/// Looks `operation` up in the table of implemented operations (one scan per call).
found_action find_action(std::string_view operation) noexcept;

} // namespace icemu::api::aws
