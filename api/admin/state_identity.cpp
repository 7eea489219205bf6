#include "api/admin/state_identity.hpp"

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "api/admin/state.hpp"

namespace icemu::api::admin {

namespace {

using document = rapidjson::Document;

std::optional<std::string> text_at(rapidjson::Value const& v, char const* key) {
    if (!v.IsObject())
        return std::nullopt;
    auto const m = v.FindMember(key);
    if (m == v.MemberEnd() || !m->value.IsString())
        return std::nullopt;
    return std::string(m->value.GetString(), m->value.GetStringLength());
}

// The primary email, else the first one.
std::optional<std::string> email_of(document const& attributes) {
    auto const m = attributes.FindMember("Emails");
    if (m == attributes.MemberEnd() || !m->value.IsArray())
        return std::nullopt;
    std::optional<std::string> first;
    for (auto const& e : m->value.GetArray()) {
        auto value = text_at(e, "Value");
        if (!value)
            continue;
        auto const primary = e.FindMember("Primary");
        if (primary != e.MemberEnd() && primary->value.IsBool() && primary->value.GetBool())
            return value;
        if (!first)
            first = std::move(value);
    }
    return first;
}

document parse(std::string const& attributes) {
    document doc;
    doc.Parse(attributes.data(), attributes.size());
    if (doc.HasParseError() || !doc.IsObject())
        doc.SetObject();
    return doc;
}

void member_if(json::writer& out, std::string_view key, std::optional<std::string> const& v) {
    if (v)
        out.member(key, *v);
}

// The stored attributes as they are (a JSON object), or {} for text that is not one.
void attributes_member(json::writer& out, std::string const& text, document const& parsed) {
    out.key("attributes");
    if (parsed.ObjectEmpty())
        out.raw("{}");
    else
        out.raw(text);
}

struct store_of_instance {
    std::string owner_account_id;
    std::string identity_store_id;
};

} // namespace

void render_identity_state(json::writer& out, core::service& svc, core::identity_store& identity) {
    std::vector<store_of_instance> stores;
    for (auto const& inst : every<core::instance>(
             [&](core::page_request const& page) { return svc.instances.list(page); }))
        stores.push_back({inst.owner_account, inst.identity_store_id});

    // Each user's name, for the memberships below: read once here, not once per membership.
    std::unordered_map<std::string, std::optional<std::string>> user_names;
    out.key("users").start_array();
    for (auto const& s : stores)
        for (auto const& u : every<core::identity_user>([&](core::page_request const& page) {
                 return identity.list_users(s.identity_store_id, std::nullopt, page);
             })) {
            auto const attributes = parse(u.attributes);
            out.start_object().member("owner_account_id", s.owner_account_id);
            out.member("identity_store_id", s.identity_store_id).member("user_id", u.id);
            auto const user_name = text_at(attributes, "UserName");
            user_names.emplace(u.id, user_name);
            member_if(out, "user_name", user_name);
            member_if(out, "display_name", text_at(attributes, "DisplayName"));
            if (auto const name = attributes.FindMember("Name"); name != attributes.MemberEnd()) {
                member_if(out, "given_name", text_at(name->value, "GivenName"));
                member_if(out, "family_name", text_at(name->value, "FamilyName"));
            }
            member_if(out, "email", email_of(attributes));
            out.member("status", u.status);
            attributes_member(out, u.attributes, attributes);
            out.member("created_date", u.created_ms).member("created_by", u.created_by);
            out.member("updated_date", u.updated_ms).member("updated_by", u.updated_by);
            out.end_object();
        }
    out.end_array();

    out.key("groups").start_array();
    std::vector<std::pair<std::size_t, core::identity_group>> groups;
    for (std::size_t i = 0; i < stores.size(); ++i)
        for (auto& g : every<core::identity_group>([&](core::page_request const& page) {
                 return identity.list_groups(stores[i].identity_store_id, std::nullopt, page);
             })) {
            auto const attributes = parse(g.attributes);
            out.start_object().member("owner_account_id", stores[i].owner_account_id);
            out.member("identity_store_id", stores[i].identity_store_id).member("group_id", g.id);
            member_if(out, "display_name", text_at(attributes, "DisplayName"));
            member_if(out, "description", text_at(attributes, "Description"));
            attributes_member(out, g.attributes, attributes);
            out.member("created_date", g.created_ms).member("created_by", g.created_by);
            out.member("updated_date", g.updated_ms).member("updated_by", g.updated_by);
            out.end_object();
            groups.emplace_back(i, std::move(g));
        }
    out.end_array();

    out.key("group_memberships").start_array();
    // Not a structured binding: clang 14 cannot capture one in the lambda below.
    for (auto const& entry : groups) {
        auto const& s = stores[entry.first];
        auto const& g = entry.second;
        auto const group_name = text_at(parse(g.attributes), "DisplayName");
        for (auto const& m : every<core::identity_membership>([&](core::page_request const& page) {
                 return identity.list_memberships(s.identity_store_id, g.id, page);
             })) {
            out.start_object().member("owner_account_id", s.owner_account_id);
            out.member("identity_store_id", s.identity_store_id).member("membership_id", m.id);
            member_if(out, "group", group_name);
            if (auto const user = user_names.find(m.user_id); user != user_names.end())
                member_if(out, "user", user->second);
            out.member("group_id", m.group_id).member("user_id", m.user_id);
            out.member("created_date", m.created_ms).member("created_by", m.created_by);
            out.end_object();
        }
    }
    out.end_array();
}

} // namespace icemu::api::admin
