#include "api/huawei/identity_store.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "api/core/identity.hpp"
#include "api/huawei/render.hpp"
#include "api/json/reader.hpp"

namespace icemu::api::huawei {

namespace {

namespace http = server::http;

// ---- the one mapping between Huawei's members and the AWS members the store keeps -------------

struct name_pair {
    std::string_view huawei;
    std::string_view aws;
};

enum class shape { text, object, list };

struct top_member {
    std::string_view huawei;
    std::string_view aws;
    shape kind;
};

// A user's members (enterprise is AWS's extension "aws:identitystore:enterprise", below).
constexpr std::array<top_member, 14> user_members{{
    {"user_name", "UserName", shape::text},
    {"display_name", "DisplayName", shape::text},
    {"name", "Name", shape::object},
    {"emails", "Emails", shape::list},
    {"addresses", "Addresses", shape::list},
    {"phone_numbers", "PhoneNumbers", shape::list},
    {"external_ids", "ExternalIds", shape::list},
    {"locale", "Locale", shape::text},
    {"nickname", "NickName", shape::text},
    {"preferred_language", "PreferredLanguage", shape::text},
    {"profile_url", "ProfileUrl", shape::text},
    {"timezone", "Timezone", shape::text},
    {"title", "Title", shape::text},
    {"user_type", "UserType", shape::text},
}};

constexpr std::array<top_member, 3> group_members{{
    {"display_name", "DisplayName", shape::text},
    {"description", "Description", shape::text},
    {"external_ids", "ExternalIds", shape::list},
}};

// The members of the objects below them (NameDto, EmailDto, AddressDto, PhoneNumberDto,
// ExternalIdDto).
constexpr std::array<name_pair, 16> part_members{{
    {"family_name", "FamilyName"},
    {"given_name", "GivenName"},
    {"formatted", "Formatted"},
    {"middle_name", "MiddleName"},
    {"honorific_prefix", "HonorificPrefix"},
    {"honorific_suffix", "HonorificSuffix"},
    {"value", "Value"},
    {"type", "Type"},
    {"primary", "Primary"},
    {"street_address", "StreetAddress"},
    {"locality", "Locality"},
    {"region", "Region"},
    {"postal_code", "PostalCode"},
    {"country", "Country"},
    {"issuer", "Issuer"},
    {"id", "Id"},
}};

// EnterpriseDto ↔ AWS's enterprise extension (lower camel; manager is {"value"} on both).
constexpr std::string_view enterprise_extension = "aws:identitystore:enterprise";
constexpr std::array<name_pair, 7> enterprise_members{{
    {"cost_center", "costCenter"},
    {"department", "department"},
    {"division", "division"},
    {"employee_number", "employeeNumber"},
    {"organization", "organization"},
    {"manager", "manager"},
    {"value", "value"},
}};

template <std::size_t N>
std::string_view renamed(std::array<name_pair, N> const& names, std::string_view name,
                         bool to_aws) noexcept {
    for (auto const& n : names)
        if ((to_aws ? n.huawei : n.aws) == name)
            return to_aws ? n.aws : n.huawei;
    return {};
}

// A copy of `v` with the members of its objects renamed by `names` (unknown ones dropped).
template <std::size_t N>
rapidjson::Value converted(rapidjson::Value const& v, std::array<name_pair, N> const& names,
                           bool to_aws, rapidjson::Document::AllocatorType& alloc) {
    if (v.IsArray()) {
        rapidjson::Value out(rapidjson::kArrayType);
        for (auto const& item : v.GetArray())
            out.PushBack(converted(item, names, to_aws, alloc), alloc);
        return out;
    }
    if (!v.IsObject())
        return rapidjson::Value(v, alloc);
    rapidjson::Value out(rapidjson::kObjectType);
    for (auto const& m : v.GetObject()) {
        auto const name = renamed(names, {m.name.GetString(), m.name.GetStringLength()}, to_aws);
        if (name.empty() || m.value.IsNull())
            continue;
        rapidjson::Value key(name.data(), static_cast<rapidjson::SizeType>(name.size()), alloc);
        out.AddMember(key, rapidjson::Value(m.value, alloc), alloc);
    }
    return out;
}

std::string dump(rapidjson::Value const& v) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    v.Accept(w);
    return {buffer.GetString(), buffer.GetSize()};
}

rapidjson::Value key_of(std::string_view name, rapidjson::Document::AllocatorType& alloc) {
    return {name.data(), static_cast<rapidjson::SizeType>(name.size()), alloc};
}

// Huawei → AWS: the attributes (a JSON object of AWS members) of a Huawei body's members.
template <std::size_t N>
std::string aws_attributes(rapidjson::Value const& body, std::array<top_member, N> const& tops,
                           bool user) {
    rapidjson::Document doc;
    doc.SetObject();
    auto& alloc = doc.GetAllocator();
    for (auto const& top : tops) {
        auto const* v = json::find(body, top.huawei);
        if (v == nullptr || v->IsNull())
            continue;
        doc.AddMember(key_of(top.aws, alloc), converted(*v, part_members, true, alloc), alloc);
    }
    if (auto const* enterprise = json::find(body, "enterprise");
        user && enterprise != nullptr && enterprise->IsObject()) {
        rapidjson::Value extensions(rapidjson::kObjectType);
        extensions.AddMember(key_of(enterprise_extension, alloc),
                             converted(*enterprise, enterprise_members, true, alloc), alloc);
        doc.AddMember("Extensions", extensions, alloc);
    }
    return dump(doc);
}

// AWS → Huawei: writes the Huawei members of stored attributes into the open object.
template <std::size_t N>
void write_huawei_members(json::writer& out, std::string const& attributes,
                          std::array<top_member, N> const& tops, bool user) {
    rapidjson::Document doc;
    doc.Parse(attributes.c_str(), attributes.size());
    if (doc.HasParseError() || !doc.IsObject())
        return;
    auto& alloc = doc.GetAllocator();
    for (auto const& top : tops) {
        auto const* v = json::find(doc, top.aws);
        if (v == nullptr || v->IsNull())
            continue;
        out.key(top.huawei).raw(dump(converted(*v, part_members, false, alloc)));
    }
    auto const* extensions = user ? json::find(doc, "Extensions") : nullptr;
    auto const* enterprise = extensions != nullptr && extensions->IsObject()
                                 ? json::find(*extensions, enterprise_extension)
                                 : nullptr;
    if (enterprise != nullptr && enterprise->IsObject())
        out.key("enterprise").raw(dump(converted(*enterprise, enterprise_members, false, alloc)));
}

// An UpdateUser/UpdateGroup/GetUserId attribute path ("display_name", "name.given_name") as
// the core knows it ("DisplayName", "Name.GivenName"), with its member's shape; none if the
// path names no member.
template <std::size_t N>
std::optional<std::pair<std::string, shape>> aws_path(std::string_view path,
                                                      std::array<top_member, N> const& tops) {
    auto const dot = path.find('.');
    auto const head = path.substr(0, dot);
    for (auto const& top : tops) {
        if (top.huawei != head)
            continue;
        if (dot == std::string_view::npos)
            return std::pair{std::string(top.aws), top.kind};
        if (top.aws != "Name")
            return std::nullopt;
        auto const part = renamed(part_members, path.substr(dot + 1), true);
        if (part.empty())
            return std::nullopt;
        return std::pair{std::string(top.aws) + "." + std::string(part), shape::text};
    }
    return std::nullopt;
}

// ---- input -------------------------------------------------------------------------------------

std::string_view store_of(route_context const& ctx) {
    return ctx.params["identity_store_id"];
}

core::identity_store& identity(route_context const& ctx) {
    return *ctx.identity;
}

// A path or query id of a user, group or membership: 1–64 characters.
std::string id_param(std::string_view text, std::string_view field) {
    auto const n = char_count(text);
    if (n < 1 || n > 64)
        bad_request(std::string(field) + " must be 1-64 characters");
    return std::string(text);
}

std::string path_id(route_context const& ctx, std::string_view field) {
    return id_param(ctx.params[field], field);
}

rapidjson::Value const* member_of_type(rapidjson::Value const& body, std::string_view field,
                                       bool object, bool required, std::string const& name) {
    auto const* v = json::find(body, field);
    if (v == nullptr || v->IsNull()) {
        if (required)
            bad_request(name + " is required");
        return nullptr;
    }
    if (object ? !v->IsObject() : !v->IsArray())
        bad_request(name + (object ? " must be an object" : " must be an array"));
    return v;
}

rapidjson::Value const* object_member(rapidjson::Value const& body, std::string_view field,
                                      bool required, std::string const& prefix = {}) {
    return member_of_type(body, field, true, required, prefix + std::string(field));
}

rapidjson::Value const* array_member(rapidjson::Value const& body, std::string_view field,
                                     std::size_t min, std::size_t max, bool required) {
    auto const* v = member_of_type(body, field, false, required, std::string(field));
    if (v != nullptr && (v->Size() < min || v->Size() > max))
        bad_request(std::string(field) + " must have " + std::to_string(min) + "-" +
                    std::to_string(max) + " items");
    return v;
}

void optional_bool(rapidjson::Value const& obj, std::string_view field, std::string const& name) {
    auto const* v = json::find(obj, field);
    if (v != nullptr && !v->IsNull() && !v->IsBool())
        bad_request(name + " must be a boolean");
}

// `{"user_id": ...}` of member_id.
std::string member_of(rapidjson::Value const& body) {
    auto const* member = object_member(body, "member_id", true);
    return *body_string(*member, "user_id", 1, 47, true, "member_id.user_id");
}

// The items of an EmailDto/AddressDto/PhoneNumberDto array: objects with string members and
// `primary` a boolean.
void check_items(rapidjson::Value const* items, std::string_view field,
                 std::initializer_list<std::string_view> strings, bool value_required) {
    if (items == nullptr)
        return;
    std::size_t i = 0;
    for (auto const& item : items->GetArray()) {
        std::string const at = std::string(field) + "[" + std::to_string(i++) + "]";
        if (!item.IsObject())
            bad_request(at + " must be an object");
        for (auto const name : strings)
            (void)body_string(item, name, 1, 1024, value_required && name == "value",
                              at + "." + std::string(name));
        optional_bool(item, "primary", at + ".primary");
    }
}

void check_user_members(rapidjson::Value const& body, bool create) {
    (void)body_string(body, "user_name", 2, 128, create);
    (void)body_string(body, "display_name", 1, 1024, create);
    if (auto const* name = object_member(body, "name", create)) {
        (void)body_string(*name, "family_name", 1, 1024, create, "name.family_name");
        (void)body_string(*name, "given_name", 1, 1024, create, "name.given_name");
        for (auto const part : {"formatted", "middle_name", "honorific_prefix", "honorific_suffix"})
            (void)body_string(*name, part, 1, 1024, false, "name." + std::string(part));
    }
    check_items(array_member(body, "emails", 1, 1, create), "emails",
                {"value", "type", "verification_status"}, true);
    check_items(
        array_member(body, "addresses", 1, 1, false), "addresses",
        {"street_address", "locality", "region", "postal_code", "country", "formatted", "type"},
        false);
    check_items(array_member(body, "phone_numbers", 1, 1, false), "phone_numbers",
                {"value", "type"}, false);
    for (auto const field : {"locale", "nickname", "preferred_language", "profile_url", "timezone",
                             "title", "user_type"})
        (void)body_string(body, field, 1, 1024);
    if (auto const* enterprise = object_member(body, "enterprise", false)) {
        for (auto const field :
             {"cost_center", "department", "division", "employee_number", "organization"})
            (void)body_string(*enterprise, field, 0, 1024, false,
                              "enterprise." + std::string(field));
        if (auto const* manager = object_member(*enterprise, "manager", false, "enterprise."))
            (void)body_string(*manager, "value", 0, 1024, false, "enterprise.manager.value");
    }
}

// `operations` of UpdateUser/UpdateGroup: attribute_value is a string, JSON text for an
// object or a list member; absent or null removes the attribute.
template <std::size_t N>
std::vector<core::attribute_operation> operations_of(route_context const& ctx,
                                                     std::array<top_member, N> const& tops) {
    auto const* ops = array_member(ctx.body, "operations", 1, 100, true);
    std::vector<core::attribute_operation> out;
    std::size_t i = 0;
    for (auto const& op : ops->GetArray()) {
        std::string const at = "operations[" + std::to_string(i++) + "]";
        if (!op.IsObject())
            bad_request(at + " must be an object");
        auto const path = *body_string(op, "attribute_path", 1, 255, true, at + ".attribute_path");
        auto const value =
            body_string(op, "attribute_value", 0, 1u << 20, false, at + ".attribute_value");
        auto const target = aws_path(path, tops);
        if (!target)
            bad_request(at + ".attribute_path names no attribute: " + path);
        core::attribute_operation item{target->first, std::nullopt};
        if (value && target->second == shape::text) {
            rapidjson::Value text(value->c_str(), static_cast<rapidjson::SizeType>(value->size()));
            item.value = dump(text);
        } else if (value) {
            rapidjson::Document parsed;
            parsed.Parse(value->c_str(), value->size());
            bool const fits =
                !parsed.HasParseError() &&
                (target->second == shape::object ? parsed.IsObject() : parsed.IsArray());
            if (!fits)
                bad_request(at + ".attribute_value must be a JSON " +
                            (target->second == shape::object ? "object" : "array"));
            item.value = dump(converted(parsed, part_members, true, parsed.GetAllocator()));
        }
        out.push_back(std::move(item));
    }
    return out;
}

// alternate_identifier: exactly one of unique_attribute {attribute_path, attribute_value} and
// external_id {issuer, id}. `path` is the one unique attribute (Huawei's spelling) and `core_path`
// the core's.
core::alternate_identifier alternate_of(route_context const& ctx, std::string_view path,
                                        std::string_view core_path) {
    auto const* which = object_member(ctx.body, "alternate_identifier", true);
    auto const* unique = object_member(*which, "unique_attribute", false, "alternate_identifier.");
    auto const* external = object_member(*which, "external_id", false, "alternate_identifier.");
    if ((unique == nullptr) == (external == nullptr))
        bad_request(
            "alternate_identifier must have exactly one of unique_attribute and "
            "external_id");
    core::alternate_identifier out;
    if (unique != nullptr) {
        auto const attribute = *body_string(*unique, "attribute_path", 1, 255, true,
                                            "alternate_identifier.unique_attribute.attribute_path");
        auto const value = *body_string(*unique, "attribute_value", 1, 255, true,
                                        "alternate_identifier.unique_attribute.attribute_value");
        if (attribute != path)
            bad_request("alternate_identifier.unique_attribute.attribute_path must be " +
                        std::string(path));
        out.attribute_path = std::string(core_path);
        rapidjson::Value text(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
        out.attribute_value = dump(text);
    } else {
        out.issuer = *body_string(*external, "issuer", 1, 100, true,
                                  "alternate_identifier.external_id.issuer");
        out.external_id =
            *body_string(*external, "id", 1, 256, true, "alternate_identifier.external_id.id");
    }
    return out;
}

// `user_ids` / `group_ids` of the batch queries and is-member-in-groups: 1–100 ids.
std::vector<std::string> ids_of(rapidjson::Value const& body, std::string_view field) {
    auto const* ids = array_member(body, field, 1, 100, true);
    std::vector<std::string> out;
    std::size_t i = 0;
    for (auto const& id : ids->GetArray()) {
        std::string const at = std::string(field) + "[" + std::to_string(i++) + "]";
        if (!id.IsString() || char_count({id.GetString(), id.GetStringLength()}) < 1 ||
            char_count({id.GetString(), id.GetStringLength()}) > 64)
            bad_request(at + " must be a string of 1-64 characters");
        out.emplace_back(id.GetString(), id.GetStringLength());
    }
    return out;
}

// ---- output ------------------------------------------------------------------------------------

// DescribeUser's flat object (a list item has no email_verified).
void render_user(json::writer& out, core::identity_user const& user, bool email_verified) {
    out.start_object();
    out.member("user_id", user.id);
    out.member("identity_store_id", user.identity_store_id);
    write_huawei_members(out, user.attributes, user_members, true);
    out.key("enabled").boolean(user.status == "ENABLED");
    if (email_verified)
        out.key("email_verified").boolean(false); // icemu never verifies an email
    out.member("created_at", user.created_ms);
    out.member("created_by", user.created_by);
    out.member("updated_at", user.updated_ms);
    out.member("updated_by", user.updated_by);
    out.end_object();
}

void render_group(json::writer& out, core::identity_group const& group) {
    out.start_object();
    out.member("group_id", group.id);
    out.member("identity_store_id", group.identity_store_id);
    write_huawei_members(out, group.attributes, group_members, false);
    out.member("created_at", group.created_ms);
    out.member("created_by", group.created_by);
    out.member("updated_at", group.updated_ms);
    out.member("updated_by", group.updated_by);
    out.end_object();
}

void render_member(json::writer& out, std::string_view user_id) {
    out.start_object().member("user_id", user_id).end_object();
}

void render_membership(json::writer& out, core::identity_membership const& m) {
    out.start_object();
    out.member("membership_id", m.id);
    out.member("identity_store_id", m.identity_store_id);
    out.member("group_id", m.group_id);
    out.key("member_id");
    render_member(out, m.user_id);
    out.end_object();
}

// The one-time password of a user created with password_mode OTP (icemu's choice: 16 hex).
std::string one_time_password() {
    static core::id_source ids;
    return ids.hex16();
}

// ---- users -------------------------------------------------------------------------------------

void create_user(route_context& ctx) {
    check_user_members(ctx.body, true);
    auto const mode = one_of(body_string(ctx.body, "password_mode", 1, 16, true).value_or(""),
                             "password_mode", {"OTP", "EMAIL"});
    auto const user = identity(ctx).create_user(
        store_of(ctx), aws_attributes(ctx.body, user_members, true), ctx.who);
    ctx.out.start_object();
    ctx.out.member("identity_store_id", user.identity_store_id);
    ctx.out.member("user_id", user.id);
    if (mode == "OTP")
        ctx.out.member("password", one_time_password());
    ctx.out.end_object();
}

void describe_user(route_context& ctx) {
    render_user(ctx.out, identity(ctx).describe_user(store_of(ctx), path_id(ctx, "user_id")), true);
}

void list_users(route_context& ctx) {
    auto const page =
        identity(ctx).list_users(store_of(ctx), ctx.query.get("user_name"), page_of(ctx.query));
    render_page(ctx.out, "users", page, [](json::writer& out, core::identity_user const& user) {
        render_user(out, user, false);
    });
}

void update_user(route_context& ctx) {
    auto const id = path_id(ctx, "user_id");
    identity(ctx).update_user(store_of(ctx), id, operations_of(ctx, user_members), ctx.who);
}

void delete_user(route_context& ctx) {
    identity(ctx).delete_user(store_of(ctx), path_id(ctx, "user_id"));
}

void enable_user(route_context& ctx) {
    identity(ctx).set_user_status(store_of(ctx), path_id(ctx, "user_id"), "ENABLED", ctx.who);
}

void disable_user(route_context& ctx) {
    identity(ctx).set_user_status(store_of(ctx), path_id(ctx, "user_id"), "DISABLED", ctx.who);
}

void get_user_id(route_context& ctx) {
    auto const id =
        identity(ctx).get_user_id(store_of(ctx), alternate_of(ctx, "user_name", "userName"));
    ctx.out.start_object()
        .member("identity_store_id", store_of(ctx))
        .member("user_id", id)
        .end_object();
}

// Unknown ids are left out (icemu's choice; Huawei documents none).
void describe_users(route_context& ctx) {
    auto const ids = ids_of(ctx.body, "user_ids");
    ctx.out.start_object().key("users").start_array();
    for (auto const& id : ids) {
        try {
            render_user(ctx.out, identity(ctx).describe_user(store_of(ctx), id), true);
        } catch (core::identity_error const& e) {
            if (e.code() != core::errc::not_found ||
                e.resource_type() != core::identity_resource::user)
                throw;
        }
    }
    ctx.out.end_array().end_object();
}

// ---- groups ------------------------------------------------------------------------------------

void create_group(route_context& ctx) {
    (void)body_string(ctx.body, "display_name", 1, 1024, true);
    (void)body_string(ctx.body, "description", 0, 1024);
    auto const group = identity(ctx).create_group(
        store_of(ctx), aws_attributes(ctx.body, group_members, false), ctx.who);
    ctx.out.start_object()
        .member("group_id", group.id)
        .member("identity_store_id", group.identity_store_id)
        .end_object();
}

void describe_group(route_context& ctx) {
    render_group(ctx.out, identity(ctx).describe_group(store_of(ctx), path_id(ctx, "group_id")));
}

void list_groups(route_context& ctx) {
    auto const page =
        identity(ctx).list_groups(store_of(ctx), ctx.query.get("display_name"), page_of(ctx.query));
    render_page(ctx.out, "groups", page, render_group);
}

void update_group(route_context& ctx) {
    auto const id = path_id(ctx, "group_id");
    identity(ctx).update_group(store_of(ctx), id, operations_of(ctx, group_members), ctx.who);
}

void delete_group(route_context& ctx) {
    identity(ctx).delete_group(store_of(ctx), path_id(ctx, "group_id"));
}

void get_group_id(route_context& ctx) {
    auto const id =
        identity(ctx).get_group_id(store_of(ctx), alternate_of(ctx, "display_name", "displayName"));
    ctx.out.start_object()
        .member("group_id", id)
        .member("identity_store_id", store_of(ctx))
        .end_object();
}

void describe_groups(route_context& ctx) {
    auto const ids = ids_of(ctx.body, "group_ids");
    ctx.out.start_object().key("groups").start_array();
    for (auto const& id : ids) {
        try {
            render_group(ctx.out, identity(ctx).describe_group(store_of(ctx), id));
        } catch (core::identity_error const& e) {
            if (e.code() != core::errc::not_found ||
                e.resource_type() != core::identity_resource::group)
                throw;
        }
    }
    ctx.out.end_array().end_object();
}

// ---- memberships -------------------------------------------------------------------------------

void create_group_membership(route_context& ctx) {
    auto const group = *body_string(ctx.body, "group_id", 1, 47, true);
    auto const user = member_of(ctx.body);
    auto const m = identity(ctx).create_membership(store_of(ctx), group, user, ctx.who);
    ctx.out.start_object()
        .member("identity_store_id", m.identity_store_id)
        .member("membership_id", m.id)
        .end_object();
}

void describe_group_membership(route_context& ctx) {
    render_membership(
        ctx.out, identity(ctx).describe_membership(store_of(ctx), path_id(ctx, "membership_id")));
}

void list_group_memberships(route_context& ctx) {
    auto const group = id_param(required_param(ctx.query, "group_id"), "group_id");
    auto const page = identity(ctx).list_memberships(store_of(ctx), group, page_of(ctx.query));
    render_page(ctx.out, "group_memberships", page, render_membership);
}

void delete_group_membership(route_context& ctx) {
    identity(ctx).delete_membership(store_of(ctx), path_id(ctx, "membership_id"));
}

void get_group_membership_id(route_context& ctx) {
    auto const group = *body_string(ctx.body, "group_id", 1, 47, true);
    auto const user = member_of(ctx.body);
    auto const id = identity(ctx).get_membership_id(store_of(ctx), group, user);
    ctx.out.start_object()
        .member("identity_store_id", store_of(ctx))
        .member("membership_id", id)
        .end_object();
}

void list_group_memberships_for_member(route_context& ctx) {
    auto const user = id_param(required_param(ctx.query, "user_id"), "user_id");
    auto const page =
        identity(ctx).list_memberships_for_member(store_of(ctx), user, page_of(ctx.query));
    render_page(ctx.out, "group_memberships", page, render_membership);
}

void is_member_in_groups(route_context& ctx) {
    auto const groups = ids_of(ctx.body, "group_ids");
    auto const user = member_of(ctx.body);
    auto const results = identity(ctx).is_member_in_groups(store_of(ctx), user, groups);
    ctx.out.start_object().key("results").start_array();
    for (std::size_t i = 0; i < groups.size(); ++i) {
        ctx.out.start_object().member("group_id", groups[i]).key("member_id");
        render_member(ctx.out, user);
        ctx.out.key("membership_exists").boolean(results[i]).end_object();
    }
    ctx.out.end_array().end_object();
}

constexpr auto get = http::verb::get;
constexpr auto post = http::verb::post;
constexpr auto put = http::verb::put;
constexpr auto del = http::verb::delete_;
constexpr auto created = http::status::created;
constexpr auto ok = http::status::ok;

#define ICEMU_IS "/v1/identity-stores/{identity_store_id}"

// Operation names: AWS identitystore's where it has the operation, else the Huawei SDK's.
constexpr std::array<route, 23> table{{
    {post, ICEMU_IS "/users", "CreateUser", create_user, true, created},
    {get, ICEMU_IS "/users/{user_id}", "DescribeUser", describe_user, false, ok},
    {get, ICEMU_IS "/users", "ListUsers", list_users, false, ok},
    {put, ICEMU_IS "/users/{user_id}", "UpdateUser", update_user, true, ok},
    {del, ICEMU_IS "/users/{user_id}", "DeleteUser", delete_user, false, ok},
    {post, ICEMU_IS "/users/{user_id}/enable", "EnableUser", enable_user, false, ok},
    {post, ICEMU_IS "/users/{user_id}/disable", "DisableUser", disable_user, false, ok},
    {post, ICEMU_IS "/users/retrieve-user-id", "GetUserId", get_user_id, true, ok},
    {post, ICEMU_IS "/users/batch-query", "DescribeUsers", describe_users, true, ok},
    {post, ICEMU_IS "/groups", "CreateGroup", create_group, true, created},
    {get, ICEMU_IS "/groups/{group_id}", "DescribeGroup", describe_group, false, ok},
    {get, ICEMU_IS "/groups", "ListGroups", list_groups, false, ok},
    {put, ICEMU_IS "/groups/{group_id}", "UpdateGroup", update_group, true, ok},
    {del, ICEMU_IS "/groups/{group_id}", "DeleteGroup", delete_group, false, ok},
    {post, ICEMU_IS "/groups/retrieve-group-id", "GetGroupId", get_group_id, true, ok},
    {post, ICEMU_IS "/groups/batch-query", "DescribeGroups", describe_groups, true, ok},
    {post, ICEMU_IS "/group-memberships", "CreateGroupMembership", create_group_membership, true,
     ok},
    {get, ICEMU_IS "/group-memberships/{membership_id}", "DescribeGroupMembership",
     describe_group_membership, false, ok},
    {get, ICEMU_IS "/group-memberships", "ListGroupMemberships", list_group_memberships, false, ok},
    {del, ICEMU_IS "/group-memberships/{membership_id}", "DeleteGroupMembership",
     delete_group_membership, false, ok},
    {post, ICEMU_IS "/group-memberships/retrieve-group-membership-id", "GetGroupMembershipId",
     get_group_membership_id, true, ok},
    {get, ICEMU_IS "/group-memberships-for-member", "ListGroupMembershipsForMember",
     list_group_memberships_for_member, false, ok},
    {post, ICEMU_IS "/is-member-in-groups", "IsMemberInGroups", is_member_in_groups, true, ok},
}};

#undef ICEMU_IS

} // namespace

std::span<route const> identity_routes() noexcept {
    return table;
}

} // namespace icemu::api::huawei
