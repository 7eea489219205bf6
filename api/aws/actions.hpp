#pragma once

#include "api/core/service.hpp"
#include "api/json/writer.hpp"

#include <string_view>

#include <rapidjson/document.h>

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

/// The action implementing `operation`, or nullptr when icemu does not implement it.
action find_action(std::string_view operation) noexcept;
/// The implemented operation's name from a static table (safe to keep in server::call_info),
/// or "-".
std::string_view static_name(std::string_view operation) noexcept;

} // namespace icemu::api::aws
