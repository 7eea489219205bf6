// The fault rules: outcome rules on new requests, error rules on calls.
#include "api/core/fault_control.hpp"

#include "api/core/context.hpp"
#include "store/database.hpp"
#include "store/requests.hpp"
#include "store/resources.hpp"

namespace icemu::api::core {

fault_control::fault_control(context& ctx) : ctx_(ctx) {
    rules_.set_configured(ctx_.options.faults);
}

operation_catalogue const& fault_control::operations() const noexcept {
    return ctx_.options.operations;
}

void fault_control::replace_rules(std::vector<fault_rule> rules) {
    rules_.replace_runtime(std::move(rules));
}

void fault_control::clear_rules() {
    rules_.clear_runtime();
}

void fault_control::reset() {
    rules_.reset();
}

std::optional<fault_error> fault_control::check_call(call_facts const& facts) {
    if (!rules_.has_error_rules())
        return std::nullopt;
    return rules_.match_error(facts, ctx_.call_random,
                              [this](std::string_view instance_id, std::string_view ps) {
                                  return permission_set_name(instance_id, ps);
                              });
}

bool fault_control::apply_outcome_rules(async_request& row) {
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
    auto const outcome = rules_.match_outcome(
        facts, ctx_.random,
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

std::optional<std::string> fault_control::permission_set_name(std::string_view instance_id,
                                                              std::string_view permission_set_id) {
    auto row = ctx_.resources.find_permission_set(instance_id, permission_set_id);
    if (!row)
        return std::nullopt;
    return std::move(row->name);
}

} // namespace icemu::api::core
