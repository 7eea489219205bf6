// The fault rules' side of the service: outcome rules on new requests, error rules on calls.
#include "api/core/service.hpp"
#include "store/database.hpp"
#include "store/requests.hpp"
#include "store/resources.hpp"

namespace icemu::api::core {

void service::replace_fault_rules(std::vector<fault_rule> rules) {
    faults_.replace_runtime(std::move(rules));
}

void service::clear_fault_rules() {
    faults_.clear_runtime();
}

std::optional<fault_error> service::check_call(call_facts const& facts) {
    if (!faults_.has_error_rules())
        return std::nullopt;
    return faults_.match_error(facts, call_random_,
                               [this](std::string_view instance_id, std::string_view ps) {
                                   return permission_set_name(instance_id, ps);
                               });
}

bool service::apply_outcome_rules(async_request& row) {
    call_facts const facts{
        .operation = operation_of_kind(row.kind),
        .surface = row.surface,
        .kind = row.kind,
        .instance_id = row.instance_id,
        .permission_set_id = row.permission_set_id,
        .account_id = row.account_id ? std::string_view(*row.account_id) : std::string_view{},
        .principal_type =
            row.principal_type ? std::string_view(*row.principal_type) : std::string_view{},
        .principal_id = row.principal_id ? std::string_view(*row.principal_id) : std::string_view{},
    };
    auto const outcome = faults_.match_outcome(
        facts, random_,
        [this](std::string_view i, std::string_view ps) { return permission_set_name(i, ps); });
    if (!outcome)
        return false;
    if (outcome->status == request_status::in_progress)
        return true;
    row.planned_status = outcome->status;
    row.planned_reason = outcome->status == request_status::failed
                             ? std::optional<std::string>(outcome->failure_reason)
                             : std::nullopt;
    return false;
}

std::optional<std::string> service::permission_set_name(std::string_view instance_id,
                                                        std::string_view permission_set_id) {
    auto row = resources_.find_permission_set(instance_id, permission_set_id);
    if (!row)
        return std::nullopt;
    return std::move(row->name);
}

} // namespace icemu::api::core
