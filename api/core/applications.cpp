#include "api/core/applications.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

#include "api/core/error.hpp"
#include "api/core/pagination.hpp"
#include "store/app_items.hpp"
#include "store/database.hpp"
#include "store/resources.hpp"

namespace icemu::api::core {

namespace {

constexpr std::int64_t max_tags = 50;
constexpr std::string_view kind_application = "application";
constexpr std::string_view kind_issuer = "trusted_token_issuer";
constexpr std::string_view kind_assignment = "application_assignment";
constexpr std::string_view kind_assignment_config = "assignment_configuration";
constexpr std::string_view kind_session_config = "session_configuration";
constexpr std::string_view kind_tag = "tag";

constexpr std::string_view application_not_found = "The specified application was not found.";
constexpr std::string_view issuer_not_found = "The specified trusted token issuer was not found.";

std::string_view kind_of(app_document_kind kind) noexcept {
    switch (kind) {
    case app_document_kind::access_scope: return "access_scope";
    case app_document_kind::authentication_method: return "authentication_method";
    case app_document_kind::grant: break;
    }
    return "grant";
}

std::string_view missing_document(app_document_kind kind) noexcept {
    switch (kind) {
    case app_document_kind::access_scope:
        return "The specified access scope was not found for this application.";
    case app_document_kind::authentication_method:
        return "The specified authentication method was not found for this application.";
    case app_document_kind::grant: break;
    }
    return "The specified grant was not found for this application.";
}

// The catalogue of AWS managed application providers (icemu's choice): the two that customer
// managed applications are created from.
std::vector<application_provider> const& catalogue() {
    static std::vector<application_provider> const providers{
        {"arn:aws:sso::aws:applicationProvider/custom",
         "OAUTH",
         "Custom OAuth application",
         "A customer managed application that uses OAuth 2.0",
         {}},
        {"arn:aws:sso::aws:applicationProvider/custom-saml",
         "SAML",
         "Custom SAML 2.0 application",
         "A customer managed application that uses SAML 2.0",
         {}},
    };
    return providers;
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

std::string assignment_key(std::string_view principal_type, std::string_view principal_id) {
    std::string out(principal_type);
    out += '/';
    out += principal_id;
    return out;
}

// An application or issuer as its ARN names it: not_found (with `missing`) if unknown, or if the
// ARN's account is not its instance owner's.
store::app_item require_top_level(store::resources& resources, store::app_items& items,
                                  app_ref const& ref, std::string_view kind,
                                  std::string_view missing) {
    auto const owner = resources.find_instance(ref.instance_id);
    std::optional<store::app_item> item;
    if (owner && owner->owner_account == ref.account)
        item = items.find(ref.instance_id, kind, "", ref.id);
    if (!item)
        throw error(errc::not_found, std::string(missing));
    return std::move(*item);
}

} // namespace

struct applications::repositories {
    explicit repositories(store::database& db) : items(db), resources(db) {}
    store::app_items items;
    store::resources resources;
};

applications::applications(store::database& db, clock& time, std::int64_t max_page_size)
    : db_(db),
      repos_(std::make_unique<repositories>(db)),
      items_(repos_->items),
      resources_(repos_->resources),
      clock_(time),
      max_page_size_(max_page_size) {}

applications::~applications() = default;

std::int64_t applications::page_limit(page_request const& page) const noexcept {
    return std::min(page.limit, max_page_size_);
}

store::instance_row applications::require_instance(std::string_view instance_id) {
    auto row = resources_.find_instance(instance_id);
    if (!row)
        throw error(errc::not_found,
                    "Could not find Instance with id ins-" + std::string(instance_id),
                    reason::instance_not_found);
    return std::move(*row);
}

void applications::require_instance_exists(std::string_view instance_id) {
    require_instance(instance_id);
}

store::app_item applications::require_application(app_ref const& ref) {
    return require_top_level(resources_, items_, ref, kind_application, application_not_found);
}

store::app_item applications::require_issuer(app_ref const& ref) {
    return require_top_level(resources_, items_, ref, kind_issuer, issuer_not_found);
}

page_result<application_provider> applications::list_providers(page_request const& page) const {
    page_token const token{"ListApplicationProviders"};
    auto const& all = catalogue();
    auto const start = static_cast<std::size_t>(
        std::min<std::int64_t>(after(token, page), static_cast<std::int64_t>(all.size())));
    auto const limit = static_cast<std::size_t>(std::max<std::int64_t>(1, page_limit(page)));
    page_result<application_provider> out;
    auto const end = std::min(all.size(), start + limit);
    out.items.assign(all.begin() + static_cast<std::ptrdiff_t>(start),
                     all.begin() + static_cast<std::ptrdiff_t>(end));
    if (end < all.size())
        out.next_token = token.encode(static_cast<std::int64_t>(end));
    return out;
}

application_provider applications::describe_provider(std::string_view arn) const {
    for (auto const& provider : catalogue())
        if (provider.arn == arn)
            return provider;
    throw error(errc::not_found, "The specified application provider was not found.");
}

application applications::to_application(store::app_item const& item,
                                         store::instance_row const& owner) {
    application out;
    out.id = item.key;
    out.instance_id = item.instance_id;
    out.owner_account = owner.owner_account;
    out.identity_store_id = owner.identity_store_id;
    out.provider_arn = item.a.value_or("");
    out.name = item.b.value_or("");
    out.description = item.c;
    out.status = item.d.value_or("ENABLED");
    if (!item.body.empty())
        out.portal_options = item.body;
    out.created_ms = item.created_ms;
    return out;
}

void applications::put_tags(std::string_view instance_id, std::string_view owner,
                            std::vector<tag> const& tags) {
    if (tags.empty())
        return;
    // The quota counts the keys the resource would have: its own and the new ones.
    std::vector<std::string> fresh;
    for (auto const& item : tags)
        if (!items_.find(instance_id, kind_tag, owner, item.key) &&
            std::find(fresh.begin(), fresh.end(), item.key) == fresh.end())
            fresh.push_back(item.key);
    auto const have = items_.count({instance_id, kind_tag, owner, {}, {}, {}});
    if (have + static_cast<std::int64_t>(fresh.size()) > max_tags)
        throw error(errc::quota_exceeded, "The resource would have more than 50 tags.");
    for (auto const& item : tags) {
        store::app_item row;
        row.instance_id = std::string(instance_id);
        row.kind = std::string(kind_tag);
        row.owner = std::string(owner);
        row.key = item.key;
        row.body = item.value;
        row.created_ms = clock_.now_ms();
        items_.upsert(row);
    }
}

application applications::create_application(std::string_view instance_id,
                                             application_input const& input,
                                             std::vector<tag> const& tags) {
    auto const owner = require_instance(instance_id);
    if (input.client_token)
        if (auto const done =
                items_.find_by_token(instance_id, kind_application, *input.client_token))
            return to_application(*done, owner);
    describe_provider(input.provider_arn);
    if (items_.b_in_use(instance_id, kind_application, input.name, ""))
        throw error(errc::conflict,
                    "An application with the name " + input.name + " already exists.",
                    reason::duplicate_name);
    store::app_item row;
    row.instance_id = std::string(instance_id);
    row.kind = std::string(kind_application);
    row.key = ids_.hex16();
    row.a = input.provider_arn;
    row.b = input.name;
    row.c = input.description;
    row.d = input.status.value_or("ENABLED");
    row.body = input.portal_options.value_or("");
    row.client_token = input.client_token;
    row.created_ms = clock_.now_ms();
    store::write_scope scope(db_);
    if (!items_.insert(row))
        throw error(errc::conflict, "The application exists already.");
    put_tags(instance_id, row.key, tags);
    scope.release();
    return to_application(row, owner);
}

application applications::describe_application(app_ref const& ref) {
    auto const item = require_application(ref);
    return to_application(item, require_instance(ref.instance_id));
}

page_result<application> applications::list_applications(std::string_view instance_id,
                                                         application_filter const& filter,
                                                         page_request const& page) {
    page_token const token{"ListApplications", instance_id, filter.account.value_or("-"),
                           filter.provider_arn.value_or("-")};
    auto const start = after(token, page);
    auto const owner = resources_.find_instance(instance_id);
    if (!owner || (filter.account && *filter.account != owner->owner_account))
        return {};
    store::app_item_filter f{instance_id, kind_application, std::string_view(""), {}, {}, {}};
    if (filter.provider_arn)
        f.a = *filter.provider_arn;
    auto rows = items_.list(f, start, page_limit(page));
    page_result<application> out;
    for (auto const& row : rows.rows)
        out.items.push_back(to_application(row, *owner));
    out.next_token = next_of(token, rows);
    return out;
}

void applications::update_application(app_ref const& ref, application_update const& update) {
    auto item = require_application(ref);
    if (update.name && *update.name != item.b &&
        items_.b_in_use(ref.instance_id, kind_application, *update.name, item.key))
        throw error(errc::conflict,
                    "An application with the name " + *update.name + " already exists.",
                    reason::duplicate_name);
    if (update.name)
        item.b = update.name;
    if (update.description)
        item.c = update.description;
    if (update.status)
        item.d = update.status;
    if (update.portal_options)
        item.body = *update.portal_options;
    store::write_scope scope(db_);
    items_.update(item);
    scope.release();
}

void applications::delete_application(app_ref const& ref) {
    require_application(ref);
    store::write_scope scope(db_);
    items_.erase(ref.instance_id, kind_application, "", ref.id);
    items_.erase_owned(ref.instance_id, ref.id);
    scope.release();
}

void applications::put_assignment_required(app_ref const& ref, bool required) {
    require_application(ref);
    store::app_item row;
    row.instance_id = std::string(ref.instance_id);
    row.kind = std::string(kind_assignment_config);
    row.owner = std::string(ref.id);
    row.body = required ? "true" : "false";
    row.created_ms = clock_.now_ms();
    store::write_scope scope(db_);
    items_.upsert(row);
    scope.release();
}

bool applications::assignment_required(app_ref const& ref) {
    require_application(ref);
    auto const row = items_.find(ref.instance_id, kind_assignment_config, ref.id, "");
    return !row || row->body == "true";
}

void applications::put_session_status(app_ref const& ref, std::string const& status) {
    require_application(ref);
    store::app_item row;
    row.instance_id = std::string(ref.instance_id);
    row.kind = std::string(kind_session_config);
    row.owner = std::string(ref.id);
    row.body = status;
    row.created_ms = clock_.now_ms();
    store::write_scope scope(db_);
    items_.upsert(row);
    scope.release();
}

std::string applications::session_status(app_ref const& ref) {
    require_application(ref);
    auto const row = items_.find(ref.instance_id, kind_session_config, ref.id, "");
    return row ? row->body : std::string("DISABLED");
}

application_assignment applications::create_assignment(app_ref const& ref,
                                                       std::string_view principal_type,
                                                       std::string_view principal_id) {
    require_application(ref);
    // Application assignments are synchronous in AWS: an unknown principal is refused at once.
    if (check_principal)
        if (auto why = check_principal(ref.instance_id, principal_type, principal_id))
            throw error(errc::not_found, *why);
    store::app_item row;
    row.instance_id = std::string(ref.instance_id);
    row.kind = std::string(kind_assignment);
    row.owner = std::string(ref.id);
    row.key = assignment_key(principal_type, principal_id);
    row.a = std::string(principal_type);
    row.b = std::string(principal_id);
    row.created_ms = clock_.now_ms();
    store::write_scope scope(db_);
    if (!items_.insert(row))
        throw error(errc::conflict, "The application assignment already exists.");
    scope.release();
    return {std::string(ref.instance_id), std::string(ref.account), std::string(ref.id),
            std::string(principal_type), std::string(principal_id)};
}

void applications::delete_assignment(app_ref const& ref, std::string_view principal_type,
                                     std::string_view principal_id) {
    require_application(ref);
    store::write_scope scope(db_);
    if (!items_.erase(ref.instance_id, kind_assignment, ref.id,
                      assignment_key(principal_type, principal_id)))
        throw error(errc::not_found, "The specified application assignment was not found.",
                    reason::assignment_not_found);
    scope.release();
}

application_assignment applications::describe_assignment(app_ref const& ref,
                                                         std::string_view principal_type,
                                                         std::string_view principal_id) {
    require_application(ref);
    if (!items_.find(ref.instance_id, kind_assignment, ref.id,
                     assignment_key(principal_type, principal_id)))
        throw error(errc::not_found, "The specified application assignment was not found.",
                    reason::assignment_not_found);
    return {std::string(ref.instance_id), std::string(ref.account), std::string(ref.id),
            std::string(principal_type), std::string(principal_id)};
}

page_result<application_assignment> applications::list_assignments(app_ref const& ref,
                                                                   page_request const& page) {
    page_token const token{"ListApplicationAssignments", ref.instance_id, ref.id};
    auto const start = after(token, page);
    require_application(ref);
    auto rows = items_.list({ref.instance_id, kind_assignment, ref.id, {}, {}, {}}, start,
                            page_limit(page));
    page_result<application_assignment> out;
    for (auto const& row : rows.rows)
        out.items.push_back({row.instance_id, std::string(ref.account), row.owner,
                             row.a.value_or(""), row.b.value_or("")});
    out.next_token = next_of(token, rows);
    return out;
}

page_result<application_assignment> applications::list_assignments_for_principal(
    std::string_view instance_id, std::string_view principal_type, std::string_view principal_id,
    std::optional<app_ref> const& application, page_request const& page) {
    page_token const token{"ListApplicationAssignmentsForPrincipal", instance_id, principal_type,
                           principal_id, application ? application->id : "-"};
    auto const start = after(token, page);
    auto const owner = require_instance(instance_id);
    // A filter naming another instance's (or an unknown) application matches nothing.
    if (application &&
        (application->instance_id != instance_id || application->account != owner.owner_account))
        return {};
    store::app_item_filter f{instance_id, kind_assignment, {}, principal_type, principal_id, {}};
    if (application)
        f.owner = application->id;
    auto rows = items_.list(f, start, page_limit(page));
    page_result<application_assignment> out;
    for (auto const& row : rows.rows)
        out.items.push_back({row.instance_id, owner.owner_account, row.owner, row.a.value_or(""),
                             row.b.value_or("")});
    out.next_token = next_of(token, rows);
    return out;
}

void applications::put_document(app_ref const& ref, app_document_kind kind, std::string_view key,
                                std::string body) {
    require_application(ref);
    store::app_item row;
    row.instance_id = std::string(ref.instance_id);
    row.kind = std::string(kind_of(kind));
    row.owner = std::string(ref.id);
    row.key = std::string(key);
    row.body = std::move(body);
    row.created_ms = clock_.now_ms();
    store::write_scope scope(db_);
    items_.upsert(row);
    scope.release();
}

app_document applications::get_document(app_ref const& ref, app_document_kind kind,
                                        std::string_view key) {
    require_application(ref);
    auto const row = items_.find(ref.instance_id, kind_of(kind), ref.id, key);
    if (!row)
        throw error(errc::not_found, std::string(missing_document(kind)));
    return {row->key, row->body};
}

void applications::delete_document(app_ref const& ref, app_document_kind kind,
                                   std::string_view key) {
    require_application(ref);
    store::write_scope scope(db_);
    if (!items_.erase(ref.instance_id, kind_of(kind), ref.id, key))
        throw error(errc::not_found, std::string(missing_document(kind)));
    scope.release();
}

page_result<app_document> applications::list_documents(app_ref const& ref, app_document_kind kind,
                                                       page_request const& page) {
    page_token const token{"ListApplicationDocuments", kind_of(kind), ref.instance_id, ref.id};
    auto const start = after(token, page);
    require_application(ref);
    auto rows =
        items_.list({ref.instance_id, kind_of(kind), ref.id, {}, {}, {}}, start, page_limit(page));
    page_result<app_document> out;
    for (auto& row : rows.rows)
        out.items.push_back({std::move(row.key), std::move(row.body)});
    out.next_token = next_of(token, rows);
    return out;
}

trusted_token_issuer applications::create_issuer(std::string_view instance_id,
                                                 std::string const& name, std::string const& type,
                                                 std::string configuration,
                                                 std::optional<std::string> const& client_token,
                                                 std::vector<tag> const& tags) {
    auto const owner = require_instance(instance_id);
    auto const to_issuer = [&owner](store::app_item const& row) {
        return trusted_token_issuer{
            row.key, row.instance_id, owner.owner_account, row.b.value_or(""), row.a.value_or(""),
            row.body};
    };
    if (client_token)
        if (auto const done = items_.find_by_token(instance_id, kind_issuer, *client_token))
            return to_issuer(*done);
    if (items_.b_in_use(instance_id, kind_issuer, name, ""))
        throw error(errc::conflict,
                    "A trusted token issuer with the name " + name + " already exists.",
                    reason::duplicate_name);
    store::app_item row;
    row.instance_id = std::string(instance_id);
    row.kind = std::string(kind_issuer);
    row.key = format_uuid(ids_.uuid());
    row.a = type;
    row.b = name;
    row.body = std::move(configuration);
    row.client_token = client_token;
    row.created_ms = clock_.now_ms();
    store::write_scope scope(db_);
    if (!items_.insert(row))
        throw error(errc::conflict, "The trusted token issuer exists already.");
    put_tags(instance_id, row.key, tags);
    scope.release();
    return to_issuer(row);
}

trusted_token_issuer applications::describe_issuer(app_ref const& ref) {
    auto const row = require_issuer(ref);
    return {
        row.key, row.instance_id, std::string(ref.account), row.b.value_or(""), row.a.value_or(""),
        row.body};
}

page_result<trusted_token_issuer> applications::list_issuers(std::string_view instance_id,
                                                             page_request const& page) {
    page_token const token{"ListTrustedTokenIssuers", instance_id};
    auto const start = after(token, page);
    auto const owner = resources_.find_instance(instance_id);
    if (!owner)
        return {};
    auto rows = items_.list({instance_id, kind_issuer, std::string_view(""), {}, {}, {}}, start,
                            page_limit(page));
    page_result<trusted_token_issuer> out;
    for (auto& row : rows.rows)
        out.items.push_back({row.key, row.instance_id, owner->owner_account, row.b.value_or(""),
                             row.a.value_or(""), std::move(row.body)});
    out.next_token = next_of(token, rows);
    return out;
}

void applications::update_issuer(app_ref const& ref, std::optional<std::string> const& name,
                                 std::optional<std::string> configuration) {
    auto item = require_issuer(ref);
    if (name && *name != item.b && items_.b_in_use(ref.instance_id, kind_issuer, *name, item.key))
        throw error(errc::conflict,
                    "A trusted token issuer with the name " + *name + " already exists.",
                    reason::duplicate_name);
    if (name)
        item.b = name;
    if (configuration)
        item.body = std::move(*configuration);
    store::write_scope scope(db_);
    items_.update(item);
    scope.release();
}

void applications::delete_issuer(app_ref const& ref) {
    require_issuer(ref);
    store::write_scope scope(db_);
    items_.erase(ref.instance_id, kind_issuer, "", ref.id);
    items_.erase_owned(ref.instance_id, ref.id);
    scope.release();
}

void applications::tag_resource(app_ref const& ref, bool issuer,
                                std::vector<core::tag> const& tags) {
    issuer ? require_issuer(ref) : require_application(ref);
    store::write_scope scope(db_);
    put_tags(ref.instance_id, ref.id, tags);
    scope.release();
}

void applications::untag_resource(app_ref const& ref, bool issuer,
                                  std::vector<std::string> const& keys) {
    issuer ? require_issuer(ref) : require_application(ref);
    store::write_scope scope(db_);
    for (auto const& key : keys)
        items_.erase(ref.instance_id, kind_tag, ref.id, key);
    scope.release();
}

page_result<core::tag> applications::list_tags(app_ref const& ref, bool issuer,
                                               page_request const& page) {
    page_token const token{"ListTagsForResource", ref.instance_id, ref.id};
    auto const start = after(token, page);
    issuer ? require_issuer(ref) : require_application(ref);
    auto rows =
        items_.list({ref.instance_id, kind_tag, ref.id, {}, {}, {}}, start, page_limit(page));
    page_result<core::tag> out;
    for (auto& row : rows.rows)
        out.items.push_back({std::move(row.key), std::move(row.body)});
    out.next_token = next_of(token, rows);
    return out;
}

std::optional<std::string> applications::instance_document(std::string_view instance_id,
                                                           std::string_view kind) {
    auto row = items_.find(instance_id, kind, "", "");
    if (!row)
        return std::nullopt;
    return std::move(row->body);
}

bool applications::put_instance_document(std::string_view instance_id, std::string_view kind,
                                         std::string body, bool replace) {
    store::app_item row;
    row.instance_id = std::string(instance_id);
    row.kind = std::string(kind);
    row.body = std::move(body);
    row.created_ms = clock_.now_ms();
    if (replace)
        return items_.update(row);
    return items_.insert(row);
}

bool applications::erase_instance_document(std::string_view instance_id, std::string_view kind) {
    return items_.erase(instance_id, kind, "", "");
}

} // namespace icemu::api::core
