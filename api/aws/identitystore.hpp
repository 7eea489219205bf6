#pragma once

#include <rapidjson/document.h>

#include <chrono>
#include <string>
#include <string_view>

#include "api/core/identity.hpp"
#include "api/core/service.hpp"
#include "api/json/writer.hpp"

// AWS identitystore (JSON 1.1, X-Amz-Target "AWSIdentityStore.<Operation>", signing name
// "identitystore"), on the sso-admin port, over core::identity_store.
namespace icemu::api::aws {

inline constexpr std::string_view identitystore_target_prefix = "AWSIdentityStore.";

/// What an identitystore action works with: the validated input, the store and the output.
struct identity_context {
    rapidjson::Value const& in;
    core::identity_store& store;
    json::writer& out;
    core::caller who;
};

using identity_action = void (*)(identity_context&);

/// An implemented identitystore operation (its name from a static table), or {"-", nullptr}.
struct found_identity_action {
    std::string_view name = "-";
    identity_action fn = nullptr;
};

/// Looks `operation` (without the target prefix) up among the 19 operations.
found_identity_action find_identity_action(std::string_view operation) noexcept;

/// Runs one identitystore call through the core pipeline (error rules, model validation,
/// tenancy by the store's instance, the action) and writes its output to `out`. Throws
/// core::error (core::identity_error with the resource) as run_call does.
void run_identity_call(core::service& svc, core::identity_store& store, core::caller who,
                       found_identity_action op, rapidjson::Value const& in, bool parsed,
                       std::string const& problem, json::writer& out,
                       std::chrono::milliseconds& delay);

/// Writes the members an identitystore error carries beside __type and Message
/// (ResourceType and ResourceId, or Reason), if `e` is a core::identity_error.
void write_identity_error_members(json::writer& out, core::error const& e);

} // namespace icemu::api::aws
