#include "api/core/fixtures.hpp"

#include <map>
#include <utility>

#include "api/core/error.hpp"
#include "api/core/ids.hpp"
#include "store/resources.hpp"

namespace icemu::api::core {

namespace {

struct seeded_permission_set {
    std::string id;
    std::int64_t version = 1;
};

[[noreturn]] void fail(std::string const& origin, std::string const& message) {
    throw error(errc::invalid_argument, "fixtures " + origin + ": " + message);
}

bool store_has_permission_sets(store::resources& resources) {
    std::int64_t after = 0;
    for (;;) {
        auto const page = resources.list_instances(after, 100);
        for (auto const& instance : page.rows)
            if (!resources.list_permission_sets(instance.id, 0, 1).rows.empty())
                return true;
        if (!page.next_after)
            return false;
        after = *page.next_after;
    }
}

// Resolves items to instance ids: by owner account, else the default instance.
class instance_lookup {
public:
    instance_lookup(store::resources& resources, fixture_set const& fixtures)
        : resources_(resources) {
        if (!fixtures.instances.empty()) {
            default_owner_ = fixtures.instances.front().owner_account_id;
        } else if (auto const first = resources.list_instances(0, 1); !first.rows.empty()) {
            default_owner_ = first.rows.front().owner_account;
        }
    }

    std::string id_for(std::string const& origin, std::optional<std::string> const& owner) {
        std::string const& account = owner ? *owner : default_owner_;
        if (account.empty())
            fail(origin, "owner_account_id: the store has no instance to put it in");
        auto const instance = resources_.find_instance_by_owner(account);
        if (!instance)
            fail(origin, "owner_account_id: no instance is owned by account " + account +
                             " (declare it under \"instances\")");
        return instance->id;
    }

private:
    store::resources& resources_;
    std::string default_owner_;
};

} // namespace

fixture_report apply_fixtures(store::database& db, fixture_set const& fixtures, clock const& time) {
    fixture_report report;
    store::resources resources(db);
    if (fixtures.empty() || store_has_permission_sets(resources))
        return report;

    store::write_scope scope(db);
    std::int64_t const now = time.now_ms();

    for (auto const& seed : fixtures.instances) {
        if (resources.find_instance_by_owner(seed.owner_account_id))
            continue;
        store::instance_row row;
        row.id = derived_hex("icemu-instance:" + seed.owner_account_id, 16);
        row.owner_account = seed.owner_account_id;
        row.identity_store_id = "d-" + derived_hex("icemu-store:" + row.id, 10);
        if (!seed.name.empty())
            row.name = seed.name;
        row.created_ms = now;
        resources.insert_instance(row);
        ++report.instances;
    }

    instance_lookup instances(resources, fixtures);
    // (instance id, name) -> the permission set created for it.
    std::map<std::pair<std::string, std::string>, seeded_permission_set> created;
    for (auto const& seed : fixtures.permission_sets) {
        store::permission_set_row row;
        row.instance_id = instances.id_for(seed.origin, seed.owner_account_id);
        row.id = derived_hex("icemu-permission-set:" + row.instance_id + ":" + seed.name, 16);
        row.name = seed.name;
        row.description = seed.description;
        row.session_duration = seed.session_duration.value_or("PT1H");
        row.relay_state = seed.relay_state;
        row.created_ms = now;
        if (!resources.insert_permission_set(row))
            fail(seed.origin, "name: a permission set named " + seed.name +
                                  " is declared twice in instance ssoins-" + row.instance_id);
        created[{row.instance_id, row.name}] = {row.id, row.version};
        ++report.permission_sets;
    }

    for (auto const& seed : fixtures.assignments) {
        std::string const instance_id = instances.id_for(seed.origin, seed.owner_account_id);
        auto const ps = created.find({instance_id, seed.permission_set});
        if (ps == created.end())
            fail(seed.origin, "permission_set: no permission set named " + seed.permission_set +
                                  " is declared in instance ssoins-" + instance_id);
        store::assignment_row row;
        row.instance_id = instance_id;
        row.permission_set_id = ps->second.id;
        row.account_id = seed.account_id;
        row.principal_type = seed.principal_type;
        row.principal_id = seed.principal_id;
        if (!resources.insert_assignment(row))
            continue;
        resources.provision_if_absent(instance_id, ps->second.id, seed.account_id,
                                      ps->second.version);
        ++report.assignments;
    }

    scope.release();
    report.applied = true;
    return report;
}

} // namespace icemu::api::core
