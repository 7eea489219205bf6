#include "api/admin/state.hpp"

#include <string>
#include <vector>

#include "api/core/ids.hpp"

namespace icemu::api::admin {

namespace {

void render_named(json::writer& out, std::string_view key,
                  std::vector<core::named_policy> const& items, std::string_view id_key) {
    out.key(key).start_array();
    for (auto const& p : items) {
        out.start_object().member(id_key, p.id);
        optional_member(out, "name", p.name);
        out.end_object();
    }
    out.end_array();
}

void render_permission_set(json::writer& out, core::service& svc, core::instance const& inst,
                           core::permission_set const& ps) {
    auto const& i = inst.id;
    auto const& p = ps.id;
    out.start_object();
    out.member("owner_account_id", inst.owner_account).member("name", ps.name);
    out.member("permission_set_id", "ps-" + ps.id);
    optional_member(out, "description", ps.description);
    optional_member(out, "session_duration", ps.session_duration);
    optional_member(out, "relay_state", ps.relay_state);
    out.member("created_date", ps.created_ms).member("version", ps.version);
    optional_member(out, "inline_policy", svc.policies.get_inline(i, p));
    render_named(out, "managed_policies",
                 every<core::named_policy>([&](core::page_request const& page) {
                     return svc.policies.list_managed(i, p, page);
                 }),
                 "arn");
    out.key("customer_managed_policies").start_array();
    for (auto const& ref : every<core::customer_policy_ref>([&](core::page_request const& page) {
             return svc.policies.list_customer_managed(i, p, page);
         }))
        out.start_object().member("name", ref.name).member("path", ref.path).end_object();
    out.end_array();
    out.key("permissions_boundary");
    if (auto const b = svc.policies.get_boundary(i, p)) {
        out.start_object();
        if (b->customer_managed)
            out.key("customer_managed_policy_reference")
                .start_object()
                .member("name", b->customer_managed->name)
                .member("path", b->customer_managed->path)
                .end_object();
        if (b->managed_arn)
            out.member("managed_policy_arn", *b->managed_arn);
        out.end_object();
    } else {
        out.null();
    }
    render_named(out, "managed_roles",
                 every<core::named_policy>([&](core::page_request const& page) {
                     return svc.roles.list_managed(i, p, page);
                 }),
                 "id");
    optional_member(out, "custom_role", svc.roles.get_custom(i, p));
    render_tags(out, every<core::tag>([&](core::page_request const& page) {
                    return svc.tags.list(i, std::string_view(p), page);
                }));
    out.key("provisioned_accounts").start_array();
    auto const current = every<std::string>([&](core::page_request const& page) {
        return svc.provisioning.list_accounts_for_provisioned_permission_set(i, p, true, page);
    });
    for (auto const& a : current)
        out.start_object().member("account_id", a).key("current").boolean(true).end_object();
    for (auto const& a : every<std::string>([&](core::page_request const& page) {
             return svc.provisioning.list_accounts_for_provisioned_permission_set(i, p, false,
                                                                                  page);
         }))
        out.start_object().member("account_id", a).key("current").boolean(false).end_object();
    out.end_array();
    out.end_object();
}

} // namespace

void optional_member(json::writer& out, std::string_view key, std::optional<std::string> const& v) {
    out.key(key);
    v ? out.string(*v) : out.null();
}

void render_tags(json::writer& out, std::vector<core::tag> const& tags) {
    out.key("tags").start_array();
    for (auto const& t : tags)
        out.start_object().member("key", t.key).member("value", t.value).end_object();
    out.end_array();
}

void render_state(json::writer& out, core::service& svc,
                  std::function<void(json::writer&)> const& more) {
    auto const instances = every<core::instance>(
        [&](core::page_request const& page) { return svc.instances.list(page); });
    out.start_object();
    out.key("instances").start_array();
    for (auto const& inst : instances) {
        out.start_object().member("owner_account_id", inst.owner_account);
        optional_member(out, "name", inst.name);
        out.member("instance_id", "ssoins-" + inst.id);
        out.member("identity_store_id", inst.identity_store_id);
        out.member("status", inst.status).member("created_date", inst.created_ms);
        out.key("encryption").start_object().member("key_type", inst.encryption.key_type);
        optional_member(out, "kms_key_arn", inst.encryption.kms_key_arn);
        out.end_object();
        render_tags(out, every<core::tag>([&](core::page_request const& page) {
                        return svc.tags.list(inst.id, std::nullopt, page);
                    }));
        out.end_object();
    }
    out.end_array();

    std::vector<core::assignment> assignments;
    out.key("permission_sets").start_array();
    for (auto const& inst : instances) {
        for (auto const& ps : every<core::permission_set>([&](core::page_request const& page) {
                 return svc.permission_sets.list(inst.id, page);
             })) {
            render_permission_set(out, svc, inst, ps);
            // Assignments exist only where the permission set was provisioned.
            for (bool const latest : {true, false})
                for (auto const& account : every<std::string>([&](core::page_request const& page) {
                         return svc.provisioning.list_accounts_for_provisioned_permission_set(
                             inst.id, ps.id, latest, page);
                     }))
                    for (auto& a : every<core::assignment>([&](core::page_request const& page) {
                             return svc.assignments.list(inst.id, account, ps.id, page);
                         }))
                        assignments.push_back(std::move(a));
        }
    }
    out.end_array();

    out.key("assignments").start_array();
    for (auto const& a : assignments) {
        std::string owner;
        std::string name;
        for (auto const& inst : instances)
            if (inst.id == a.instance_id)
                owner = inst.owner_account;
        name = svc.permission_sets.describe(a.instance_id, a.permission_set_id).name;
        out.start_object().member("owner_account_id", owner).member("permission_set", name);
        out.member("account_id", a.account_id).member("principal_type", a.principal_type);
        out.member("principal_id", a.principal_id).end_object();
    }
    out.end_array();
    out.member("clock_offset_ms", svc.control.health().clock_offset_ms);
    if (more)
        more(out);
    out.end_object();
}

} // namespace icemu::api::admin
