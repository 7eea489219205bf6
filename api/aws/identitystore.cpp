#include "api/aws/identitystore.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <utility>
#include <vector>

#include "api/aws/faults.hpp"
#include "api/aws/validate.hpp"
#include "api/core/pipeline.hpp"
#include "api/json/reader.hpp"

namespace icemu::api::aws {

namespace {

using json::optional_string;
using json::string_or_empty;

std::string_view store_of(identity_context const& ctx) {
    return string_or_empty(ctx.in, "IdentityStoreId");
}

core::page_request page_of(identity_context const& ctx) {
    return {json::optional_int(ctx.in, "MaxResults").value_or(100),
            optional_string(ctx.in, "NextToken")};
}

std::string dump(rapidjson::Value const& v) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    v.Accept(w);
    return {buffer.GetString(), buffer.GetSize()};
}

// The input's members but `skip` as a JSON object: the attributes a principal is created with.
std::string attributes_of(rapidjson::Value const& in, std::initializer_list<char const*> keep) {
    rapidjson::Document doc;
    doc.SetObject();
    auto& alloc = doc.GetAllocator();
    for (char const* name : keep) {
        auto const it = in.FindMember(name);
        if (it == in.MemberEnd() || it->value.IsNull())
            continue;
        doc.AddMember(rapidjson::StringRef(name), rapidjson::Value(it->value, alloc), alloc);
    }
    return dump(doc);
}

// Writes a JSON value through the house writer.
void write_value(json::writer& out, rapidjson::Value const& v) {
    switch (v.GetType()) {
    case rapidjson::kNullType: out.null(); break;
    case rapidjson::kFalseType: out.boolean(false); break;
    case rapidjson::kTrueType: out.boolean(true); break;
    case rapidjson::kStringType: out.string({v.GetString(), v.GetStringLength()}); break;
    case rapidjson::kNumberType:
        if (v.IsInt64())
            out.number(v.GetInt64());
        else
            out.real(v.GetDouble());
        break;
    case rapidjson::kArrayType:
        out.start_array();
        for (auto const& item : v.GetArray())
            write_value(out, item);
        out.end_array();
        break;
    case rapidjson::kObjectType:
        out.start_object();
        for (auto const& m : v.GetObject()) {
            out.key({m.name.GetString(), m.name.GetStringLength()});
            write_value(out, m.value);
        }
        out.end_object();
        break;
    }
}

// Writes the stored attributes' members into the open object.
void write_attributes(json::writer& out, std::string const& attributes) {
    rapidjson::Document doc;
    doc.Parse(attributes.c_str(), attributes.size());
    if (doc.HasParseError() || !doc.IsObject())
        return;
    for (auto const& m : doc.GetObject()) {
        out.key({m.name.GetString(), m.name.GetStringLength()});
        write_value(out, m.value);
    }
}

// A User (DescribeUser's output, a ListUsers item). Extensions are answered only when asked
// for by name (DescribeUser/ListUsers `Extensions`), as AWS does.
void render_user(json::writer& out, core::identity_user const& user,
                 rapidjson::Value const* extensions) {
    out.start_object();
    out.member("IdentityStoreId", user.identity_store_id);
    out.member("UserId", user.id);
    rapidjson::Document doc;
    doc.Parse(user.attributes.c_str(), user.attributes.size());
    if (!doc.HasParseError() && doc.IsObject()) {
        for (auto const& m : doc.GetObject()) {
            std::string_view const name{m.name.GetString(), m.name.GetStringLength()};
            if (name == "Extensions")
                continue;
            out.key(name);
            write_value(out, m.value);
        }
        auto const stored = doc.FindMember("Extensions");
        if (extensions != nullptr && extensions->IsArray() && stored != doc.MemberEnd() &&
            stored->value.IsObject()) {
            bool opened = false;
            for (auto const& wanted : extensions->GetArray()) {
                if (!wanted.IsString())
                    continue;
                auto const it = stored->value.FindMember(wanted);
                if (it == stored->value.MemberEnd())
                    continue;
                if (!opened) {
                    out.key("Extensions").start_object();
                    opened = true;
                }
                out.key({wanted.GetString(), wanted.GetStringLength()});
                write_value(out, it->value);
            }
            if (opened)
                out.end_object();
        }
    }
    out.member("UserStatus", user.status);
    out.key("CreatedAt").epoch_seconds(user.created_ms);
    out.member("CreatedBy", user.created_by);
    out.key("UpdatedAt").epoch_seconds(user.updated_ms);
    out.member("UpdatedBy", user.updated_by);
    out.end_object();
}

void render_group(json::writer& out, core::identity_group const& group) {
    out.start_object();
    out.member("GroupId", group.id);
    write_attributes(out, group.attributes);
    out.key("CreatedAt").epoch_seconds(group.created_ms);
    out.key("UpdatedAt").epoch_seconds(group.updated_ms);
    out.member("CreatedBy", group.created_by);
    out.member("UpdatedBy", group.updated_by);
    out.member("IdentityStoreId", group.identity_store_id);
    out.end_object();
}

void render_member(json::writer& out, std::string_view user_id) {
    out.start_object().member("UserId", user_id).end_object();
}

void render_membership(json::writer& out, core::identity_membership const& m) {
    out.start_object();
    out.member("IdentityStoreId", m.identity_store_id);
    out.member("MembershipId", m.id);
    out.member("GroupId", m.group_id);
    out.key("MemberId");
    render_member(out, m.user_id);
    out.key("CreatedAt").epoch_seconds(m.created_ms);
    out.key("UpdatedAt").epoch_seconds(m.created_ms);
    out.member("CreatedBy", m.created_by);
    out.member("UpdatedBy", m.created_by);
    out.end_object();
}

template <typename T, typename Render>
void write_page(json::writer& out, std::string_view key, core::page_result<T> const& page,
                Render render) {
    out.start_object().key(key).start_array();
    for (auto const& item : page.items)
        render(out, item);
    out.end_array();
    out.member("NextToken", page.next_token);
    out.end_object();
}

// The user a MemberId union names.
std::string_view member_of(identity_context const& ctx) {
    auto const* member = json::find(ctx.in, "MemberId");
    return member != nullptr ? string_or_empty(*member, "UserId") : std::string_view{};
}

core::alternate_identifier alternate_of(identity_context const& ctx) {
    core::alternate_identifier out;
    auto const* which = json::find(ctx.in, "AlternateIdentifier");
    if (which == nullptr)
        return out;
    if (auto const* unique = json::find(*which, "UniqueAttribute")) {
        out.attribute_path = std::string(string_or_empty(*unique, "AttributePath"));
        if (auto const* value = json::find(*unique, "AttributeValue"))
            out.attribute_value = dump(*value);
    } else if (auto const* external = json::find(*which, "ExternalId")) {
        out.issuer = std::string(string_or_empty(*external, "Issuer"));
        out.external_id = std::string(string_or_empty(*external, "Id"));
    }
    return out;
}

std::vector<core::attribute_operation> operations_of(identity_context const& ctx) {
    std::vector<core::attribute_operation> out;
    auto const* ops = json::find(ctx.in, "Operations");
    if (ops == nullptr || !ops->IsArray())
        return out;
    for (auto const& op : ops->GetArray()) {
        core::attribute_operation item{std::string(string_or_empty(op, "AttributePath")), {}};
        if (auto const* value = json::find(op, "AttributeValue"))
            item.value = dump(*value);
        out.push_back(std::move(item));
    }
    return out;
}

// The one filter of ListUsers/ListGroups (AttributePath `path`, as AWS documents it).
std::optional<std::string> filter_of(identity_context const& ctx, std::string_view path) {
    auto const* filters = json::find(ctx.in, "Filters");
    if (filters == nullptr || !filters->IsArray() || filters->Empty())
        return std::nullopt;
    auto const& filter = (*filters)[0];
    auto const attribute = string_or_empty(filter, "AttributePath");
    if (attribute != path)
        throw core::error(core::errc::invalid_argument,
                          "Invalid filter attribute path: " + std::string(attribute));
    return std::string(string_or_empty(filter, "AttributeValue"));
}

void create_user(identity_context& ctx) {
    auto const user = ctx.store.create_user(
        store_of(ctx),
        attributes_of(ctx.in, {"UserName", "Name", "DisplayName", "NickName", "ProfileUrl",
                               "Emails", "Addresses", "PhoneNumbers", "UserType", "Title",
                               "PreferredLanguage", "Locale", "Timezone", "Photos", "Website",
                               "Birthdate", "Roles", "Extensions"}),
        ctx.who);
    ctx.out.start_object()
        .member("UserId", user.id)
        .member("IdentityStoreId", user.identity_store_id)
        .end_object();
}

void describe_user(identity_context& ctx) {
    auto const user = ctx.store.describe_user(store_of(ctx), string_or_empty(ctx.in, "UserId"));
    render_user(ctx.out, user, json::find(ctx.in, "Extensions"));
}

void list_users(identity_context& ctx) {
    auto const page = ctx.store.list_users(store_of(ctx), filter_of(ctx, "UserName"), page_of(ctx));
    auto const* extensions = json::find(ctx.in, "Extensions");
    write_page(ctx.out, "Users", page,
               [extensions](json::writer& out, core::identity_user const& user) {
                   render_user(out, user, extensions);
               });
}

void update_user(identity_context& ctx) {
    ctx.store.update_user(store_of(ctx), string_or_empty(ctx.in, "UserId"), operations_of(ctx),
                          ctx.who);
    ctx.out.start_object().end_object();
}

void delete_user(identity_context& ctx) {
    ctx.store.delete_user(store_of(ctx), string_or_empty(ctx.in, "UserId"));
    ctx.out.start_object().end_object();
}

void get_user_id(identity_context& ctx) {
    auto const id = ctx.store.get_user_id(store_of(ctx), alternate_of(ctx));
    ctx.out.start_object()
        .member("IdentityStoreId", store_of(ctx))
        .member("UserId", id)
        .end_object();
}

void create_group(identity_context& ctx) {
    auto const group = ctx.store.create_group(
        store_of(ctx), attributes_of(ctx.in, {"DisplayName", "Description"}), ctx.who);
    ctx.out.start_object()
        .member("GroupId", group.id)
        .member("IdentityStoreId", group.identity_store_id)
        .end_object();
}

void describe_group(identity_context& ctx) {
    render_group(ctx.out,
                 ctx.store.describe_group(store_of(ctx), string_or_empty(ctx.in, "GroupId")));
}

void list_groups(identity_context& ctx) {
    auto const page =
        ctx.store.list_groups(store_of(ctx), filter_of(ctx, "DisplayName"), page_of(ctx));
    write_page(ctx.out, "Groups", page, render_group);
}

void update_group(identity_context& ctx) {
    ctx.store.update_group(store_of(ctx), string_or_empty(ctx.in, "GroupId"), operations_of(ctx),
                           ctx.who);
    ctx.out.start_object().end_object();
}

void delete_group(identity_context& ctx) {
    ctx.store.delete_group(store_of(ctx), string_or_empty(ctx.in, "GroupId"));
    ctx.out.start_object().end_object();
}

void get_group_id(identity_context& ctx) {
    auto const id = ctx.store.get_group_id(store_of(ctx), alternate_of(ctx));
    ctx.out.start_object()
        .member("GroupId", id)
        .member("IdentityStoreId", store_of(ctx))
        .end_object();
}

void create_group_membership(identity_context& ctx) {
    auto const m = ctx.store.create_membership(store_of(ctx), string_or_empty(ctx.in, "GroupId"),
                                               member_of(ctx), ctx.who);
    ctx.out.start_object()
        .member("MembershipId", m.id)
        .member("IdentityStoreId", m.identity_store_id)
        .end_object();
}

void describe_group_membership(identity_context& ctx) {
    render_membership(ctx.out, ctx.store.describe_membership(
                                   store_of(ctx), string_or_empty(ctx.in, "MembershipId")));
}

void delete_group_membership(identity_context& ctx) {
    ctx.store.delete_membership(store_of(ctx), string_or_empty(ctx.in, "MembershipId"));
    ctx.out.start_object().end_object();
}

void get_group_membership_id(identity_context& ctx) {
    auto const id = ctx.store.get_membership_id(store_of(ctx), string_or_empty(ctx.in, "GroupId"),
                                                member_of(ctx));
    ctx.out.start_object()
        .member("MembershipId", id)
        .member("IdentityStoreId", store_of(ctx))
        .end_object();
}

void list_group_memberships(identity_context& ctx) {
    auto const page =
        ctx.store.list_memberships(store_of(ctx), string_or_empty(ctx.in, "GroupId"), page_of(ctx));
    write_page(ctx.out, "GroupMemberships", page, render_membership);
}

void list_group_memberships_for_member(identity_context& ctx) {
    auto const page =
        ctx.store.list_memberships_for_member(store_of(ctx), member_of(ctx), page_of(ctx));
    write_page(ctx.out, "GroupMemberships", page, render_membership);
}

void is_member_in_groups(identity_context& ctx) {
    std::vector<std::string> groups;
    if (auto const* ids = json::find(ctx.in, "GroupIds"); ids != nullptr && ids->IsArray())
        for (auto const& id : ids->GetArray())
            if (id.IsString())
                groups.emplace_back(id.GetString(), id.GetStringLength());
    auto const user = member_of(ctx);
    auto const results = ctx.store.is_member_in_groups(store_of(ctx), user, groups);
    ctx.out.start_object().key("Results").start_array();
    for (std::size_t i = 0; i < groups.size(); ++i) {
        ctx.out.start_object().member("GroupId", groups[i]).key("MemberId");
        render_member(ctx.out, user);
        ctx.out.key("MembershipExists").boolean(results[i]).end_object();
    }
    ctx.out.end_array().end_object();
}

constexpr std::array<std::pair<std::string_view, identity_action>, 19> actions{{
    {"CreateGroup", create_group},
    {"CreateGroupMembership", create_group_membership},
    {"CreateUser", create_user},
    {"DeleteGroup", delete_group},
    {"DeleteGroupMembership", delete_group_membership},
    {"DeleteUser", delete_user},
    {"DescribeGroup", describe_group},
    {"DescribeGroupMembership", describe_group_membership},
    {"DescribeUser", describe_user},
    {"GetGroupId", get_group_id},
    {"GetGroupMembershipId", get_group_membership_id},
    {"GetUserId", get_user_id},
    {"IsMemberInGroups", is_member_in_groups},
    {"ListGroupMemberships", list_group_memberships},
    {"ListGroupMembershipsForMember", list_group_memberships_for_member},
    {"ListGroups", list_groups},
    {"ListUsers", list_users},
    {"UpdateGroup", update_group},
    {"UpdateUser", update_user},
}};

// One identitystore call, for the core's pipeline.
class identity_call final : public core::call {
public:
    identity_call(core::caller by, found_identity_action op, core::identity_store& store,
                  rapidjson::Value const& in, bool parsed, std::string const& problem,
                  json::writer& out)
        : call(std::move(by), op.name),
          op_(op),
          store_(store),
          in_(in),
          parsed_(parsed),
          problem_(problem),
          out_(out) {}

    core::call_facts facts() const override { return call_facts_of(op_.name, body()); }
    core::error fault(core::fault_code code) const override {
        return fault_exception(code, op_.name, who.account, body());
    }
    void check() override {
        if (!parsed_)
            throw core::error(core::errc::serialization, problem_);
        validate_identitystore_input(op_.name, in_);
        // The store's instance, for tenancy; an unknown store is not found (IDENTITY_STORE).
        instance_ = store_.require_store(string_or_empty(in_, "IdentityStoreId")).instance_id;
    }
    core::tenancy_targets targets() const override {
        return {.instance_ids = {instance_, {}}, .permission_set_id = {}};
    }
    void run(core::service&) override {
        identity_context ctx{in_, store_, out_, std::move(who)};
        op_.fn(ctx);
    }

private:
    rapidjson::Value const* body() const noexcept { return parsed_ ? &in_ : nullptr; }

    found_identity_action op_;
    core::identity_store& store_;
    rapidjson::Value const& in_;
    bool parsed_;
    std::string const& problem_;
    json::writer& out_;
    std::string instance_;
};

} // namespace

found_identity_action find_identity_action(std::string_view operation) noexcept {
    for (auto const& [name, fn] : actions)
        if (name == operation)
            return {name, fn};
    return {};
}

void run_identity_call(core::service& svc, core::identity_store& store, core::caller who,
                       found_identity_action op, rapidjson::Value const& in, bool parsed,
                       std::string const& problem, json::writer& out,
                       std::chrono::milliseconds& delay) {
    identity_call call(std::move(who), op, store, in, parsed, problem, out);
    core::run_call(svc, call, delay);
}

void write_identity_error_members(json::writer& out, core::error const& e) {
    auto const* identity = dynamic_cast<core::identity_error const*>(&e);
    if (identity == nullptr)
        return;
    if (e.code() == core::errc::not_found) {
        out.member("ResourceType", core::to_string(identity->resource_type()));
        if (!identity->resource_id().empty())
            out.member("ResourceId", identity->resource_id());
    } else if (!identity->conflict_reason().empty()) {
        out.member("Reason", identity->conflict_reason());
    }
}

} // namespace icemu::api::aws
