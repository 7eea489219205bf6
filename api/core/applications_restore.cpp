#include <algorithm>
#include <array>
#include <string_view>
#include <utility>

#include "api/core/applications_snapshot.hpp"
#include "api/core/error.hpp"
#include "api/core/ids.hpp"
#include "api/core/model_convert.hpp"
#include "api/core/service.hpp"
#include "api/core/service_detail.hpp"
#include "store/app_items.hpp"
#include "store/database.hpp"
#include "store/requests.hpp"
#include "store/resources.hpp"

namespace icemu::api::core {

namespace {

// The item kinds of the family's table, as applications.cpp, access_control.cpp and regions.cpp
// store them (their layout is described there).
constexpr std::string_view kind_application = "application";
constexpr std::string_view kind_issuer = "trusted_token_issuer";
constexpr std::string_view kind_assignment = "application_assignment";
constexpr std::string_view kind_assignment_config = "assignment_configuration";
constexpr std::string_view kind_session_config = "session_configuration";
constexpr std::string_view kind_tag = "tag";
constexpr std::string_view kind_access_scope = "access_scope";
constexpr std::string_view kind_authentication_method = "authentication_method";
constexpr std::string_view kind_grant = "grant";
constexpr std::string_view kind_access_control = "access_control_attributes";
constexpr std::string_view kind_region = "region";

constexpr std::int64_t page_rows = 500;

// Every item the filter matches, in list order.
std::vector<store::app_item> all_items(store::app_items& items, store::app_item_filter const& f) {
    std::vector<store::app_item> out;
    std::int64_t after = 0;
    for (;;) {
        auto page = items.list(f, after, page_rows);
        for (auto& row : page.rows)
            out.push_back(std::move(row));
        if (!page.next_after)
            return out;
        after = *page.next_after;
    }
}

std::vector<store::app_item> owned(store::app_items& items, std::string_view instance_id,
                                   std::string_view kind, std::string_view owner) {
    return all_items(items, {instance_id, kind, owner, {}, {}, {}});
}

std::vector<store::instance_row> all_instances(store::database& db) {
    store::resources resources(db);
    std::vector<store::instance_row> out;
    std::int64_t after = 0;
    for (;;) {
        auto page = resources.list_instances(after, page_rows);
        for (auto& row : page.rows)
            out.push_back(std::move(row));
        if (!page.next_after)
            return out;
        after = *page.next_after;
    }
}

std::vector<app_document> documents(store::app_items& items, std::string_view instance_id,
                                    std::string_view kind, std::string_view owner) {
    std::vector<app_document> out;
    for (auto& row : owned(items, instance_id, kind, owner))
        out.push_back({std::move(row.key), std::move(row.body)});
    return out;
}

std::vector<tag> tags_of(store::app_items& items, std::string_view instance_id,
                         std::string_view owner) {
    std::vector<tag> out;
    for (auto& row : owned(items, instance_id, kind_tag, owner))
        out.push_back({std::move(row.key), std::move(row.body)});
    return out;
}

// The latest ACCESS_CONTROL_ATTRIBUTES request of the instance, read as the describe reads it
// but without counting a poll.
std::optional<store::request_row> latest_abac_request(store::requests& requests,
                                                      std::string_view instance_id) {
    auto const latest =
        requests.list(instance_id, to_store(request_kind::access_control_attributes), std::nullopt,
                      detail::max_position, 1);
    if (latest.rows.empty())
        return std::nullopt;
    return requests.find(latest.rows.front().id);
}

[[noreturn]] void refuse(std::string_view section, std::size_t index, std::string_view why) {
    throw error(errc::invalid_argument,
                std::string(section) + "[" + std::to_string(index) + "]: " + std::string(why));
}

store::app_item item_of(std::string_view instance_id, std::string_view kind, std::string_view owner,
                        std::string_view key, std::int64_t created_ms) {
    store::app_item row;
    row.instance_id = std::string(instance_id);
    row.kind = std::string(kind);
    row.owner = std::string(owner);
    row.key = std::string(key);
    row.created_ms = created_ms;
    return row;
}

// Inserts an item that belongs to the `index`th item of `section`.
void insert_owned(store::app_items& items, store::app_item const& row, std::string_view section,
                  std::size_t index, std::string_view what) {
    if (!items.insert(row))
        refuse(section, index, std::string(what) + " " + row.key + " appears twice");
}

void insert_tags(store::app_items& items, std::string_view instance_id, std::string_view owner,
                 std::vector<tag> const& tags, std::int64_t created_ms, std::string_view section,
                 std::size_t index) {
    for (auto const& t : tags) {
        auto row = item_of(instance_id, kind_tag, owner, t.key, created_ms);
        row.body = t.value;
        insert_owned(items, row, section, index, "the tag");
    }
}

void require_instance(store::resources& resources, std::string_view instance_id,
                      std::string_view section, std::size_t index) {
    if (!resources.find_instance(instance_id))
        refuse(section, index, "unknown instance ssoins-" + std::string(instance_id));
}

} // namespace

applications_snapshot snapshot_applications(applications& apps) {
    auto& db = apps.database();
    store::app_items items(db);
    store::requests requests(db);
    applications_snapshot out;
    for (auto const& inst : all_instances(db)) {
        auto const& i = inst.id;
        for (auto& row : owned(items, i, kind_application, "")) {
            application_snapshot app;
            app.instance_id = i;
            app.id = row.key;
            app.provider_arn = row.a.value_or("");
            app.name = row.b.value_or("");
            app.description = row.c;
            app.status = row.d.value_or("ENABLED");
            if (!row.body.empty())
                app.portal_options = row.body;
            app.client_token = row.client_token;
            app.created_ms = row.created_ms;
            if (auto const c = items.find(i, kind_assignment_config, row.key, ""))
                app.assignment_required = c->body == "true";
            if (auto const c = items.find(i, kind_session_config, row.key, ""))
                app.session_status = c->body;
            app.access_scopes = documents(items, i, kind_access_scope, row.key);
            app.authentication_methods = documents(items, i, kind_authentication_method, row.key);
            app.grants = documents(items, i, kind_grant, row.key);
            app.tags = tags_of(items, i, row.key);
            out.applications.push_back(std::move(app));
        }
        for (auto& row : all_items(items, {i, kind_assignment, {}, {}, {}, {}}))
            out.assignments.push_back(
                {i, row.owner, row.a.value_or(""), row.b.value_or(""), row.created_ms});
        for (auto& row : owned(items, i, kind_issuer, "")) {
            trusted_token_issuer_snapshot issuer{i,
                                                 row.key,
                                                 row.b.value_or(""),
                                                 row.a.value_or(""),
                                                 std::move(row.body),
                                                 row.client_token,
                                                 row.created_ms,
                                                 tags_of(items, i, row.key)};
            out.issuers.push_back(std::move(issuer));
        }
        if (auto row = items.find(i, kind_access_control, "", "")) {
            access_control_snapshot abac{i, std::move(row->body), row->created_ms, "ENABLED", {},
                                         {}};
            if (auto const request = latest_abac_request(requests, i)) {
                abac.request_id = format_uuid(request->id);
                if (request->status == store::request_status::in_progress)
                    abac.status = "CREATION_IN_PROGRESS";
                if (request->status == store::request_status::failed) {
                    abac.status = "CREATION_FAILED";
                    abac.status_reason = request->failure_reason;
                }
            }
            out.access_control.push_back(std::move(abac));
        }
    }
    return out;
}

void restore_applications(applications& apps, applications_snapshot const& snapshot) {
    auto& db = apps.database();
    store::app_items items(db);
    store::resources resources(db);
    store::write_scope scope(db);
    for (std::size_t n = 0; n < snapshot.applications.size(); ++n) {
        auto const& app = snapshot.applications[n];
        constexpr std::string_view section = "applications";
        require_instance(resources, app.instance_id, section, n);
        try {
            apps.describe_provider(app.provider_arn);
        } catch (error const&) {
            refuse(section, n, "unknown application provider " + app.provider_arn);
        }
        if (items.b_in_use(app.instance_id, kind_application, app.name, app.id))
            refuse(section, n, "the name " + app.name + " is used by another application");
        auto row = item_of(app.instance_id, kind_application, "", app.id, app.created_ms);
        row.a = app.provider_arn;
        row.b = app.name;
        row.c = app.description;
        row.d = app.status;
        row.body = app.portal_options.value_or("");
        row.client_token = app.client_token;
        if (!items.insert(row))
            refuse(section, n, "the application apl-" + app.id + " appears twice");
        auto config = item_of(app.instance_id, kind_assignment_config, app.id, "", app.created_ms);
        config.body = app.assignment_required ? "true" : "false";
        insert_owned(items, config, section, n, "the assignment configuration");
        auto session = item_of(app.instance_id, kind_session_config, app.id, "", app.created_ms);
        session.body = app.session_status;
        insert_owned(items, session, section, n, "the session configuration");
        std::array<std::pair<std::string_view, std::vector<app_document> const*>, 3> const kinds{
            {{kind_access_scope, &app.access_scopes},
             {kind_authentication_method, &app.authentication_methods},
             {kind_grant, &app.grants}}};
        for (auto const& [kind, docs] : kinds)
            for (auto const& doc : *docs) {
                auto item = item_of(app.instance_id, kind, app.id, doc.key, app.created_ms);
                item.body = doc.body;
                insert_owned(items, item, section, n, kind);
            }
        insert_tags(items, app.instance_id, app.id, app.tags, app.created_ms, section, n);
    }
    for (std::size_t n = 0; n < snapshot.assignments.size(); ++n) {
        auto const& a = snapshot.assignments[n];
        constexpr std::string_view section = "application_assignments";
        if (!items.find(a.instance_id, kind_application, "", a.application_id))
            refuse(section, n, "unknown application apl-" + a.application_id);
        auto row = item_of(a.instance_id, kind_assignment, a.application_id,
                           a.principal_type + "/" + a.principal_id, a.created_ms);
        row.a = a.principal_type;
        row.b = a.principal_id;
        if (!items.insert(row))
            refuse(section, n, "the assignment appears twice");
    }
    for (std::size_t n = 0; n < snapshot.issuers.size(); ++n) {
        auto const& issuer = snapshot.issuers[n];
        constexpr std::string_view section = "trusted_token_issuers";
        require_instance(resources, issuer.instance_id, section, n);
        if (items.b_in_use(issuer.instance_id, kind_issuer, issuer.name, issuer.id))
            refuse(section, n, "the name " + issuer.name + " is used by another issuer");
        auto row = item_of(issuer.instance_id, kind_issuer, "", issuer.id, issuer.created_ms);
        row.a = issuer.type;
        row.b = issuer.name;
        row.body = issuer.configuration;
        row.client_token = issuer.client_token;
        if (!items.insert(row))
            refuse(section, n, "the trusted token issuer tti-" + issuer.id + " appears twice");
        insert_tags(items, issuer.instance_id, issuer.id, issuer.tags, issuer.created_ms, section,
                    n);
    }
    for (std::size_t n = 0; n < snapshot.access_control.size(); ++n) {
        auto const& abac = snapshot.access_control[n];
        constexpr std::string_view section = "access_control_attributes";
        require_instance(resources, abac.instance_id, section, n);
        // The status is the latest ACCESS_CONTROL_ATTRIBUTES request's, restored with the
        // requests: nothing of it is stored here.
        auto row = item_of(abac.instance_id, kind_access_control, "", "", abac.created_ms);
        row.body = abac.configuration;
        if (!items.insert(row))
            refuse(section, n, "the instance has a configuration twice");
    }
    scope.release();
}

std::vector<region_snapshot> snapshot_regions(service& svc) {
    auto& db = svc.apps.database();
    store::app_items items(db);
    std::vector<region_snapshot> out;
    for (auto const& inst : all_instances(db))
        for (auto& row : owned(items, inst.id, kind_region, ""))
            // One named as the primary Region (configured since it was added) is not listed.
            if (row.key != svc.context.options.primary_region)
                out.push_back(
                    {inst.id, std::move(row.key), row.a.value_or("ACTIVE"), row.created_ms, row.d});
    return out;
}

void restore_regions(service& svc, std::vector<region_snapshot> const& regions) {
    auto& db = svc.apps.database();
    store::app_items items(db);
    store::resources resources(db);
    store::write_scope scope(db);
    for (std::size_t n = 0; n < regions.size(); ++n) {
        auto const& r = regions[n];
        constexpr std::string_view section = "regions";
        require_instance(resources, r.instance_id, section, n);
        if (r.name == svc.context.options.primary_region)
            refuse(section, n, r.name + " is the primary Region");
        auto row = item_of(r.instance_id, kind_region, "", r.name, r.added_ms);
        row.a = r.status;
        row.d = r.request_id;
        if (!items.insert(row))
            refuse(section, n, "the Region " + r.name + " appears twice");
    }
    scope.release();
}

} // namespace icemu::api::core
