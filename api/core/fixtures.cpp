#include "api/core/fixtures.hpp"

#include <map>
#include <utility>

#include "api/core/error.hpp"
#include "api/core/ids.hpp"
#include "store/identity.hpp"
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

// "<10 hex of the store>-<UUID>" derived from `seed`.
std::string derived_principal_id(std::string const& store_id, std::string const& seed) {
    auto const hex = derived_hex(seed, 32);
    std::string out = store_id.size() == 12 ? store_id.substr(2) + "-" : std::string();
    out += hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-4" + hex.substr(13, 3) + "-8" +
           hex.substr(17, 3) + "-" + hex.substr(20, 12);
    return out;
}

std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (char const c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            constexpr char hex[] = "0123456789abcdef";
            out += "\\u00";
            out += hex[(c >> 4) & 0xf];
            out += hex[c & 0xf];
        } else {
            out += c;
        }
    }
    out += '"';
    return out;
}

void apply_identity(store::database& db, fixture_set const& fixtures, instance_lookup& instances,
                    store::resources& resources, std::int64_t now, fixture_report& report) {
    store::identity repo(db);
    auto store_of = [&](std::string const& origin, std::optional<std::string> const& owner) {
        auto const instance = resources.find_instance(instances.id_for(origin, owner));
        return instance->identity_store_id;
    };
    for (auto const& seed : fixtures.users) {
        auto const store_id = store_of(seed.origin, seed.owner_account_id);
        if (repo.find_user_by_name(store_id, seed.user_name))
            continue;
        std::string attributes = "{\"UserName\":" + json_string(seed.user_name);
        if (seed.given_name || seed.family_name) {
            attributes += ",\"Name\":{";
            if (seed.given_name)
                attributes += "\"GivenName\":" + json_string(*seed.given_name);
            if (seed.family_name)
                attributes += std::string(seed.given_name ? "," : "") +
                              "\"FamilyName\":" + json_string(*seed.family_name);
            attributes += "}";
        }
        if (seed.display_name)
            attributes += ",\"DisplayName\":" + json_string(*seed.display_name);
        if (seed.email)
            attributes +=
                ",\"Emails\":[{\"Value\":" + json_string(*seed.email) + ",\"Primary\":true}]";
        attributes += "}";
        store::identity_user_row row{
            store_id,
            seed.user_id.value_or(
                derived_principal_id(store_id, "icemu-user:" + store_id + ":" + seed.user_name)),
            seed.user_name,
            attributes,
            "ENABLED",
            now,
            "fixtures",
            now,
            "fixtures"};
        if (repo.find_user(store_id, row.id))
            fail(seed.origin, "user_id: " + row.id + " is declared twice");
        repo.insert_user(row);
        ++report.users;
    }
    for (auto const& seed : fixtures.groups) {
        auto const store_id = store_of(seed.origin, seed.owner_account_id);
        if (repo.find_group_by_name(store_id, seed.display_name))
            continue;
        std::string attributes = "{\"DisplayName\":" + json_string(seed.display_name);
        if (seed.description)
            attributes += ",\"Description\":" + json_string(*seed.description);
        attributes += "}";
        store::identity_group_row row{
            store_id,
            seed.group_id.value_or(derived_principal_id(
                store_id, "icemu-group:" + store_id + ":" + seed.display_name)),
            seed.display_name,
            attributes,
            now,
            "fixtures",
            now,
            "fixtures"};
        if (repo.find_group(store_id, row.id))
            fail(seed.origin, "group_id: " + row.id + " is declared twice");
        repo.insert_group(row);
        ++report.groups;
    }
    for (auto const& seed : fixtures.group_memberships) {
        auto const store_id = store_of(seed.origin, seed.owner_account_id);
        auto const group = repo.find_group_by_name(store_id, seed.group);
        if (!group)
            fail(seed.origin,
                 "group: no group named " + seed.group + " is in identity store " + store_id);
        auto const user = repo.find_user_by_name(store_id, seed.user);
        if (!user)
            fail(seed.origin,
                 "user: no user named " + seed.user + " is in identity store " + store_id);
        if (repo.find_membership_of(store_id, group->id, user->id))
            continue;
        repo.insert_membership(
            {store_id,
             derived_principal_id(store_id, "icemu-membership:" + group->id + ":" + user->id),
             group->id, user->id, now, "fixtures"});
        ++report.group_memberships;
    }
}

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

    apply_identity(db, fixtures, instances, resources, now, report);

    scope.release();
    report.applied = true;
    return report;
}

} // namespace icemu::api::core
