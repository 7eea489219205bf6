#pragma once

#include <rapidjson/document.h>

#include <string_view>

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

/// Looks `operation` up in the table of implemented operations (one scan per call).
found_action find_action(std::string_view operation) noexcept;

} // namespace icemu::api::aws
