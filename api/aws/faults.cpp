#include "api/aws/faults.hpp"

#include <string>

#include "api/json/reader.hpp"
#include "ids/ids.hpp"

namespace icemu::api::aws {

namespace {

std::string_view member(rapidjson::Value const* in, std::string_view name) {
    if (in == nullptr || !in->IsObject())
        return {};
    auto const* v = json::find(*in, name);
    if (v == nullptr || !v->IsString())
        return {};
    return {v->GetString(), v->GetStringLength()};
}

std::string_view instance_of_arn(std::string_view arn) noexcept {
    return ids::instance_id(arn, {.arn = true}).value_or(std::string_view{});
}

} // namespace

core::call_facts call_facts_of(std::string_view operation, rapidjson::Value const* in) {
    core::call_facts facts;
    facts.operation = operation;
    facts.surface = "aws";
    facts.kind = core::kind_of_operation(operation);
    auto const instance_arn = member(in, "InstanceArn");
    auto const ps_arn = member(in, "PermissionSetArn");
    auto const resource_arn = member(in, "ResourceArn");
    // A tag call names its permission set (or instance) by ResourceArn.
    auto const named = ps_arn.empty() ? resource_arn : ps_arn;
    auto const ps = ids::permission_set_arn(named);
    facts.instance_id = instance_of_arn(instance_arn);
    if (facts.instance_id.empty())
        facts.instance_id = ps ? ps->instance_id : instance_of_arn(named);
    if (ps)
        facts.permission_set_id = ps->permission_set_id;
    facts.account_id = member(in, "TargetId");
    if (facts.account_id.empty())
        facts.account_id = member(in, "AccountId");
    facts.principal_type = member(in, "PrincipalType");
    facts.principal_id = member(in, "PrincipalId");
    return facts;
}

core::error fault_exception(core::fault_code code, std::string_view operation,
                            std::string_view caller_account, rapidjson::Value const* in) {
    switch (code) {
    case core::fault_code::throttling: return {core::errc::throttled, "Rate exceeded"};
    case core::fault_code::conflict:
        return {core::errc::conflict, "There is a conflicting operation in process.",
                core::reason::in_flight};
    case core::fault_code::access_denied: {
        std::string message =
            "User: arn:aws:iam::" + std::string(caller_account) +
            ":user/icemu is not authorized to perform: sso:" + std::string(operation);
        auto resource = member(in, "PermissionSetArn");
        if (resource.empty())
            resource = member(in, "InstanceArn");
        if (!resource.empty())
            message += " on resource: " + std::string(resource);
        return {core::errc::access_denied, message};
    }
    case core::fault_code::internal: break;
    }
    return {core::errc::internal, "An internal error occurred."};
}

} // namespace icemu::api::aws
