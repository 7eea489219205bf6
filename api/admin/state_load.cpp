#include "api/admin/state_load.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <map>
#include <set>
#include <system_error>
#include <utility>
#include <vector>

#include "api/admin/fixtures.hpp"
#include "api/admin/state_apps.hpp"
#include "api/core/applications_snapshot.hpp"
#include "api/core/error.hpp"
#include "api/core/ids.hpp"
#include "api/core/service.hpp"
#include "ids/ids.hpp"

namespace icemu::api::admin {

namespace {

using value = rapidjson::Value;

// The virtual clock's limits (as advance_clock has them): 0 to about 100 years ahead.
constexpr std::int64_t max_clock_offset_ms = 100LL * 366 * 24 * 60 * 60 * 1000;
// The scheduler's longest delay (as PUT /_icemu/scheduler has it): one day.
constexpr std::int64_t max_delay_ms = 24LL * 60 * 60 * 1000;

// A version-4 UUID (version 4, variant 10), as every request id icemu makes: the store keeps
// no other.
bool is_version_4(core::request_id const& id) noexcept {
    return (id[6] & 0xf0) == 0x40 && (id[8] & 0xc0) == 0x80;
}

[[noreturn]] void fail(std::string const& path, std::string const& why) {
    throw state_error(path + ": " + why);
}

// One JSON object of the document with its member path, for messages.
class node {
public:
    node(std::string path, value const& v) : path_(std::move(path)), v_(v) {
        if (!v.IsObject())
            fail(path_.empty() ? std::string("the document") : path_, "expected an object");
    }

    std::string const& path() const noexcept { return path_; }
    std::string at(std::string_view key) const {
        return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
    }

    void only(std::initializer_list<std::string_view> keys) const {
        for (auto const& m : v_.GetObject()) {
            std::string_view const key(m.name.GetString(), m.name.GetStringLength());
            if (std::find(keys.begin(), keys.end(), key) == keys.end())
                fail(at(key), "unknown member");
        }
    }

    // The member; null when absent or null.
    value const* find(std::string_view key) const {
        auto const m = v_.FindMember(value(rapidjson::StringRef(key.data(), key.size())));
        if (m == v_.MemberEnd() || m->value.IsNull())
            return nullptr;
        return &m->value;
    }

    std::optional<std::string> opt_string(std::string_view key) const {
        auto const* v = find(key);
        if (v == nullptr)
            return std::nullopt;
        if (!v->IsString())
            fail(at(key), "expected a string");
        return std::string(v->GetString(), v->GetStringLength());
    }

    std::string string(std::string_view key) const {
        auto text = opt_string(key);
        if (!text)
            fail(at(key), "is required");
        return std::move(*text);
    }

    std::optional<std::int64_t> opt_integer(std::string_view key) const {
        auto const* v = find(key);
        if (v == nullptr)
            return std::nullopt;
        if (!v->IsInt64())
            fail(at(key), "expected an integer");
        return v->GetInt64();
    }

    std::int64_t integer(std::string_view key, std::int64_t fallback) const {
        return opt_integer(key).value_or(fallback);
    }

    bool boolean(std::string_view key, bool fallback) const {
        auto const* v = find(key);
        if (v == nullptr)
            return fallback;
        if (!v->IsBool())
            fail(at(key), "expected true or false");
        return v->GetBool();
    }

    std::optional<node> opt_object(std::string_view key) const {
        auto const* v = find(key);
        if (v == nullptr)
            return std::nullopt;
        return node(at(key), *v);
    }

    // Calls `visit` with each object of the array `key` (absent or null: none).
    template <typename Visit>
    void each(std::string_view key, Visit visit) const {
        auto const* v = find(key);
        if (v == nullptr)
            return;
        if (!v->IsArray())
            fail(at(key), "expected an array");
        rapidjson::SizeType i = 0;
        for (auto const& item : v->GetArray())
            visit(node(at(key) + "[" + std::to_string(i++) + "]", item));
    }

    // The member `key`, required, as its JSON text; it must be an object.
    std::string object_text(std::string_view key) const {
        auto const* v = find(key);
        if (v == nullptr)
            fail(at(key), "is required");
        if (!v->IsObject())
            fail(at(key), "expected an object");
        rapidjson::StringBuffer buffer;
        rapidjson::Writer<rapidjson::StringBuffer> out(buffer);
        v->Accept(out);
        return std::string(buffer.GetString(), buffer.GetSize());
    }

    // A string member of the object member `key`, if both are there.
    std::optional<std::string> text_in(std::string_view key, char const* inner) const {
        auto const* v = find(key);
        if (v == nullptr || !v->IsObject())
            return std::nullopt;
        auto const m = v->FindMember(inner);
        if (m == v->MemberEnd() || !m->value.IsString())
            return std::nullopt;
        return std::string(m->value.GetString(), m->value.GetStringLength());
    }

    void check(std::string_view key, bool ok, std::string const& rule) const {
        if (!ok)
            fail(at(key), rule);
    }

private:
    std::string path_;
    value const& v_;
};

std::vector<core::tag> read_tags(node const& item) {
    std::vector<core::tag> out;
    std::set<std::string> keys;
    item.each("tags", [&](node const& t) {
        t.only({"key", "value"});
        core::tag tag{t.string("key"), t.opt_string("value").value_or("")};
        t.check("key", !tag.key.empty() && tag.key.size() <= 128, "must be 1-128 characters");
        t.check("key", keys.insert(tag.key).second, "'" + tag.key + "' is declared twice");
        out.push_back(std::move(tag));
    });
    return out;
}

std::string instance_hex(node const& item, std::string_view key) {
    auto const text = item.string(key);
    auto const id = ids::instance_id(text, ids::every_instance_form);
    item.check(key, id.has_value(), "'" + text + "' is not an instance id (ssoins-<16 hex>)");
    return std::string(*id);
}

std::string account_of(node const& item, std::string_view key) {
    auto text = item.string(key);
    item.check(key, ids::is_account(text),
               "'" + text + "' must be 12 digits (AWS) or 32 lowercase hex characters (Huawei)");
    return text;
}

// What the document declares, to resolve references.
struct declared {
    std::map<std::string, std::string, std::less<>> instance_of_owner; // owner -> instance id
    std::set<std::string, std::less<>> instances;
    std::map<std::string, std::string, std::less<>> instance_of_store; // store id -> instance
    std::map<std::pair<std::string, std::string>, std::string> permission_set_of_name;
    std::set<std::string, std::less<>> permission_sets;
    std::map<std::string, std::string, std::less<>> store_of_user;  // user id -> store id
    std::map<std::string, std::string, std::less<>> store_of_group; // group id -> store id
};

// The instance an item's owner_account_id names.
std::string owner_instance(node const& item, declared const& known) {
    auto const owner = account_of(item, "owner_account_id");
    auto const it = known.instance_of_owner.find(owner);
    item.check("owner_account_id", it != known.instance_of_owner.end(),
               "no instance of the document is owned by account " + owner);
    return it->second;
}

// The identity store an identity item is in: one of an instance of the document.
std::string store_of(node const& item, declared const& known) {
    auto const store = item.string("identity_store_id");
    item.check("identity_store_id", known.instance_of_store.contains(store),
               "no instance of the document has identity store " + store);
    return store;
}

void read_instance(node const& it, declared& known, core::state_snapshot& out) {
    it.only({"owner_account_id", "name", "instance_id", "identity_store_id", "status",
             "created_date", "encryption", "tags"});
    core::state_instance inst;
    inst.row.owner_account = account_of(it, "owner_account_id");
    inst.row.name = it.opt_string("name");
    if (inst.row.name)
        it.check("name",
                 inst.row.name->size() <= 255 &&
                     std::all_of(inst.row.name->begin(), inst.row.name->end(),
                                 fixture_rules::is_name_char),
                 "must be at most 255 characters of A-Z a-z 0-9 _+=,.@-");
    inst.row.id = instance_hex(it, "instance_id");
    inst.row.identity_store_id = it.string("identity_store_id");
    it.check("identity_store_id", ids::is_identity_store_id(inst.row.identity_store_id),
             "'" + inst.row.identity_store_id + "' is not an identity store id (d-<10 hex>)");
    inst.row.status = it.opt_string("status").value_or("ACTIVE");
    inst.row.created_ms = it.integer("created_date", 0);
    if (auto const enc = it.opt_object("encryption")) {
        enc->only({"key_type", "kms_key_arn"});
        inst.row.encryption.key_type = enc->opt_string("key_type").value_or("AWS_OWNED_KMS_KEY");
        enc->check("key_type",
                   inst.row.encryption.key_type == "AWS_OWNED_KMS_KEY" ||
                       inst.row.encryption.key_type == "CUSTOMER_MANAGED_KEY",
                   "must be AWS_OWNED_KMS_KEY or CUSTOMER_MANAGED_KEY");
        inst.row.encryption.kms_key_arn = enc->opt_string("kms_key_arn");
    }
    inst.tags = read_tags(it);
    it.check("instance_id", known.instances.insert(inst.row.id).second,
             "ssoins-" + inst.row.id + " is declared twice");
    it.check("owner_account_id",
             known.instance_of_owner.emplace(inst.row.owner_account, inst.row.id).second,
             "account " + inst.row.owner_account + " owns two instances");
    it.check("identity_store_id",
             known.instance_of_store.emplace(inst.row.identity_store_id, inst.row.id).second,
             inst.row.identity_store_id + " is declared twice");
    out.instances.push_back(std::move(inst));
}

void check_length(node const& it, std::string_view key, std::optional<std::string> const& text,
                  std::size_t max) {
    if (text)
        it.check(key, !text->empty() && text->size() <= max,
                 "must be 1-" + std::to_string(max) + " characters");
}

core::customer_policy_ref read_reference(node const& it) {
    it.only({"name", "path"});
    return {it.string("name"), it.opt_string("path").value_or("/")};
}

void read_permission_set(node const& it, declared& known, core::state_snapshot& out) {
    it.only({"owner_account_id", "name", "permission_set_id", "description", "session_duration",
             "relay_state", "created_date", "version", "inline_policy", "managed_policies",
             "customer_managed_policies", "permissions_boundary", "managed_roles", "custom_role",
             "tags", "provisioned_accounts"});
    core::state_permission_set ps;
    auto& row = ps.row;
    row.instance_id = owner_instance(it, known);
    row.name = it.string("name");
    it.check("name",
             !row.name.empty() && row.name.size() <= 32 &&
                 std::all_of(row.name.begin(), row.name.end(), fixture_rules::is_name_char),
             "must be 1-32 characters of A-Z a-z 0-9 _+=,.@-");
    auto const id_text = it.string("permission_set_id");
    auto const id = ids::permission_set_id(id_text, {true, true, false});
    it.check("permission_set_id", id.has_value(),
             "'" + id_text + "' is not a permission set id (ps-<16 hex>)");
    row.id = std::string(*id);
    row.description = it.opt_string("description");
    check_length(it, "description", row.description, 700);
    row.session_duration = it.opt_string("session_duration");
    if (row.session_duration)
        it.check("session_duration", fixture_rules::is_duration(*row.session_duration),
                 "must be an ISO 8601 duration such as PT1H or PT12H");
    row.relay_state = it.opt_string("relay_state");
    check_length(it, "relay_state", row.relay_state, 240);
    row.created_ms = it.integer("created_date", 0);
    row.version = it.integer("version", 1);
    it.check("version", row.version >= 1, "must be at least 1");
    ps.inline_policy = it.opt_string("inline_policy");
    std::set<std::string> seen;
    it.each("managed_policies", [&](node const& p) {
        p.only({"arn", "name"});
        core::named_policy policy{p.string("arn"), p.opt_string("name")};
        p.check("arn", seen.insert(policy.id).second, "'" + policy.id + "' is attached twice");
        ps.managed_policies.push_back(std::move(policy));
    });
    seen.clear();
    it.each("customer_managed_policies", [&](node const& p) {
        auto ref = read_reference(p);
        p.check("name", seen.insert(ref.path + ref.name).second,
                "'" + ref.path + ref.name + "' is attached twice");
        ps.customer_managed_policies.push_back(std::move(ref));
    });
    if (auto const b = it.opt_object("permissions_boundary")) {
        b->only({"customer_managed_policy_reference", "managed_policy_arn"});
        core::permissions_boundary boundary;
        if (auto const ref = b->opt_object("customer_managed_policy_reference"))
            boundary.customer_managed = read_reference(*ref);
        boundary.managed_arn = b->opt_string("managed_policy_arn");
        b->check("managed_policy_arn", !boundary.customer_managed != !boundary.managed_arn,
                 "exactly one of customer_managed_policy_reference and managed_policy_arn is "
                 "required");
        ps.boundary = std::move(boundary);
    }
    seen.clear();
    it.each("managed_roles", [&](node const& r) {
        r.only({"id", "name"});
        core::named_policy role{r.string("id"), r.opt_string("name")};
        r.check("id", seen.insert(role.id).second, "'" + role.id + "' is attached twice");
        ps.managed_roles.push_back(std::move(role));
    });
    ps.custom_role = it.opt_string("custom_role");
    ps.tags = read_tags(it);
    seen.clear();
    it.each("provisioned_accounts", [&](node const& a) {
        a.only({"account_id", "current"});
        core::state_provisioned p{account_of(a, "account_id"), a.boolean("current", true)};
        a.check("account_id", seen.insert(p.account_id).second,
                p.account_id + " is declared twice");
        a.check("current", p.current || row.version > 1,
                "false needs a permission set version above 1");
        ps.provisioned_accounts.push_back(std::move(p));
    });
    it.check("permission_set_id", known.permission_sets.insert(row.id).second,
             "ps-" + row.id + " is declared twice");
    it.check(
        "name",
        known.permission_set_of_name.emplace(std::pair(row.instance_id, row.name), row.id).second,
        "a permission set named " + row.name + " is declared twice in instance ssoins-" +
            row.instance_id);
    out.permission_sets.push_back(std::move(ps));
}

void read_assignment(node const& it, declared const& known,
                     std::set<std::tuple<std::string, std::string, std::string, std::string>>& seen,
                     core::state_snapshot& out) {
    it.only({"owner_account_id", "permission_set", "account_id", "principal_type", "principal_id"});
    core::assignment a;
    a.instance_id = owner_instance(it, known);
    auto const name = it.string("permission_set");
    auto const ps = known.permission_set_of_name.find({a.instance_id, name});
    it.check(
        "permission_set", ps != known.permission_set_of_name.end(),
        "no permission set named " + name + " is declared in instance ssoins-" + a.instance_id);
    a.permission_set_id = ps->second;
    a.account_id = account_of(it, "account_id");
    a.principal_type = it.string("principal_type");
    it.check("principal_type", a.principal_type == "USER" || a.principal_type == "GROUP",
             "must be USER or GROUP");
    a.principal_id = it.string("principal_id");
    it.check("principal_id", !a.principal_id.empty() && a.principal_id.size() <= 47,
             "must be 1-47 characters");
    it.check(
        "principal_id",
        seen.emplace(a.permission_set_id, a.account_id, a.principal_type, a.principal_id).second,
        "the same assignment is declared twice");
    out.assignments.push_back(std::move(a));
}

void check_principal_id(node const& it, std::string_view key, std::string const& id) {
    it.check(key, fixture_rules::is_principal_id(id),
             "'" + id + "' must be a UUID, optionally after 10 hex digits and '-'");
}

void read_user(node const& it, declared& known, std::set<std::string>& names,
               core::state_snapshot& out) {
    it.only({"owner_account_id", "identity_store_id", "user_id", "user_name", "display_name",
             "given_name", "family_name", "email", "status", "attributes", "created_date",
             "created_by", "updated_date", "updated_by"});
    core::state_user user;
    auto& u = user.row;
    it.opt_string("owner_account_id"); // derived from the store: only its type is checked
    u.identity_store_id = store_of(it, known);
    u.id = it.string("user_id");
    check_principal_id(it, "user_id", u.id);
    for (auto const* key : {"user_name", "display_name", "given_name", "family_name", "email"})
        it.opt_string(key); // derived from the attributes
    u.status = it.opt_string("status").value_or("ENABLED");
    it.check("status", u.status == "ENABLED" || u.status == "DISABLED",
             "must be ENABLED or DISABLED");
    u.attributes = it.object_text("attributes");
    user.user_name = it.text_in("attributes", "UserName");
    if (user.user_name)
        it.check("attributes", names.insert(u.identity_store_id + "/" + *user.user_name).second,
                 "UserName " + *user.user_name + " is declared twice in identity store " +
                     u.identity_store_id);
    u.created_ms = it.integer("created_date", 0);
    u.created_by = it.opt_string("created_by").value_or("");
    u.updated_ms = it.integer("updated_date", u.created_ms);
    u.updated_by = it.opt_string("updated_by").value_or(u.created_by);
    it.check("user_id", known.store_of_user.emplace(u.id, u.identity_store_id).second,
             u.id + " is declared twice");
    out.users.push_back(std::move(user));
}

void read_group(node const& it, declared& known, std::set<std::string>& names,
                core::state_snapshot& out) {
    it.only({"owner_account_id", "identity_store_id", "group_id", "display_name", "description",
             "attributes", "created_date", "created_by", "updated_date", "updated_by"});
    core::state_group group;
    auto& g = group.row;
    it.opt_string("owner_account_id");
    g.identity_store_id = store_of(it, known);
    g.id = it.string("group_id");
    check_principal_id(it, "group_id", g.id);
    it.opt_string("display_name");
    it.opt_string("description");
    g.attributes = it.object_text("attributes");
    group.display_name = it.text_in("attributes", "DisplayName");
    if (group.display_name)
        it.check("attributes", names.insert(g.identity_store_id + "/" + *group.display_name).second,
                 "DisplayName " + *group.display_name + " is declared twice in identity store " +
                     g.identity_store_id);
    g.created_ms = it.integer("created_date", 0);
    g.created_by = it.opt_string("created_by").value_or("");
    g.updated_ms = it.integer("updated_date", g.created_ms);
    g.updated_by = it.opt_string("updated_by").value_or(g.created_by);
    it.check("group_id", known.store_of_group.emplace(g.id, g.identity_store_id).second,
             g.id + " is declared twice");
    out.groups.push_back(std::move(group));
}

void read_membership(node const& it, declared const& known, std::set<std::string>& seen,
                     core::state_snapshot& out) {
    it.only({"owner_account_id", "identity_store_id", "membership_id", "group", "user", "group_id",
             "user_id", "created_date", "created_by"});
    core::identity_membership m;
    it.opt_string("owner_account_id");
    it.opt_string("group"); // names derived from the group and the user
    it.opt_string("user");
    m.identity_store_id = store_of(it, known);
    m.id = it.string("membership_id");
    check_principal_id(it, "membership_id", m.id);
    m.group_id = it.string("group_id");
    auto const group = known.store_of_group.find(m.group_id);
    it.check("group_id",
             group != known.store_of_group.end() && group->second == m.identity_store_id,
             "no group " + m.group_id + " is declared in identity store " + m.identity_store_id);
    m.user_id = it.string("user_id");
    auto const user = known.store_of_user.find(m.user_id);
    it.check("user_id", user != known.store_of_user.end() && user->second == m.identity_store_id,
             "no user " + m.user_id + " is declared in identity store " + m.identity_store_id);
    m.created_ms = it.integer("created_date", 0);
    m.created_by = it.opt_string("created_by").value_or("");
    it.check("membership_id", seen.insert(m.id).second, m.id + " is declared twice");
    it.check("user_id", seen.insert(m.group_id + "/" + m.user_id).second,
             "user " + m.user_id + " is in group " + m.group_id + " twice");
    out.memberships.push_back(std::move(m));
}

void read_request(node const& it, declared const& known, std::set<core::request_id>& seen,
                  core::state_snapshot& out) {
    it.only({"request_id", "kind", "status", "instance_id", "permission_set_id", "account_id",
             "principal_type", "principal_id", "failure_reason", "created_date", "due_date",
             "surface"});
    core::async_request r;
    auto const id_text = it.string("request_id");
    auto const id = ids::parse_uuid(id_text);
    it.check("request_id", id && is_version_4(*id),
             "'" + id_text + "' is not a request id (a version-4 UUID)");
    r.id = *id;
    it.check("request_id", seen.insert(r.id).second, id_text + " is declared twice");
    auto const kind_text = it.string("kind");
    auto const kind = core::parse_request_kind(kind_text);
    it.check("kind", kind.has_value(), "must be " + core::request_kind_names());
    r.kind = *kind;
    auto const status_text = it.string("status");
    auto const status = core::parse_request_status(status_text);
    it.check("status", status.has_value(), "must be IN_PROGRESS, SUCCEEDED or FAILED");
    r.status = *status;
    r.instance_id = instance_hex(it, "instance_id");
    it.check("instance_id", known.instances.contains(r.instance_id),
             "no instance ssoins-" + r.instance_id + " is declared");
    if (auto const ps = it.opt_string("permission_set_id")) {
        auto const ps_id = ids::permission_set_id(*ps, {true, true, false});
        it.check("permission_set_id", ps_id.has_value(),
                 "'" + *ps + "' is not a permission set id (ps-<16 hex>)");
        r.permission_set_id = std::string(*ps_id);
    }
    r.account_id = it.opt_string("account_id");
    r.principal_type = it.opt_string("principal_type");
    r.principal_id = it.opt_string("principal_id");
    r.failure_reason = it.opt_string("failure_reason");
    r.created_ms = it.integer("created_date", 0);
    r.due_ms = it.opt_integer("due_date");
    r.surface = it.opt_string("surface").value_or("aws");
    it.check("surface", r.surface == "aws" || r.surface == "huawei", "must be aws or huawei");
    // A request still in flight takes effect when it settles: what it names must be there.
    bool const on_permission_set = r.kind == core::request_kind::provision ||
                                   r.kind == core::request_kind::assignment_create ||
                                   r.kind == core::request_kind::assignment_delete;
    if (r.status == core::request_status::in_progress && on_permission_set) {
        it.check("permission_set_id", known.permission_sets.contains(r.permission_set_id),
                 "a request IN_PROGRESS needs a permission set of the document, not '" +
                     r.permission_set_id + "'");
        if (r.kind != core::request_kind::provision) {
            it.check("account_id", r.account_id.has_value(),
                     "a request IN_PROGRESS needs its account");
            it.check("principal_type", r.principal_type == "USER" || r.principal_type == "GROUP",
                     "a request IN_PROGRESS needs USER or GROUP");
            it.check("principal_id", r.principal_id.has_value(),
                     "a request IN_PROGRESS needs its principal");
        }
    }
    out.requests.push_back(std::move(r));
}

core::scheduler_settings read_scheduler(node const& it) {
    it.only({"mode", "delay_ms", "polls", "seed"});
    core::scheduler_settings s;
    if (auto const mode = it.opt_string("mode")) {
        auto const parsed = core::parse_scheduler_mode(*mode);
        it.check("mode", parsed.has_value(), "must be \"auto\", \"polls\" or \"manual\"");
        s.mode = *parsed;
    }
    if (auto const delay = it.opt_object("delay_ms")) {
        delay->only({"min", "max"});
        s.delay_min_ms = delay->integer("min", s.delay_min_ms);
        s.delay_max_ms = delay->integer("max", s.delay_max_ms);
        delay->check("min", s.delay_min_ms >= 0, "must be at least 0");
        delay->check("max", s.delay_max_ms >= s.delay_min_ms && s.delay_max_ms <= max_delay_ms,
                     "must be at least min and at most " + std::to_string(max_delay_ms));
    }
    s.polls = it.integer("polls", s.polls);
    it.check("polls", s.polls >= 1, "must be at least 1");
    if (auto const* seed = it.find("seed")) {
        it.check("seed", seed->IsUint64(), "expected a non-negative integer");
        s.seed = seed->GetUint64();
    }
    return s;
}

rapidjson::Document parse_document(std::string_view text) {
    rapidjson::Document doc;
    // Iterative: a body of 100,000 `[` must be refused, not overflow the stack.
    doc.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
    if (doc.HasParseError())
        throw state_error(std::string("the document: not valid JSON: ") +
                          rapidjson::GetParseError_En(doc.GetParseError()) + " (offset " +
                          std::to_string(doc.GetErrorOffset()) + ")");
    return doc;
}

bool is_state(value const& doc) {
    if (!doc.IsObject())
        return false;
    for (auto const* key : {"clock_offset_ms", "requests", "scheduler"})
        if (doc.HasMember(key))
            return true;
    auto const instances = doc.FindMember("instances");
    if (instances == doc.MemberEnd() || !instances->value.IsArray())
        return false;
    for (auto const& inst : instances->value.GetArray())
        if (inst.IsObject() && inst.HasMember("instance_id"))
            return true;
    return false;
}

std::string read_file(std::filesystem::path const& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw std::runtime_error("fixtures " + file.string() +
                                 ": cannot read: " + std::strerror(errno));
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

core::state_snapshot decode_state(std::string_view text) {
    auto const doc = parse_document(text);
    node const root("", doc);
    root.only({"instances", "permission_sets", "assignments", "users", "groups",
               "group_memberships", "clock_offset_ms", "requests", "scheduler", "applications",
               "application_assignments", "trusted_token_issuers", "access_control_attributes",
               "regions"});
    core::state_snapshot out;
    declared known;
    root.each("instances", [&](node const& it) { read_instance(it, known, out); });
    root.each("permission_sets", [&](node const& it) { read_permission_set(it, known, out); });
    std::set<std::tuple<std::string, std::string, std::string, std::string>> assignments;
    root.each("assignments", [&](node const& it) { read_assignment(it, known, assignments, out); });
    std::set<std::string> names;
    root.each("users", [&](node const& it) { read_user(it, known, names, out); });
    names.clear();
    root.each("groups", [&](node const& it) { read_group(it, known, names, out); });
    std::set<std::string> memberships;
    root.each("group_memberships",
              [&](node const& it) { read_membership(it, known, memberships, out); });
    std::set<core::request_id> requests;
    root.each("requests", [&](node const& it) { read_request(it, known, requests, out); });
    out.clock_offset_ms = root.integer("clock_offset_ms", 0);
    root.check("clock_offset_ms",
               out.clock_offset_ms >= 0 && out.clock_offset_ms <= max_clock_offset_ms,
               "must be 0 to " + std::to_string(max_clock_offset_ms));
    if (auto const s = root.opt_object("scheduler"))
        out.scheduler = read_scheduler(*s);
    // The application family and the added Regions: their own decoder and restore, written
    // after the rows above (their instances and requests) in the same transaction.
    std::optional<apps_state> apps;
    try {
        apps = decode_apps_state(doc);
    } catch (core::error const& e) {
        throw state_error(e.what());
    }
    out.other_sections.push_back([apps = std::move(*apps)](core::service& svc) {
        core::restore_applications(svc.apps, apps.applications);
        core::restore_regions(svc, apps.regions);
    });
    return out;
}

bool is_state_document(std::string_view text) {
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
    return !doc.HasParseError() && is_state(doc);
}

std::optional<core::state_snapshot> load_state_fixtures(std::string const& path) {
    namespace fs = std::filesystem;
    if (path.empty())
        return std::nullopt;
    std::error_code ec;
    fs::path const root(path);
    auto const status = fs::status(root, ec);
    if (ec || status.type() == fs::file_type::not_found)
        return std::nullopt; // load_fixtures says what is wrong
    std::vector<fs::path> files;
    if (fs::is_directory(status)) {
        for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
            auto const name = it->path().filename().string();
            std::error_code file_ec;
            if (!name.starts_with('.') && it->path().extension() == ".json" &&
                fs::is_regular_file(it->path(), file_ec))
                files.push_back(it->path());
        }
        if (ec)
            return std::nullopt;
        std::sort(files.begin(), files.end());
    } else {
        files.push_back(root);
    }
    std::optional<core::state_snapshot> out;
    for (auto const& file : files) {
        auto const text = read_file(file);
        if (!is_state_document(text))
            continue;
        if (files.size() > 1)
            throw std::runtime_error("fixtures " + file.string() +
                                     ": a state document must be the only fixtures file");
        try {
            out = decode_state(text);
        } catch (state_error const& e) {
            throw std::runtime_error("fixtures " + file.string() + ": " + e.what());
        }
    }
    return out;
}

} // namespace icemu::api::admin
