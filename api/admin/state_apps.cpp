#include "api/admin/state_apps.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "api/admin/state.hpp"
#include "api/core/error.hpp"
#include "ids/ids.hpp"

namespace icemu::api::admin {

namespace {

using value = rapidjson::Value;

// ---- rendering --------------------------------------------------------------------------------

std::string application_arn(std::string_view account, std::string_view instance_id,
                            std::string_view id) {
    return "arn:aws:sso::" + std::string(account) + ":application/ssoins-" +
           std::string(instance_id) + "/apl-" + std::string(id);
}

std::string issuer_arn(std::string_view account, std::string_view instance_id,
                       std::string_view id) {
    return "arn:aws:sso::" + std::string(account) + ":trustedTokenIssuer/ssoins-" +
           std::string(instance_id) + "/tti-" + std::string(id);
}

// A stored document as its JSON value; text that is not JSON (never written by the surfaces)
// as a string, so the export stays one JSON document.
void document_member(json::writer& out, std::string_view key, std::string const& text) {
    out.key(key);
    rapidjson::Document parsed;
    parsed.Parse(text.data(), text.size());
    if (parsed.HasParseError())
        out.string(text);
    else
        out.raw(text);
}

void render_documents(json::writer& out, std::string_view section, std::string_view key_name,
                      std::string_view body_name, std::vector<core::app_document> const& docs) {
    out.key(section).start_array();
    for (auto const& d : docs) {
        out.start_object().member(key_name, d.key);
        if (d.body.empty())
            out.key(body_name).null();
        else
            document_member(out, body_name, d.body);
        out.end_object();
    }
    out.end_array();
}

// The members every item starts with: its instance.
void instance_members(json::writer& out, std::map<std::string, std::string> const& owners,
                      std::string const& instance_id) {
    auto const owner = owners.find(instance_id);
    out.member("owner_account_id", owner != owners.end() ? owner->second : std::string());
    out.member("instance_id", "ssoins-" + instance_id);
}

// ---- decoding ---------------------------------------------------------------------------------

[[noreturn]] void fail(std::string const& path, std::string_view why) {
    throw core::error(core::errc::invalid_argument, path + ": " + std::string(why));
}

std::string to_text(value const& v) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    v.Accept(writer);
    return {buffer.GetString(), buffer.GetSize()};
}

// One object of the document with its path for messages ("applications[0].grants[1]").
class node {
public:
    node(std::string path, value const& v) : path_(std::move(path)), v_(v) {
        if (!v.IsObject())
            fail(path_, "expected an object");
    }

    std::string at(std::string_view key) const { return path_ + "." + std::string(key); }
    std::string const& path() const noexcept { return path_; }

    void only(std::initializer_list<std::string_view> keys) const {
        for (auto const& m : v_.GetObject()) {
            std::string_view const key(m.name.GetString(), m.name.GetStringLength());
            if (std::find(keys.begin(), keys.end(), key) == keys.end())
                fail(at(key), "unknown member");
        }
    }

    // The member, absent or null: nullptr.
    value const* get(std::string_view key) const {
        auto const m = v_.FindMember(
            value(rapidjson::StringRef(key.data(), static_cast<rapidjson::SizeType>(key.size()))));
        if (m == v_.MemberEnd() || m->value.IsNull())
            return nullptr;
        return &m->value;
    }

    std::optional<std::string> optional_text(std::string_view key) const {
        auto const* v = get(key);
        if (v == nullptr)
            return std::nullopt;
        if (!v->IsString())
            fail(at(key), "expected a string");
        return std::string(v->GetString(), v->GetStringLength());
    }

    // A required string of `min`..`max` characters.
    std::string text(std::string_view key, std::size_t min = 1, std::size_t max = 2048) const {
        auto out = optional_text(key);
        if (!out)
            fail(at(key), "is required");
        if (out->size() < min || out->size() > max)
            fail(at(key),
                 "expected " + std::to_string(min) + " to " + std::to_string(max) + " characters");
        return std::move(*out);
    }

    std::string one_of(std::string_view key,
                       std::initializer_list<std::string_view> allowed) const {
        auto out = text(key);
        if (std::find(allowed.begin(), allowed.end(), out) != allowed.end())
            return out;
        std::string list;
        for (auto const a : allowed)
            list += (list.empty() ? "" : ", ") + std::string(a);
        fail(at(key), "'" + out + "' is not one of " + list);
    }

    std::int64_t date(std::string_view key) const {
        auto const* v = get(key);
        if (v == nullptr)
            fail(at(key), "is required");
        if (!v->IsInt64() || v->GetInt64() < 0)
            fail(at(key), "expected a non-negative integer (epoch milliseconds)");
        return v->GetInt64();
    }

    bool flag(std::string_view key, bool absent) const {
        auto const* v = get(key);
        if (v == nullptr)
            return absent;
        if (!v->IsBool())
            fail(at(key), "expected true or false");
        return v->GetBool();
    }

    // A JSON object member as its text.
    std::optional<std::string> optional_object(std::string_view key) const {
        auto const* v = get(key);
        if (v == nullptr)
            return std::nullopt;
        if (!v->IsObject())
            fail(at(key), "expected an object");
        return to_text(*v);
    }

    std::string object(std::string_view key) const {
        auto out = optional_object(key);
        if (!out)
            fail(at(key), "is required");
        return std::move(*out);
    }

    // Each item of an optional array member.
    void each(std::string_view key, std::function<void(node const&, std::size_t)> const& fn) const {
        auto const* v = get(key);
        if (v == nullptr)
            return;
        if (!v->IsArray())
            fail(at(key), "expected an array");
        std::size_t n = 0;
        for (auto const& item : v->GetArray()) {
            fn(node(at(key) + "[" + std::to_string(n) + "]", item), n);
            ++n;
        }
    }

private:
    std::string path_;
    value const& v_;
};

// Each item of a top-level section, absent or null: none.
void each_item(value const& document, std::string_view section,
               std::function<void(node const&)> const& fn) {
    auto const m = document.FindMember(value(
        rapidjson::StringRef(section.data(), static_cast<rapidjson::SizeType>(section.size()))));
    if (m == document.MemberEnd() || m->value.IsNull())
        return;
    if (!m->value.IsArray())
        fail(std::string(section), "expected an array");
    std::size_t n = 0;
    for (auto const& item : m->value.GetArray())
        fn(node(std::string(section) + "[" + std::to_string(n++) + "]", item));
}

struct request_fact {
    std::string kind;
    std::string status;
    std::string instance_id;
    std::optional<std::string> failure_reason;
};

// What this decoder needs of the other sections: each instance's owner, and the requests (their
// own decoder checks them in full; an item it cannot read is not found here).
struct references {
    std::map<std::string, std::string, std::less<>> owners; // instance hex -> owner account
    std::map<std::string, request_fact, std::less<>> requests;
    // The last request of a kind in an instance (requests are listed oldest first).
    std::map<std::pair<std::string, std::string>, std::string> latest;
};

std::optional<std::string> string_member(value const& v, char const* key) {
    if (!v.IsObject())
        return std::nullopt;
    auto const m = v.FindMember(key);
    if (m == v.MemberEnd() || !m->value.IsString())
        return std::nullopt;
    return std::string(m->value.GetString(), m->value.GetStringLength());
}

std::optional<std::string> instance_hex(std::optional<std::string> const& text) {
    if (!text)
        return std::nullopt;
    auto const id = ids::instance_id(*text, ids::every_instance_form);
    if (!id)
        return std::nullopt;
    return std::string(*id);
}

references references_of(value const& document) {
    references out;
    auto const array = [&](char const* key) -> value const* {
        auto const m = document.FindMember(key);
        if (m == document.MemberEnd() || !m->value.IsArray())
            return nullptr;
        return &m->value;
    };
    if (auto const* instances = array("instances"))
        for (auto const& inst : instances->GetArray()) {
            auto const id = instance_hex(string_member(inst, "instance_id"));
            auto const owner = string_member(inst, "owner_account_id");
            if (id && owner)
                out.owners.emplace(*id, *owner);
        }
    if (auto const* requests = array("requests"))
        for (auto const& r : requests->GetArray()) {
            auto const id = string_member(r, "request_id");
            auto const kind = string_member(r, "kind");
            auto const status = string_member(r, "status");
            auto const instance = instance_hex(string_member(r, "instance_id"));
            if (!id || !kind || !status || !instance)
                continue;
            out.requests[*id] = {*kind, *status, *instance, string_member(r, "failure_reason")};
            out.latest[{*instance, *kind}] = *id;
        }
    return out;
}

// The instance an item names by instance_id, owned by its owner_account_id.
std::string instance_of(node const& item, references const& refs) {
    auto const text = item.text("instance_id");
    auto const id = instance_hex(text);
    if (!id)
        fail(item.at("instance_id"), "expected ssoins-<16 hex>");
    auto const owner = refs.owners.find(*id);
    if (owner == refs.owners.end())
        fail(item.at("instance_id"), "names no instance of the instances section");
    auto const account = item.text("owner_account_id");
    if (account != owner->second)
        fail(item.at("owner_account_id"), "is not the owner of instance " + text);
    return *id;
}

std::string prefixed_id(node const& item, std::string_view key, std::string_view prefix,
                        bool (*ok)(std::string_view) noexcept, std::string_view expected) {
    auto const text = item.text(key);
    if (text.substr(0, prefix.size()) != prefix || !ok(text.substr(prefix.size())))
        fail(item.at(key), "expected " + std::string(expected));
    return text.substr(prefix.size());
}

// An ARN member, when given, must be the one the ids make.
void check_arn(node const& item, std::string_view key, std::string const& expected) {
    if (auto const arn = item.optional_text(key); arn && *arn != expected)
        fail(item.at(key), "expected " + expected);
}

std::vector<core::tag> tags_of(node const& item) {
    std::vector<core::tag> out;
    std::set<std::string> keys;
    item.each("tags", [&](node const& t, std::size_t) {
        t.only({"key", "value"});
        auto key = t.text("key", 1, 128);
        if (!keys.insert(key).second)
            fail(t.at("key"), "the key '" + key + "' appears twice");
        out.push_back({std::move(key), t.text("value", 0, 256)});
    });
    if (out.size() > 50)
        fail(item.at("tags"), "more than 50 tags");
    return out;
}

// Keyed documents of an application: unique keys, each key valid by `check_key`.
std::vector<core::app_document> documents_of(
    node const& app, std::string_view section, std::string_view key_name,
    std::string_view body_name, bool body_required,
    std::function<void(node const&, std::string const&)> const& check_key) {
    std::vector<core::app_document> out;
    std::set<std::string> keys;
    app.each(section, [&](node const& d, std::size_t) {
        d.only({key_name, body_name});
        auto key = d.text(key_name);
        check_key(d, key);
        if (!keys.insert(key).second)
            fail(d.at(key_name), "'" + key + "' appears twice");
        std::string body;
        if (body_required) {
            body = d.object(body_name);
        } else if (auto const* targets = d.get(body_name)) {
            // AuthorizedTargets: a list of application ARNs.
            if (!targets->IsArray())
                fail(d.at(body_name), "expected an array of strings");
            for (auto const& t : targets->GetArray())
                if (!t.IsString())
                    fail(d.at(body_name), "expected an array of strings");
            body = to_text(*targets);
        }
        out.push_back({std::move(key), std::move(body)});
    });
    return out;
}

bool is_scope(std::string const& text) {
    // ([A-Za-z0-9_]{1,50})(:[A-Za-z0-9_]{1,50}){0,2}, as the model's Scope.
    std::size_t parts = 0;
    std::size_t start = 0;
    for (;;) {
        auto const end = text.find(':', start);
        auto const part = std::string_view(text).substr(
            start, end == std::string::npos ? std::string::npos : end - start);
        if (part.empty() || part.size() > 50 || !std::all_of(part.begin(), part.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '_';
            }))
            return false;
        if (++parts > 3)
            return false;
        if (end == std::string::npos)
            return true;
        start = end + 1;
    }
}

core::application_snapshot application_of(node const& item, references const& refs) {
    item.only({"owner_account_id", "instance_id", "application_id", "application_arn",
               "application_provider_arn", "name", "description", "status", "portal_options",
               "client_token", "created_date", "assignment_required",
               "user_background_session_application_status", "access_scopes",
               "authentication_methods", "grants", "tags"});
    core::application_snapshot out;
    out.instance_id = instance_of(item, refs);
    out.id = prefixed_id(item, "application_id", "apl-", ids::is_hex16, "apl-<16 hex>");
    check_arn(item, "application_arn",
              application_arn(refs.owners.find(out.instance_id)->second, out.instance_id, out.id));
    out.provider_arn = item.text("application_provider_arn");
    out.name = item.text("name", 1, 100);
    out.description = item.optional_text("description");
    out.status = item.one_of("status", {"ENABLED", "DISABLED"});
    out.portal_options = item.optional_object("portal_options");
    out.client_token = item.optional_text("client_token");
    out.created_ms = item.date("created_date");
    out.assignment_required = item.flag("assignment_required", true);
    if (item.get("user_background_session_application_status") != nullptr)
        out.session_status =
            item.one_of("user_background_session_application_status", {"ENABLED", "DISABLED"});
    out.access_scopes = documents_of(item, "access_scopes", "scope", "authorized_targets", false,
                                     [](node const& d, std::string const& key) {
                                         if (!is_scope(key))
                                             fail(d.at("scope"), "'" + key + "' is not a scope");
                                     });
    out.authentication_methods = documents_of(
        item, "authentication_methods", "authentication_method_type", "authentication_method", true,
        [](node const& d, std::string const&) { d.one_of("authentication_method_type", {"IAM"}); });
    out.grants = documents_of(
        item, "grants", "grant_type", "grant", true, [](node const& d, std::string const&) {
            d.one_of("grant_type", {"authorization_code", "refresh_token",
                                    "urn:ietf:params:oauth:grant-type:jwt-bearer",
                                    "urn:ietf:params:oauth:grant-type:token-exchange"});
        });
    out.tags = tags_of(item);
    return out;
}

core::trusted_token_issuer_snapshot issuer_of(node const& item, references const& refs) {
    item.only({"owner_account_id", "instance_id", "trusted_token_issuer_id",
               "trusted_token_issuer_arn", "name", "trusted_token_issuer_type",
               "trusted_token_issuer_configuration", "client_token", "created_date", "tags"});
    core::trusted_token_issuer_snapshot out;
    out.instance_id = instance_of(item, refs);
    out.id = prefixed_id(item, "trusted_token_issuer_id", "tti-", ids::is_lower_uuid,
                         "tti-<lowercase UUID>");
    check_arn(item, "trusted_token_issuer_arn",
              issuer_arn(refs.owners.find(out.instance_id)->second, out.instance_id, out.id));
    out.name = item.text("name", 1, 255);
    out.type = item.one_of("trusted_token_issuer_type", {"OIDC_JWT"});
    out.configuration = item.object("trusted_token_issuer_configuration");
    out.client_token = item.optional_text("client_token");
    out.created_ms = item.date("created_date");
    out.tags = tags_of(item);
    return out;
}

// The request an item names (`request_id`), which must be the latest of `kind` in its instance
// and stand in one of `statuses`.
std::optional<std::string> request_of(node const& item, references const& refs,
                                      std::string const& instance_id, std::string_view kind,
                                      bool required,
                                      std::initializer_list<std::string_view> statuses) {
    auto id = item.optional_text("request_id");
    auto const latest = refs.latest.find({instance_id, std::string(kind)});
    if (!id) {
        if (required)
            fail(item.at("request_id"), "is required for this status");
        return id;
    }
    auto const r = refs.requests.find(*id);
    if (r == refs.requests.end() || r->second.kind != kind || r->second.instance_id != instance_id)
        fail(item.at("request_id"),
             "names no " + std::string(kind) + " request of the instance in the requests section");
    if (std::find(statuses.begin(), statuses.end(), r->second.status) == statuses.end())
        fail(item.at("request_id"), "the request is " + r->second.status);
    if (kind == "ACCESS_CONTROL_ATTRIBUTES" &&
        (latest == refs.latest.end() || latest->second != *id))
        fail(item.at("request_id"),
             "is not the instance's latest " + std::string(kind) + " request");
    return id;
}

core::access_control_snapshot access_control_of(node const& item, references const& refs) {
    item.only({"owner_account_id", "instance_id", "instance_access_control_attribute_configuration",
               "status", "status_reason", "request_id", "created_date"});
    core::access_control_snapshot out;
    out.instance_id = instance_of(item, refs);
    out.configuration = item.object("instance_access_control_attribute_configuration");
    out.status = item.one_of("status", {"ENABLED", "CREATION_IN_PROGRESS", "CREATION_FAILED"});
    out.status_reason = item.optional_text("status_reason");
    out.created_ms = item.date("created_date");
    // The status is read from the latest request: the document must hold that request.
    constexpr std::string_view kind = "ACCESS_CONTROL_ATTRIBUTES";
    if (out.status == "ENABLED") {
        out.request_id = request_of(item, refs, out.instance_id, kind, false, {"SUCCEEDED"});
        if (!out.request_id && refs.latest.count({out.instance_id, std::string(kind)}) > 0)
            fail(item.at("request_id"),
                 "is required: the instance has ACCESS_CONTROL_ATTRIBUTES "
                 "requests");
    } else {
        bool const failed = out.status == "CREATION_FAILED";
        out.request_id = request_of(item, refs, out.instance_id, kind, true,
                                    {failed ? std::string_view("FAILED") : "IN_PROGRESS"});
        if (failed &&
            out.status_reason != refs.requests.find(*out.request_id)->second.failure_reason)
            fail(item.at("status_reason"), "is not the request's failure_reason");
    }
    if (out.status != "CREATION_FAILED" && out.status_reason)
        fail(item.at("status_reason"), "only a CREATION_FAILED configuration has one");
    return out;
}

core::region_snapshot region_of(node const& item, references const& refs) {
    item.only(
        {"owner_account_id", "instance_id", "region_name", "status", "added_date", "request_id"});
    core::region_snapshot out;
    out.instance_id = instance_of(item, refs);
    out.name = item.text("region_name", 1, 32);
    if (!std::all_of(out.name.begin(), out.name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        }))
        fail(item.at("region_name"), "'" + out.name + "' is not a Region name");
    out.status = item.one_of("status", {"ACTIVE", "ADDING", "REMOVING"});
    out.added_ms = item.date("added_date");
    if (out.status == "ACTIVE") {
        if (item.get("request_id") != nullptr)
            fail(item.at("request_id"), "an ACTIVE Region has none");
    } else {
        out.request_id = request_of(item, refs, out.instance_id, "REGION", true, {"IN_PROGRESS"});
    }
    return out;
}

} // namespace

void render_apps_state(json::writer& out, core::service& svc) {
    std::map<std::string, std::string> owners;
    for (auto const& inst : every<core::instance>(
             [&](core::page_request const& page) { return svc.instances.list(page); }))
        owners.emplace(inst.id, inst.owner_account);
    auto const apps = core::snapshot_applications(svc.apps);

    out.key("applications").start_array();
    for (auto const& a : apps.applications) {
        out.start_object();
        instance_members(out, owners, a.instance_id);
        out.member("application_id", "apl-" + a.id);
        out.member("application_arn", application_arn(owners[a.instance_id], a.instance_id, a.id));
        out.member("application_provider_arn", a.provider_arn).member("name", a.name);
        optional_member(out, "description", a.description);
        out.member("status", a.status);
        if (a.portal_options)
            document_member(out, "portal_options", *a.portal_options);
        else
            out.key("portal_options").null();
        optional_member(out, "client_token", a.client_token);
        out.member("created_date", a.created_ms);
        out.key("assignment_required").boolean(a.assignment_required);
        out.member("user_background_session_application_status", a.session_status);
        render_documents(out, "access_scopes", "scope", "authorized_targets", a.access_scopes);
        render_documents(out, "authentication_methods", "authentication_method_type",
                         "authentication_method", a.authentication_methods);
        render_documents(out, "grants", "grant_type", "grant", a.grants);
        render_tags(out, a.tags);
        out.end_object();
    }
    out.end_array();

    out.key("application_assignments").start_array();
    for (auto const& a : apps.assignments) {
        out.start_object();
        instance_members(out, owners, a.instance_id);
        out.member("application_id", "apl-" + a.application_id);
        out.member("principal_type", a.principal_type).member("principal_id", a.principal_id);
        out.member("created_date", a.created_ms).end_object();
    }
    out.end_array();

    out.key("trusted_token_issuers").start_array();
    for (auto const& t : apps.issuers) {
        out.start_object();
        instance_members(out, owners, t.instance_id);
        out.member("trusted_token_issuer_id", "tti-" + t.id);
        out.member("trusted_token_issuer_arn",
                   issuer_arn(owners[t.instance_id], t.instance_id, t.id));
        out.member("name", t.name).member("trusted_token_issuer_type", t.type);
        document_member(out, "trusted_token_issuer_configuration", t.configuration);
        optional_member(out, "client_token", t.client_token);
        out.member("created_date", t.created_ms);
        render_tags(out, t.tags);
        out.end_object();
    }
    out.end_array();

    out.key("access_control_attributes").start_array();
    for (auto const& c : apps.access_control) {
        out.start_object();
        instance_members(out, owners, c.instance_id);
        document_member(out, "instance_access_control_attribute_configuration", c.configuration);
        out.member("status", c.status);
        optional_member(out, "status_reason", c.status_reason);
        optional_member(out, "request_id", c.request_id);
        out.member("created_date", c.created_ms).end_object();
    }
    out.end_array();

    out.key("regions").start_array();
    for (auto const& r : core::snapshot_regions(svc)) {
        out.start_object();
        instance_members(out, owners, r.instance_id);
        out.member("region_name", r.name).member("status", r.status);
        out.member("added_date", r.added_ms);
        optional_member(out, "request_id", r.request_id);
        out.end_object();
    }
    out.end_array();
}

apps_state decode_apps_state(rapidjson::Value const& document) {
    if (!document.IsObject())
        fail("state", "expected an object");
    auto const refs = references_of(document);
    apps_state out;
    auto& apps = out.applications;

    std::set<std::string> app_ids;
    std::set<std::pair<std::string, std::string>> app_names;
    each_item(document, "applications", [&](node const& item) {
        auto app = application_of(item, refs);
        if (!app_ids.insert(app.id).second)
            fail(item.at("application_id"), "apl-" + app.id + " appears twice");
        if (!app_names.insert({app.instance_id, app.name}).second)
            fail(item.at("name"), "'" + app.name + "' names another application of the instance");
        apps.applications.push_back(std::move(app));
    });

    std::set<std::string> assignments;
    each_item(document, "application_assignments", [&](node const& item) {
        item.only({"owner_account_id", "instance_id", "application_id", "principal_type",
                   "principal_id", "created_date"});
        core::application_assignment_snapshot a;
        a.instance_id = instance_of(item, refs);
        a.application_id =
            prefixed_id(item, "application_id", "apl-", ids::is_hex16, "apl-<16 hex>");
        auto const owner =
            std::find_if(apps.applications.begin(), apps.applications.end(),
                         [&](auto const& app) { return app.id == a.application_id; });
        if (owner == apps.applications.end() || owner->instance_id != a.instance_id)
            fail(item.at("application_id"),
                 "names no application of the instance in the applications section");
        a.principal_type = item.one_of("principal_type", {"USER", "GROUP"});
        a.principal_id = item.text("principal_id", 1, 47);
        a.created_ms = item.date("created_date");
        if (!assignments.insert(a.application_id + "/" + a.principal_type + "/" + a.principal_id)
                 .second)
            fail(item.path(), "the assignment appears twice");
        apps.assignments.push_back(std::move(a));
    });

    std::set<std::string> issuer_ids;
    std::set<std::pair<std::string, std::string>> issuer_names;
    each_item(document, "trusted_token_issuers", [&](node const& item) {
        auto issuer = issuer_of(item, refs);
        if (!issuer_ids.insert(issuer.id).second)
            fail(item.at("trusted_token_issuer_id"), "tti-" + issuer.id + " appears twice");
        if (!issuer_names.insert({issuer.instance_id, issuer.name}).second)
            fail(item.at("name"), "'" + issuer.name + "' names another issuer of the instance");
        apps.issuers.push_back(std::move(issuer));
    });

    std::set<std::string> configured;
    each_item(document, "access_control_attributes", [&](node const& item) {
        auto abac = access_control_of(item, refs);
        if (!configured.insert(abac.instance_id).second)
            fail(item.at("instance_id"), "the instance has another configuration");
        apps.access_control.push_back(std::move(abac));
    });

    std::set<std::pair<std::string, std::string>> regions;
    each_item(document, "regions", [&](node const& item) {
        auto region = region_of(item, refs);
        if (!regions.insert({region.instance_id, region.name}).second)
            fail(item.at("region_name"), region.name + " appears twice in the instance");
        out.regions.push_back(std::move(region));
    });
    return out;
}

} // namespace icemu::api::admin
