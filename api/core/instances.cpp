// Instances: the initial state, create, describe, update (name and encryption), delete, list.
#include "api/core/instances.hpp"

#include <algorithm>
#include <utility>

#include "api/core/context.hpp"
#include "api/core/error.hpp"
#include "api/core/lifecycle.hpp"
#include "api/core/service_detail.hpp"
#include "store/database.hpp"
#include "store/requests.hpp"
#include "store/resources.hpp"

namespace icemu::api::core {

using namespace detail;

instances::instances(context& ctx, lifecycle& requests) : ctx_(ctx), lifecycle_(requests) {}

void instances::ensure_initial_state() {
    if (ctx_.resources.count_instances() > 0)
        return;
    store::write_scope scope(ctx_.db);
    for (auto const& seed : ctx_.options.instances) {
        store::instance_row row;
        row.id = seed.instance_id.empty()
                     ? derived_hex("icemu-instance:" + seed.owner_account_id, 16)
                     : seed.instance_id;
        row.owner_account = seed.owner_account_id;
        row.identity_store_id = seed.identity_store_id.empty()
                                    ? "d-" + derived_hex("icemu-store:" + row.id, 10)
                                    : seed.identity_store_id;
        if (!seed.name.empty())
            row.name = seed.name;
        row.created_ms = ctx_.time.now_ms();
        ctx_.resources.insert_instance(row);
    }
    scope.release();
}

page_result<instance> instances::list(page_request const& page) {
    page_token const token{"ListInstances"};
    return page_of(token, ctx_.resources.list_instances(after(token, page), ctx_.page_limit(page)));
}

page_result<instance> instances::list(caller const& who, page_request const& page) {
    if (!ctx_.options.enforce_tenancy)
        return list(page);
    // One instance per owner account: the caller's list has one item at most, so it never has
    // a next page. A token (from an open-mode list) is still checked, and ends the list.
    page_token const token{"ListInstances"};
    if (page.token) {
        token.decode(*page.token);
        return {};
    }
    page_result<instance> out;
    if (auto mine = ctx_.resources.find_instance_by_owner(who.account))
        out.items.push_back(to_core(std::move(*mine)));
    return out;
}

instance_description instances::describe(std::string_view instance_id) {
    instance_description out{ctx_.require_instance(instance_id), {}};
    out.encryption.config = out.row.encryption;
    // The latest encryption update says how the instance stands (none: as created, ENABLED).
    auto const latest = ctx_.requests.list(instance_id, store::request_kind::instance_encryption,
                                           std::nullopt, max_position, 1);
    if (latest.rows.empty() || latest.rows.front().status == store::request_status::succeeded)
        return out;
    auto found = ctx_.requests.find(latest.rows.front().id);
    if (!found)
        return out;
    auto request = to_core(std::move(*found));
    lifecycle_.count_poll(request);
    out.encryption.status = request.status;
    if (request.status == request_status::failed) {
        out.encryption.reason = request.failure_reason;
        return out;
    }
    // In progress, or settled by this very describe: the configuration it puts in force.
    if (auto pending = ctx_.resources.pending_encryption(instance_id))
        out.encryption.config = to_core(std::move(*pending));
    return out;
}

instance instances::create(caller const& who, std::optional<std::string> const& name,
                           std::vector<tag> const& tags,
                           std::optional<std::string> const& client_token) {
    if (who.account.empty())
        throw error(errc::invalid_argument, "The caller's account is unknown.");
    // One instance per owner account, as the model says; the real text is unknown. A retry with
    // the ClientToken that created it (SDKs fill one in and resend it) answers that instance.
    if (auto existing = ctx_.resources.find_instance_by_owner(who.account)) {
        if (client_token && ctx_.resources.instance_client_token(existing->id) == client_token)
            return to_core(std::move(*existing));
        throw error(
            errc::conflict,
            "An instance of IAM Identity Center already exists for account " + who.account + ".",
            reason::instance_exists);
    }
    store::instance_row row;
    row.id = ctx_.ids.hex16();
    row.owner_account = who.account;
    row.identity_store_id = "d-" + ctx_.ids.hex16().substr(0, 10);
    row.name = name;
    row.created_ms = ctx_.time.now_ms();
    store::write_scope scope(ctx_.db);
    ctx_.resources.insert_instance(row);
    if (client_token)
        ctx_.resources.set_instance_client_token(row.id, *client_token);
    ctx_.put_tags(row.id, "", tags);
    scope.release();
    return to_core(std::move(row));
}

void instances::update(std::string_view instance_id, std::optional<std::string> const& name,
                       std::optional<encryption_config> const& encryption, caller const& who) {
    ctx_.require_instance(instance_id);
    if (encryption) {
        // The model's rules for KmsKeyArn (the texts are icemu's).
        bool const customer = encryption->key_type == "CUSTOMER_MANAGED_KEY";
        if (customer && !encryption->kms_key_arn)
            throw error(errc::invalid_argument,
                        "KmsKeyArn is required when KeyType is CUSTOMER_MANAGED_KEY.");
        if (!customer && encryption->kms_key_arn)
            throw error(errc::invalid_argument,
                        "KmsKeyArn cannot be specified when KeyType is AWS_OWNED_KMS_KEY.");
        if (!ctx_.requests
                 .list(instance_id, store::request_kind::instance_encryption,
                       store::request_status::in_progress, max_position, 1)
                 .rows.empty())
            throw error(errc::conflict, std::string(conflicting_operation), reason::in_flight);
    }
    if (!name && !encryption)
        return;
    store::write_scope scope(ctx_.db); // the name, the pending configuration and its request
    if (name)
        ctx_.resources.set_instance_name(instance_id, name);
    if (encryption) {
        ctx_.resources.set_pending_encryption(instance_id, to_store(*encryption));
        async_request row;
        row.kind = request_kind::instance_encryption;
        row.instance_id = std::string(instance_id);
        lifecycle_.start(who, std::move(row), false);
    }
    scope.release();
}

void instances::remove(std::string_view instance_id) {
    ctx_.require_instance(instance_id);
    if (ctx_.requests.in_flight_in_instance(instance_id))
        throw error(errc::conflict, std::string(conflicting_operation), reason::in_flight);
    store::write_scope scope(ctx_.db);
    ctx_.requests.erase_instance(instance_id);
    ctx_.resources.erase_instance_resources(instance_id, true);
    scope.release();
    lifecycle_.schedule_changed();
}

} // namespace icemu::api::core
