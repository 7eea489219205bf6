#pragma once

#include <string_view>

#include "api/aws/actions.hpp"

namespace icemu::api::aws {

/// The operations of the application family (applications and their content, application
/// providers, trusted token issuers); {"-", nullptr} for any other.
found_action find_app_action(std::string_view operation) noexcept;

enum class tag_operation { tag, untag, list };

/// Runs a tag operation whose ResourceArn names an application or a trusted token issuer and
/// returns true; false (nothing done) for any other resource.
bool app_tags(action_context& ctx, tag_operation op);

} // namespace icemu::api::aws
