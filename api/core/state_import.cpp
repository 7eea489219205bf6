// Loading the sandbox back (PUT /_icemu/state, a state document as fixtures): one write scope
// that erases everything and writes a decoded snapshot's rows as they were exported.
#include "api/core/state_import.hpp"

#include <utility>

#include "api/core/error.hpp"
#include "api/core/model_convert.hpp"
#include "api/core/service.hpp"
#include "store/database.hpp"
#include "store/identity.hpp"
#include "store/requests.hpp"
#include "store/resources.hpp"
#include "store/roles.hpp"

namespace icemu::api::core {

namespace {

void write_permission_set(store::resources& resources, store::roles& roles,
                          state_permission_set const& ps) {
    auto const& i = ps.row.instance_id;
    auto const& p = ps.row.id;
    if (!resources.insert_permission_set(to_store(permission_set(ps.row))))
        throw error(errc::invalid_argument, "permission_sets: " + ps.row.name +
                                                " is declared twice in instance ssoins-" + i);
    if (ps.inline_policy)
        resources.set_inline_policy(p, ps.inline_policy);
    for (auto const& m : ps.managed_policies)
        if (!resources.insert_managed_policy(i, p, m.id, m.name.value_or(m.id)))
            throw error(errc::invalid_argument, "managed policy " + m.id + " is attached twice");
    for (auto const& c : ps.customer_managed_policies)
        if (!resources.insert_customer_policy(i, p, to_store(c)))
            throw error(errc::invalid_argument,
                        "customer managed policy " + c.path + c.name + " is attached twice");
    if (ps.boundary)
        resources.set_boundary(p, to_store(*ps.boundary));
    for (auto const& r : ps.managed_roles)
        if (!roles.insert_managed_role(i, p, to_store(r)))
            throw error(errc::invalid_argument, "managed role " + r.id + " is attached twice");
    if (ps.custom_role)
        roles.set_custom_role(p, ps.custom_role);
    for (auto const& t : ps.tags)
        resources.put_tag(i, p, to_store(t));
    for (auto const& a : ps.provisioned_accounts)
        resources.set_provisioned(i, p, a.account_id,
                                  a.current ? ps.row.version : ps.row.version - 1);
}

} // namespace

void service::replace_state(state_snapshot const& snapshot) {
    scheduler_settings const settings = snapshot.scheduler.value_or(context.options.scheduler);
    if (settings.delay_min_ms < 0 || settings.delay_max_ms < settings.delay_min_ms ||
        settings.polls < 1)
        throw error(errc::invalid_argument, "scheduler: needs 0 <= min <= max and polls >= 1");

    store::write_scope scope(context.db);
    context.requests.erase_all();
    context.resources.erase_all(); // the identity stores and app_items follow their instances

    for (auto const& inst : snapshot.instances) {
        context.resources.insert_instance(to_store(instance(inst.row)));
        if (inst.row.encryption.key_type != encryption_config{}.key_type ||
            inst.row.encryption.kms_key_arn) {
            context.resources.set_pending_encryption(inst.row.id, to_store(inst.row.encryption));
            context.resources.apply_pending_encryption(inst.row.id);
        }
        for (auto const& t : inst.tags)
            context.resources.put_tag(inst.row.id, "", to_store(t));
    }

    store::roles role_rows(context.db);
    for (auto const& ps : snapshot.permission_sets)
        write_permission_set(context.resources, role_rows, ps);
    for (auto const& a : snapshot.assignments)
        context.resources.insert_assignment({0, a.instance_id, a.permission_set_id, a.account_id,
                                             a.principal_type, a.principal_id});

    store::identity identity(context.db);
    for (auto const& [u, name] : snapshot.users)
        identity.insert_user({u.identity_store_id, u.id, name, u.attributes, u.status, u.created_ms,
                              u.created_by, u.updated_ms, u.updated_by});
    for (auto const& [g, name] : snapshot.groups)
        identity.insert_group({g.identity_store_id, g.id, name, g.attributes, g.created_ms,
                               g.created_by, g.updated_ms, g.updated_by});
    for (auto const& m : snapshot.memberships)
        identity.insert_membership(
            {m.identity_store_id, m.id, m.group_id, m.user_id, m.created_ms, m.created_by});

    // A request in flight is planned again: due at its exported due time, else as the
    // snapshot's mode settles a request that has none.
    for (auto request : snapshot.requests) {
        if (request.status == request_status::in_progress) {
            request.polls_left = 0;
            if (request.due_ms)
                request.settle_by = settle_mode::at_due;
            else if (settings.mode == scheduler_mode::polls) {
                request.settle_by = settle_mode::polls;
                request.polls_left = settings.polls;
            } else if (settings.mode == scheduler_mode::manual)
                request.settle_by = settle_mode::manual;
            else
                request.settle_by = settle_mode::held;
            request.planned_status = request_status::succeeded;
            request.planned_reason.reset();
        } else {
            request.due_ms.reset();
            request.planned_status = request.status;
            request.planned_reason = request.failure_reason;
        }
        auto row = to_store(std::move(request));
        context.requests.insert(row);
    }
    context.requests.set_clock_offset_ms(snapshot.clock_offset_ms);

    for (auto const& restore : snapshot.other_sections)
        restore(*this);
    scope.release();

    // The writes are in: the in-memory state follows.
    context.time.set_offset_ms(snapshot.clock_offset_ms);
    context.settings = settings;
    context.random.reseed(settings.seed);
    context.call_random.reseed(call_stream_seed(settings.seed));
    lifecycle.schedule_changed(); // forgets the cached next due time and wakes the timer
}

} // namespace icemu::api::core
