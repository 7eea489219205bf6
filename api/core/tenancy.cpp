// Tenancy (the verify auth mode): an instance answers only its owner account.
#include "api/core/tenancy.hpp"

#include <string>

#include "api/core/context.hpp"
#include "api/core/error.hpp"
#include "api/core/service_detail.hpp"
#include "store/database.hpp"
#include "store/requests.hpp"
#include "store/resources.hpp"

namespace icemu::api::core {

using namespace detail;

tenancy::tenancy(context& ctx) : ctx_(ctx) {}

bool tenancy::enforced() const noexcept {
    return ctx_.options.enforce_tenancy;
}

void tenancy::authorize(caller const& who, std::string_view operation,
                        std::string_view instance_id) {
    if (!ctx_.options.enforce_tenancy)
        return;
    auto const row = ctx_.resources.find_instance(instance_id);
    if (!row || row->owner_account == who.account)
        return;
    // The text of an IAM denial across accounts (AWS's AccessDeniedException text); the Huawei
    // surface renders its own.
    std::string const action = "sso:" + std::string(operation);
    throw error(errc::access_denied,
                "User: arn:aws:iam::" + who.account +
                    ":root is not authorized to perform: " + action +
                    " on resource: arn:aws:sso:::instance/ssoins-" + std::string(instance_id) +
                    " because no resource-based policy allows the " + action + " action",
                reason::not_owner);
}

void tenancy::authorize_permission_set(caller const& who, std::string_view operation,
                                       std::string_view permission_set_id) {
    if (!ctx_.options.enforce_tenancy)
        return;
    if (auto const row = ctx_.resources.find_permission_set_anywhere(permission_set_id))
        authorize(who, operation, row->instance_id);
}

} // namespace icemu::api::core
