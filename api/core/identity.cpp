#include "api/core/identity.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "api/core/pagination.hpp"
#include "store/database.hpp"
#include "store/identity.hpp"

namespace icemu::api::core {

namespace {

constexpr std::string_view uniqueness = "UNIQUENESS_CONSTRAINT_VIOLATION";

// The attributes UpdateUser may set, as stored (PascalCase), and the JSON type each takes.
enum class attr_type { string, object, list };
struct attribute {
    std::string_view name;
    attr_type type;
};
constexpr std::array<attribute, 17> user_attributes{{
    {"UserName", attr_type::string},
    {"Name", attr_type::object},
    {"DisplayName", attr_type::string},
    {"NickName", attr_type::string},
    {"ProfileUrl", attr_type::string},
    {"Emails", attr_type::list},
    {"Addresses", attr_type::list},
    {"PhoneNumbers", attr_type::list},
    {"UserType", attr_type::string},
    {"Title", attr_type::string},
    {"PreferredLanguage", attr_type::string},
    {"Locale", attr_type::string},
    {"Timezone", attr_type::string},
    {"Photos", attr_type::list},
    {"Website", attr_type::string},
    {"Birthdate", attr_type::string},
    {"Roles", attr_type::list},
}};
constexpr std::array<std::string_view, 6> name_parts{
    {"Formatted", "FamilyName", "GivenName", "MiddleName", "HonorificPrefix", "HonorificSuffix"}};
constexpr std::array<attribute, 2> group_attributes{{
    {"DisplayName", attr_type::string},
    {"Description", attr_type::string},
}};

std::string pascal(std::string_view segment) {
    std::string out(segment);
    if (!out.empty())
        out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
    return out;
}

rapidjson::Document parse(std::string const& text) {
    rapidjson::Document doc;
    doc.Parse(text.c_str(), text.size());
    if (doc.HasParseError() || !doc.IsObject())
        doc.SetObject();
    return doc;
}

std::string dump(rapidjson::Value const& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> out(buffer);
    value.Accept(out);
    return {buffer.GetString(), buffer.GetSize()};
}

std::optional<std::string> string_member(rapidjson::Value const& doc, char const* name) {
    auto const it = doc.FindMember(name);
    if (it == doc.MemberEnd() || !it->value.IsString())
        return std::nullopt;
    return std::string(it->value.GetString(), it->value.GetStringLength());
}

bool type_fits(rapidjson::Value const& v, attr_type type) noexcept {
    switch (type) {
    case attr_type::string: return v.IsString() && v.GetStringLength() > 0;
    case attr_type::object: return v.IsObject();
    case attr_type::list: return v.IsArray();
    }
    return false;
}

[[noreturn]] void invalid(std::string const& message) {
    throw error(errc::invalid_argument, message);
}

// Applies `ops` to `doc` (PascalCase members); `allowed` are the top-level attributes, with
// name parts below "name" for users.
template <std::size_t N>
void apply(rapidjson::Document& doc, std::vector<attribute_operation> const& ops,
           std::array<attribute, N> const& allowed, bool user) {
    auto& alloc = doc.GetAllocator();
    for (auto const& op : ops) {
        auto const dot = op.path.find('.');
        std::string const top = pascal(op.path.substr(0, dot));
        auto const known = std::ranges::find(allowed, top, &attribute::name);
        bool const nested = dot != std::string::npos;
        std::string const sub = nested ? pascal(op.path.substr(dot + 1)) : std::string();
        if (known == allowed.end() ||
            (nested &&
             !(user && top == "Name" && std::ranges::find(name_parts, sub) != name_parts.end())))
            invalid("Invalid attribute path: " + op.path);
        rapidjson::Document value(&alloc);
        if (op.value) {
            value.Parse(op.value->c_str(), op.value->size());
            if (value.HasParseError())
                invalid("Invalid value for attribute path: " + op.path);
            if (!type_fits(value, nested ? attr_type::string : known->type))
                invalid("Invalid value for attribute path: " + op.path);
        } else if (!nested && (top == "UserName" || (!user && top == "DisplayName"))) {
            invalid("The attribute " + op.path + " cannot be removed.");
        }
        rapidjson::Value* target = &doc;
        std::string const& leaf = nested ? sub : top;
        if (nested) {
            auto it = doc.FindMember("Name");
            if (it == doc.MemberEnd() || !it->value.IsObject()) {
                if (!op.value)
                    continue;
                doc.RemoveMember("Name");
                doc.AddMember("Name", rapidjson::Value(rapidjson::kObjectType), alloc);
                it = doc.FindMember("Name");
            }
            target = &it->value;
        }
        target->RemoveMember(leaf.c_str());
        if (op.value) {
            rapidjson::Value key(leaf.c_str(), static_cast<rapidjson::SizeType>(leaf.size()),
                                 alloc);
            rapidjson::Value copy(value, alloc);
            target->AddMember(key, copy, alloc);
        }
    }
}

struct external_ref {
    std::string issuer;
    std::string id;
};

std::vector<external_ref> external_ids(rapidjson::Value const& doc) {
    std::vector<external_ref> out;
    auto const it = doc.FindMember("ExternalIds");
    if (it == doc.MemberEnd() || !it->value.IsArray())
        return out;
    for (auto const& item : it->value.GetArray())
        if (item.IsObject())
            out.push_back({string_member(item, "Issuer").value_or(""),
                           string_member(item, "Id").value_or("")});
    return out;
}

identity_user to_user(store::identity_user_row&& row) {
    return {std::move(row.identity_store_id),
            std::move(row.id),
            std::move(row.attributes),
            std::move(row.status),
            row.created_ms,
            std::move(row.created_by),
            row.updated_ms,
            std::move(row.updated_by)};
}

identity_group to_group(store::identity_group_row&& row) {
    return {std::move(row.identity_store_id), std::move(row.id),
            std::move(row.attributes),        row.created_ms,
            std::move(row.created_by),        row.updated_ms,
            std::move(row.updated_by)};
}

identity_membership to_membership(store::identity_membership_row&& row) {
    return {std::move(row.identity_store_id), std::move(row.id), std::move(row.group_id),
            std::move(row.user_id),           row.created_ms,    std::move(row.created_by)};
}

[[noreturn]] void not_found(identity_resource type, std::string_view id) {
    throw identity_error(errc::not_found, std::string(to_string(type)) + " not found.", type,
                         std::string(id));
}

[[noreturn]] void duplicate(identity_resource type, std::string const& message) {
    throw identity_error(errc::conflict, message, type, {}, std::string(uniqueness));
}

std::int64_t after(page_token const& token, page_request const& page) {
    return page.token ? token.decode(*page.token) : 0;
}

template <typename Row>
std::optional<std::string> next_of(page_token const& token, store::page<Row> const& rows) {
    if (!rows.next_after)
        return std::nullopt;
    return token.encode(*rows.next_after);
}

template <typename Out, typename Row, typename Convert>
page_result<Out> convert(page_token const& token, store::page<Row>&& rows, Convert fn) {
    page_result<Out> out;
    out.next_token = next_of(token, rows);
    out.items.reserve(rows.rows.size());
    for (auto& row : rows.rows)
        out.items.push_back(fn(std::move(row)));
    return out;
}

// The principal an alternate identifier names: by its unique attribute (`path`, whose value
// must be a JSON string) or by an external id.
template <typename ByName, typename ByExternal>
auto find_by(alternate_identifier const& which, std::string_view path, ByName by_name,
             ByExternal by_external) -> decltype(by_name(std::string())) {
    if (which.attribute_path) {
        if (*which.attribute_path != path)
            invalid("Invalid attribute path: " + *which.attribute_path);
        auto const doc = parse("{\"v\":" + which.attribute_value.value_or("null") + "}");
        auto const value = string_member(doc, "v");
        if (!value)
            invalid("The value of " + std::string(path) + " must be a string.");
        return by_name(*value);
    }
    if (!which.issuer || !which.external_id)
        invalid("AlternateIdentifier must name a unique attribute or an external id.");
    return by_external(*which.issuer, *which.external_id);
}

std::string creator(caller const& who) {
    // AWS records the caller's ARN; icemu the account's root (icemu's choice).
    if (who.surface == "aws")
        return "arn:aws:iam::" + who.account + ":root";
    return who.account;
}

} // namespace

std::string_view to_string(identity_resource type) noexcept {
    switch (type) {
    case identity_resource::user: return "USER";
    case identity_resource::group: return "GROUP";
    case identity_resource::group_membership: return "GROUP_MEMBERSHIP";
    case identity_resource::identity_store: break;
    }
    return "IDENTITY_STORE";
}

identity_store::identity_store(store::database& db, clock& time, std::int64_t max_page_size)
    : db_(db),
      repo_ptr_(std::make_unique<store::identity>(db)),
      repo_(*repo_ptr_),
      clock_(time),
      max_page_size_(max_page_size) {}

identity_store::~identity_store() = default;

identity_store_owner identity_store::require_store(std::string_view identity_store_id) {
    auto owner = repo_.find_store(identity_store_id);
    if (!owner)
        not_found(identity_resource::identity_store, identity_store_id);
    return {std::move(owner->instance_id), std::move(owner->owner_account)};
}

std::string identity_store::new_id(std::string_view store_id) {
    // d-<10 hex> stores give ids "<10 hex>-<uuid>"; another store id, a bare UUID.
    std::string out;
    if (store_id.size() == 12 && store_id.starts_with("d-")) {
        out = store_id.substr(2);
        out += '-';
    }
    out += format_uuid(ids_.uuid());
    return out;
}

std::int64_t identity_store::page_limit(page_request const& page) const noexcept {
    return std::clamp<std::int64_t>(page.limit, 1, max_page_size_);
}

identity_user identity_store::create_user(std::string_view store_id, std::string const& attributes,
                                          caller const& who) {
    require_store(store_id);
    auto const doc = parse(attributes);
    auto const user_name = string_member(doc, "UserName");
    if (!user_name)
        invalid("UserName is required.");
    if (repo_.find_user_by_name(store_id, *user_name))
        duplicate(identity_resource::user, "Duplicate UserName");
    for (auto const& ref : external_ids(doc))
        if (repo_.find_user_by_external_id(store_id, ref.issuer, ref.id))
            duplicate(identity_resource::user, "Duplicate ExternalId");
    auto const now = clock_.now_ms();
    store::identity_user_row row{std::string(store_id),
                                 new_id(store_id),
                                 user_name,
                                 dump(doc),
                                 "ENABLED",
                                 now,
                                 creator(who),
                                 now,
                                 creator(who)};
    store::write_scope scope(db_, store::single_statement);
    repo_.insert_user(row);
    scope.release();
    return to_user(std::move(row));
}

identity_user identity_store::describe_user(std::string_view store_id, std::string_view user_id) {
    require_store(store_id);
    auto row = repo_.find_user(store_id, user_id);
    if (!row)
        not_found(identity_resource::user, user_id);
    return to_user(std::move(*row));
}

page_result<identity_user> identity_store::list_users(std::string_view store_id,
                                                      std::optional<std::string> const& user_name,
                                                      page_request const& page) {
    require_store(store_id);
    page_token const token{"ListUsers", store_id, user_name ? "=" : "*", user_name.value_or("")};
    return convert<identity_user>(
        token, repo_.list_users(store_id, user_name, after(token, page), page_limit(page)),
        to_user);
}

identity_user identity_store::update_user(std::string_view store_id, std::string_view user_id,
                                          std::vector<attribute_operation> const& operations,
                                          caller const& who) {
    require_store(store_id);
    auto row = repo_.find_user(store_id, user_id);
    if (!row)
        not_found(identity_resource::user, user_id);
    auto doc = parse(row->attributes);
    apply(doc, operations, user_attributes, true);
    auto const user_name = string_member(doc, "UserName");
    if (user_name && user_name != row->user_name) {
        if (repo_.find_user_by_name(store_id, *user_name))
            duplicate(identity_resource::user, "Duplicate UserName");
    }
    row->user_name = user_name;
    row->attributes = dump(doc);
    row->updated_ms = clock_.now_ms();
    row->updated_by = creator(who);
    store::write_scope scope(db_, store::single_statement);
    repo_.update_user(*row);
    scope.release();
    return to_user(std::move(*row));
}

identity_user identity_store::set_user_status(std::string_view store_id, std::string_view user_id,
                                              std::string_view status, caller const& who) {
    require_store(store_id);
    auto row = repo_.find_user(store_id, user_id);
    if (!row)
        not_found(identity_resource::user, user_id);
    row->status = std::string(status);
    row->updated_ms = clock_.now_ms();
    row->updated_by = creator(who);
    store::write_scope scope(db_, store::single_statement);
    repo_.update_user(*row);
    scope.release();
    return to_user(std::move(*row));
}

void identity_store::delete_user(std::string_view store_id, std::string_view user_id) {
    require_store(store_id);
    store::write_scope scope(db_);
    if (!repo_.erase_user(store_id, user_id))
        not_found(identity_resource::user, user_id);
    scope.release();
}

std::string identity_store::get_user_id(std::string_view store_id,
                                        alternate_identifier const& which) {
    require_store(store_id);
    auto row = find_by(
        which, "userName",
        [&](std::string const& name) { return repo_.find_user_by_name(store_id, name); },
        [&](std::string const& issuer, std::string const& id) {
            return repo_.find_user_by_external_id(store_id, issuer, id);
        });
    if (!row)
        not_found(identity_resource::user, "");
    return std::move(row->id);
}

identity_group identity_store::create_group(std::string_view store_id,
                                            std::string const& attributes, caller const& who) {
    require_store(store_id);
    auto const doc = parse(attributes);
    auto const display_name = string_member(doc, "DisplayName");
    if (display_name && repo_.find_group_by_name(store_id, *display_name))
        duplicate(identity_resource::group, "Duplicate GroupDisplayName");
    for (auto const& ref : external_ids(doc))
        if (repo_.find_group_by_external_id(store_id, ref.issuer, ref.id))
            duplicate(identity_resource::group, "Duplicate ExternalId");
    auto const now = clock_.now_ms();
    store::identity_group_row row{
        std::string(store_id), new_id(store_id), display_name, dump(doc), now, creator(who), now,
        creator(who)};
    store::write_scope scope(db_, store::single_statement);
    repo_.insert_group(row);
    scope.release();
    return to_group(std::move(row));
}

identity_group identity_store::describe_group(std::string_view store_id,
                                              std::string_view group_id) {
    require_store(store_id);
    auto row = repo_.find_group(store_id, group_id);
    if (!row)
        not_found(identity_resource::group, group_id);
    return to_group(std::move(*row));
}

page_result<identity_group> identity_store::list_groups(
    std::string_view store_id, std::optional<std::string> const& display_name,
    page_request const& page) {
    require_store(store_id);
    page_token const token{"ListGroups", store_id, display_name ? "=" : "*",
                           display_name.value_or("")};
    return convert<identity_group>(
        token, repo_.list_groups(store_id, display_name, after(token, page), page_limit(page)),
        to_group);
}

identity_group identity_store::update_group(std::string_view store_id, std::string_view group_id,
                                            std::vector<attribute_operation> const& operations,
                                            caller const& who) {
    require_store(store_id);
    auto row = repo_.find_group(store_id, group_id);
    if (!row)
        not_found(identity_resource::group, group_id);
    auto doc = parse(row->attributes);
    apply(doc, operations, group_attributes, false);
    auto const display_name = string_member(doc, "DisplayName");
    if (display_name && display_name != row->display_name &&
        repo_.find_group_by_name(store_id, *display_name))
        duplicate(identity_resource::group, "Duplicate GroupDisplayName");
    row->display_name = display_name;
    row->attributes = dump(doc);
    row->updated_ms = clock_.now_ms();
    row->updated_by = creator(who);
    store::write_scope scope(db_, store::single_statement);
    repo_.update_group(*row);
    scope.release();
    return to_group(std::move(*row));
}

void identity_store::delete_group(std::string_view store_id, std::string_view group_id) {
    require_store(store_id);
    store::write_scope scope(db_);
    if (!repo_.erase_group(store_id, group_id))
        not_found(identity_resource::group, group_id);
    scope.release();
}

std::string identity_store::get_group_id(std::string_view store_id,
                                         alternate_identifier const& which) {
    require_store(store_id);
    auto row = find_by(
        which, "displayName",
        [&](std::string const& name) { return repo_.find_group_by_name(store_id, name); },
        [&](std::string const& issuer, std::string const& id) {
            return repo_.find_group_by_external_id(store_id, issuer, id);
        });
    if (!row)
        not_found(identity_resource::group, "");
    return std::move(row->id);
}

identity_membership identity_store::create_membership(std::string_view store_id,
                                                      std::string_view group_id,
                                                      std::string_view user_id, caller const& who) {
    require_store(store_id);
    if (!repo_.find_group(store_id, group_id))
        not_found(identity_resource::group, group_id);
    if (!repo_.find_user(store_id, user_id))
        not_found(identity_resource::user, user_id);
    if (repo_.find_membership_of(store_id, group_id, user_id))
        duplicate(identity_resource::group_membership,
                  "Member and Group relationship already exists.");
    store::identity_membership_row row{std::string(store_id), new_id(store_id),
                                       std::string(group_id), std::string(user_id),
                                       clock_.now_ms(),       creator(who)};
    store::write_scope scope(db_, store::single_statement);
    repo_.insert_membership(row);
    scope.release();
    return to_membership(std::move(row));
}

identity_membership identity_store::describe_membership(std::string_view store_id,
                                                        std::string_view membership_id) {
    require_store(store_id);
    auto row = repo_.find_membership(store_id, membership_id);
    if (!row)
        not_found(identity_resource::group_membership, membership_id);
    return to_membership(std::move(*row));
}

void identity_store::delete_membership(std::string_view store_id, std::string_view membership_id) {
    require_store(store_id);
    store::write_scope scope(db_, store::single_statement);
    if (!repo_.erase_membership(store_id, membership_id))
        not_found(identity_resource::group_membership, membership_id);
    scope.release();
}

std::string identity_store::get_membership_id(std::string_view store_id, std::string_view group_id,
                                              std::string_view user_id) {
    require_store(store_id);
    auto row = repo_.find_membership_of(store_id, group_id, user_id);
    if (!row)
        not_found(identity_resource::group_membership, "");
    return std::move(row->id);
}

page_result<identity_membership> identity_store::list_memberships(std::string_view store_id,
                                                                  std::string_view group_id,
                                                                  page_request const& page) {
    require_store(store_id);
    if (!repo_.find_group(store_id, group_id))
        not_found(identity_resource::group, group_id);
    page_token const token{"ListGroupMemberships", store_id, group_id};
    return convert<identity_membership>(
        token, repo_.list_memberships(store_id, group_id, after(token, page), page_limit(page)),
        to_membership);
}

page_result<identity_membership> identity_store::list_memberships_for_member(
    std::string_view store_id, std::string_view user_id, page_request const& page) {
    require_store(store_id);
    page_token const token{"ListGroupMembershipsForMember", store_id, user_id};
    return convert<identity_membership>(
        token,
        repo_.list_memberships_for_user(store_id, user_id, after(token, page), page_limit(page)),
        to_membership);
}

std::vector<bool> identity_store::is_member_in_groups(std::string_view store_id,
                                                      std::string_view user_id,
                                                      std::vector<std::string> const& group_ids) {
    require_store(store_id);
    std::vector<bool> out;
    out.reserve(group_ids.size());
    for (auto const& group : group_ids)
        out.push_back(repo_.find_membership_of(store_id, group, user_id).has_value());
    return out;
}

std::optional<std::string> identity_store::missing_principal(std::string_view instance_id,
                                                             std::string_view principal_type,
                                                             std::string_view principal_id) {
    auto const store_id = repo_.store_of_instance(instance_id).value_or("");
    if (repo_.has_principal(store_id, principal_type, principal_id))
        return std::nullopt;
    return "The principal " + std::string(principal_type) + " " + std::string(principal_id) +
           " does not exist in identity store " + store_id + ".";
}

} // namespace icemu::api::core
