#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string_view>

#include "api/core/error.hpp"
#include "api/core/rules.hpp"

namespace icemu::api::aws {

/// What an AWS call tells the fault rules: its operation, surface "aws", the request kind it
/// creates, and the instance, permission set, account and principal its input names (`in`
/// may be null when the body did not parse). The views point into `in` and `operation`.
core::call_facts call_facts_of(std::string_view operation, rapidjson::Value const* in);

/// The error a fault rule makes an AWS call answer, with AWS's text: ThrottlingException
/// "Rate exceeded", InternalServerException, AccessDeniedException naming the caller, the
/// operation and the resource, ConflictException "There is a conflicting operation in
/// process." (the texts of the AWS API reference and real answers).
core::error fault_exception(core::fault_code code, std::string_view operation,
                            std::string_view caller_account, rapidjson::Value const* in);

} // namespace icemu::api::aws
