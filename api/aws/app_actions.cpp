#include "api/aws/app_actions.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "api/aws/render.hpp"
#include "api/core/access_control.hpp"
#include "api/core/applications.hpp"
#include "api/core/error.hpp"
#include "api/json/reader.hpp"

namespace icemu::api::aws {

namespace {

using json::optional_string;
using json::string_or_empty;

constexpr std::string_view application_marker = ":application/";
constexpr std::string_view issuer_marker = ":trustedTokenIssuer/";

// The account, instance and id of an application ARN
// ("arn:aws:sso::<account>:application/ssoins-<instance>/apl-<id>") or of a trusted token issuer
// ARN (".../tti-<uuid>"); the ARN has passed the model's pattern.
core::app_ref ref_of(std::string_view arn, std::string_view marker, std::string_view id_prefix) {
    core::app_ref out;
    auto const at = arn.find(marker);
    if (at == std::string_view::npos)
        return out;
    auto const head = arn.substr(0, at); // arn:<partition>:sso::<account>
    out.account = head.substr(head.rfind(':') + 1);
    out.instance_id = instance_id_of(arn.substr(at));
    auto const id = arn.rfind(id_prefix);
    if (id != std::string_view::npos)
        out.id = arn.substr(id + id_prefix.size());
    return out;
}

core::app_ref application_of(std::string_view arn) {
    return ref_of(arn, application_marker, "/apl-");
}

core::app_ref issuer_of(std::string_view arn) {
    return ref_of(arn, issuer_marker, "/tti-");
}

core::app_ref application_of(action_context const& ctx) {
    return application_of(string_or_empty(ctx.in, "ApplicationArn"));
}

std::string application_arn(std::string_view account, std::string_view instance_id,
                            std::string_view id) {
    std::string out = "arn:aws:sso::";
    out += account;
    out += ":application/ssoins-";
    out += instance_id;
    out += "/apl-";
    out += id;
    return out;
}

std::string issuer_arn(core::trusted_token_issuer const& row) {
    std::string out = "arn:aws:sso::";
    out += row.owner_account;
    out += ":trustedTokenIssuer/ssoins-";
    out += row.instance_id;
    out += "/tti-";
    out += row.id;
    return out;
}

std::string identity_store_arn(std::string_view account, std::string_view identity_store_id) {
    std::string out = "arn:aws:identitystore::";
    out += account;
    out += ":identitystore/";
    out += identity_store_id;
    return out;
}

// A validated input member as JSON text, kept and answered as it was given.
std::string to_text(rapidjson::Value const& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    return {buffer.GetString(), buffer.GetSize()};
}

std::optional<std::string> member_text(rapidjson::Value const& obj, std::string_view name) {
    auto const* value = json::find(obj, name);
    if (value == nullptr)
        return std::nullopt;
    return to_text(*value);
}

// Sets `obj`'s member `name` to a copy of `value`: in its place when it has one, else last.
void set_member(rapidjson::Value& obj, std::string_view name, rapidjson::Value const& value,
                rapidjson::Document::AllocatorType& alloc) {
    rapidjson::Value copy(value, alloc);
    auto const it = obj.FindMember(rapidjson::Value(
        rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size()))));
    if (it != obj.MemberEnd()) {
        it->value = copy;
        return;
    }
    obj.AddMember(
        rapidjson::Value(name.data(), static_cast<rapidjson::SizeType>(name.size()), alloc), copy,
        alloc);
}

// Providers.

void render_provider(json::writer& out, core::application_provider const& row) {
    out.start_object();
    out.member("ApplicationProviderArn", row.arn);
    out.member("FederationProtocol", row.federation_protocol);
    out.key("DisplayData").start_object();
    out.member("DisplayName", row.display_name);
    out.member("Description", row.description);
    out.end_object();
    if (row.federation_protocol == "OAUTH") {
        out.key("ResourceServerConfig").start_object().key("Scopes").start_object();
        for (auto const& [scope, title] : row.scopes)
            out.key(scope).start_object().member("DetailedTitle", title).end_object();
        out.end_object().end_object();
    }
    out.end_object();
}

void list_application_providers(action_context& ctx) {
    write_page(ctx.out, "ApplicationProviders", ctx.svc.apps.list_providers(page_of(ctx)),
               render_provider);
}

void describe_application_provider(action_context& ctx) {
    render_provider(
        ctx.out, ctx.svc.apps.describe_provider(string_or_empty(ctx.in, "ApplicationProviderArn")));
}

// Applications.

void render_application_members(json::writer& out, core::application const& row) {
    out.member("ApplicationArn", application_arn(row.owner_account, row.instance_id, row.id));
    out.member("ApplicationProviderArn", row.provider_arn);
    out.member("Name", row.name);
    out.member("ApplicationAccount", row.owner_account);
    out.member("InstanceArn", instance_arn(row.instance_id));
    out.member("IdentityStoreArn", identity_store_arn(row.owner_account, row.identity_store_id));
    out.member("Status", row.status);
    if (row.portal_options)
        out.key("PortalOptions").raw(*row.portal_options);
    out.member("Description", row.description);
    out.key("CreatedDate").epoch_seconds(row.created_ms);
}

void create_application(action_context& ctx) {
    core::application_input input{std::string(string_or_empty(ctx.in, "ApplicationProviderArn")),
                                  std::string(string_or_empty(ctx.in, "Name")),
                                  optional_string(ctx.in, "Description"),
                                  optional_string(ctx.in, "Status"),
                                  member_text(ctx.in, "PortalOptions"),
                                  optional_string(ctx.in, "ClientToken")};
    auto const row = ctx.svc.apps.create_application(
        instance_id_of(string_or_empty(ctx.in, "InstanceArn")), input, tags_of(ctx));
    ctx.out.start_object();
    ctx.out.member("ApplicationArn", application_arn(row.owner_account, row.instance_id, row.id));
    ctx.out.member("InstanceArn", instance_arn(row.instance_id));
    ctx.out.member("IdentityStoreArn",
                   identity_store_arn(row.owner_account, row.identity_store_id));
    ctx.out.end_object();
}

void describe_application(action_context& ctx) {
    auto const row = ctx.svc.apps.describe_application(application_of(ctx));
    ctx.out.start_object();
    render_application_members(ctx.out, row);
    ctx.out.end_object();
}

void list_applications(action_context& ctx) {
    core::application_filter filter;
    if (auto const* in = json::find(ctx.in, "Filter")) {
        filter.account = optional_string(*in, "ApplicationAccount");
        filter.provider_arn = optional_string(*in, "ApplicationProvider");
    }
    auto const page = ctx.svc.apps.list_applications(
        instance_id_of(string_or_empty(ctx.in, "InstanceArn")), filter, page_of(ctx));
    write_page(ctx.out, "Applications", page, [](json::writer& out, core::application const& row) {
        out.start_object();
        render_application_members(out, row);
        out.end_object();
    });
}

void update_application(action_context& ctx) {
    auto const ref = application_of(ctx);
    core::application_update update{optional_string(ctx.in, "Name"),
                                    optional_string(ctx.in, "Description"),
                                    optional_string(ctx.in, "Status"),
                                    {}};
    // UpdateApplication's PortalOptions carry the sign-in options alone: the application's
    // Visibility stays as it was.
    if (auto const* in = json::find(ctx.in, "PortalOptions")) {
        rapidjson::Document merged;
        auto const current = ctx.svc.apps.describe_application(ref);
        if (current.portal_options)
            merged.Parse(current.portal_options->data(), current.portal_options->size());
        if (!merged.IsObject())
            merged.SetObject();
        if (auto const* sign_in = json::find(*in, "SignInOptions"))
            set_member(merged, "SignInOptions", *sign_in, merged.GetAllocator());
        update.portal_options = to_text(merged);
    }
    ctx.svc.apps.update_application(ref, update);
    ctx.out.start_object().end_object();
}

void delete_application(action_context& ctx) {
    ctx.svc.apps.delete_application(application_of(ctx));
    ctx.out.start_object().end_object();
}

// Configuration.

void put_application_assignment_configuration(action_context& ctx) {
    auto const* required = json::find(ctx.in, "AssignmentRequired");
    ctx.svc.apps.put_assignment_required(application_of(ctx),
                                         required != nullptr && required->IsTrue());
    ctx.out.start_object().end_object();
}

void get_application_assignment_configuration(action_context& ctx) {
    auto const required = ctx.svc.apps.assignment_required(application_of(ctx));
    ctx.out.start_object().key("AssignmentRequired").boolean(required).end_object();
}

void put_application_session_configuration(action_context& ctx) {
    // The member is optional: a put without it keeps the configuration (icemu's choice).
    auto const ref = application_of(ctx);
    auto const status = optional_string(ctx.in, "UserBackgroundSessionApplicationStatus");
    ctx.svc.apps.put_session_status(ref, status ? *status : ctx.svc.apps.session_status(ref));
    ctx.out.start_object().end_object();
}

void get_application_session_configuration(action_context& ctx) {
    auto const status = ctx.svc.apps.session_status(application_of(ctx));
    ctx.out.start_object().member("UserBackgroundSessionApplicationStatus", status).end_object();
}

// Application assignments.

void render_app_assignment(json::writer& out, core::application_assignment const& row) {
    out.start_object();
    out.member("ApplicationArn",
               application_arn(row.owner_account, row.instance_id, row.application_id));
    out.member("PrincipalId", row.principal_id);
    out.member("PrincipalType", row.principal_type);
    out.end_object();
}

void create_application_assignment(action_context& ctx) {
    ctx.svc.apps.create_assignment(application_of(ctx), string_or_empty(ctx.in, "PrincipalType"),
                                   string_or_empty(ctx.in, "PrincipalId"));
    ctx.out.start_object().end_object();
}

void delete_application_assignment(action_context& ctx) {
    ctx.svc.apps.delete_assignment(application_of(ctx), string_or_empty(ctx.in, "PrincipalType"),
                                   string_or_empty(ctx.in, "PrincipalId"));
    ctx.out.start_object().end_object();
}

void describe_application_assignment(action_context& ctx) {
    auto const row = ctx.svc.apps.describe_assignment(application_of(ctx),
                                                      string_or_empty(ctx.in, "PrincipalType"),
                                                      string_or_empty(ctx.in, "PrincipalId"));
    ctx.out.start_object();
    ctx.out.member("PrincipalType", row.principal_type);
    ctx.out.member("PrincipalId", row.principal_id);
    ctx.out.member("ApplicationArn",
                   application_arn(row.owner_account, row.instance_id, row.application_id));
    ctx.out.end_object();
}

void list_application_assignments(action_context& ctx) {
    write_page(ctx.out, "ApplicationAssignments",
               ctx.svc.apps.list_assignments(application_of(ctx), page_of(ctx)),
               render_app_assignment);
}

void list_application_assignments_for_principal(action_context& ctx) {
    std::optional<core::app_ref> application;
    if (auto const* filter = json::find(ctx.in, "Filter"))
        if (auto const* arn = json::find(*filter, "ApplicationArn"); arn && arn->IsString())
            application =
                application_of(std::string_view(arn->GetString(), arn->GetStringLength()));
    auto const page = ctx.svc.apps.list_assignments_for_principal(
        instance_id_of(string_or_empty(ctx.in, "InstanceArn")),
        string_or_empty(ctx.in, "PrincipalType"), string_or_empty(ctx.in, "PrincipalId"),
        application, page_of(ctx));
    write_page(ctx.out, "ApplicationAssignments", page, render_app_assignment);
}

// Access scopes, authentication methods and grants: keyed documents of an application.

using doc_kind = core::app_document_kind;

void put_application_access_scope(action_context& ctx) {
    ctx.svc.apps.put_document(application_of(ctx), doc_kind::access_scope,
                              string_or_empty(ctx.in, "Scope"),
                              member_text(ctx.in, "AuthorizedTargets").value_or(""));
    ctx.out.start_object().end_object();
}

void render_scope(json::writer& out, core::app_document const& row) {
    out.start_object().member("Scope", row.key);
    if (!row.body.empty())
        out.key("AuthorizedTargets").raw(row.body);
    out.end_object();
}

void get_application_access_scope(action_context& ctx) {
    render_scope(ctx.out, ctx.svc.apps.get_document(application_of(ctx), doc_kind::access_scope,
                                                    string_or_empty(ctx.in, "Scope")));
}

void delete_application_access_scope(action_context& ctx) {
    ctx.svc.apps.delete_document(application_of(ctx), doc_kind::access_scope,
                                 string_or_empty(ctx.in, "Scope"));
    ctx.out.start_object().end_object();
}

void list_application_access_scopes(action_context& ctx) {
    write_page(
        ctx.out, "Scopes",
        ctx.svc.apps.list_documents(application_of(ctx), doc_kind::access_scope, page_of(ctx)),
        render_scope);
}

void put_application_authentication_method(action_context& ctx) {
    ctx.svc.apps.put_document(application_of(ctx), doc_kind::authentication_method,
                              string_or_empty(ctx.in, "AuthenticationMethodType"),
                              member_text(ctx.in, "AuthenticationMethod").value_or("{}"));
    ctx.out.start_object().end_object();
}

void get_application_authentication_method(action_context& ctx) {
    auto const row = ctx.svc.apps.get_document(application_of(ctx), doc_kind::authentication_method,
                                               string_or_empty(ctx.in, "AuthenticationMethodType"));
    ctx.out.start_object().key("AuthenticationMethod").raw(row.body).end_object();
}

void delete_application_authentication_method(action_context& ctx) {
    ctx.svc.apps.delete_document(application_of(ctx), doc_kind::authentication_method,
                                 string_or_empty(ctx.in, "AuthenticationMethodType"));
    ctx.out.start_object().end_object();
}

void list_application_authentication_methods(action_context& ctx) {
    // The operation has no MaxResults member: pages of 100.
    auto const page =
        ctx.svc.apps.list_documents(application_of(ctx), doc_kind::authentication_method,
                                    {100, optional_string(ctx.in, "NextToken")});
    write_page(ctx.out, "AuthenticationMethods", page,
               [](json::writer& out, core::app_document const& row) {
                   out.start_object().member("AuthenticationMethodType", row.key);
                   out.key("AuthenticationMethod").raw(row.body).end_object();
               });
}

void put_application_grant(action_context& ctx) {
    ctx.svc.apps.put_document(application_of(ctx), doc_kind::grant,
                              string_or_empty(ctx.in, "GrantType"),
                              member_text(ctx.in, "Grant").value_or("{}"));
    ctx.out.start_object().end_object();
}

void get_application_grant(action_context& ctx) {
    auto const row = ctx.svc.apps.get_document(application_of(ctx), doc_kind::grant,
                                               string_or_empty(ctx.in, "GrantType"));
    ctx.out.start_object().key("Grant").raw(row.body).end_object();
}

void delete_application_grant(action_context& ctx) {
    ctx.svc.apps.delete_document(application_of(ctx), doc_kind::grant,
                                 string_or_empty(ctx.in, "GrantType"));
    ctx.out.start_object().end_object();
}

void list_application_grants(action_context& ctx) {
    // The operation has no MaxResults member: pages of 100.
    auto const page = ctx.svc.apps.list_documents(application_of(ctx), doc_kind::grant,
                                                  {100, optional_string(ctx.in, "NextToken")});
    write_page(ctx.out, "Grants", page, [](json::writer& out, core::app_document const& row) {
        out.start_object().member("GrantType", row.key);
        out.key("Grant").raw(row.body).end_object();
    });
}

// Trusted token issuers.

core::app_ref issuer_of(action_context const& ctx) {
    return issuer_of(string_or_empty(ctx.in, "TrustedTokenIssuerArn"));
}

void create_trusted_token_issuer(action_context& ctx) {
    auto const row = ctx.svc.apps.create_issuer(
        instance_id_of(string_or_empty(ctx.in, "InstanceArn")),
        std::string(string_or_empty(ctx.in, "Name")),
        std::string(string_or_empty(ctx.in, "TrustedTokenIssuerType")),
        member_text(ctx.in, "TrustedTokenIssuerConfiguration").value_or("{}"),
        optional_string(ctx.in, "ClientToken"), tags_of(ctx));
    ctx.out.start_object().member("TrustedTokenIssuerArn", issuer_arn(row)).end_object();
}

void describe_trusted_token_issuer(action_context& ctx) {
    auto const row = ctx.svc.apps.describe_issuer(issuer_of(ctx));
    ctx.out.start_object();
    ctx.out.member("TrustedTokenIssuerArn", issuer_arn(row));
    ctx.out.member("Name", row.name);
    ctx.out.member("TrustedTokenIssuerType", row.type);
    ctx.out.key("TrustedTokenIssuerConfiguration").raw(row.configuration);
    ctx.out.end_object();
}

void list_trusted_token_issuers(action_context& ctx) {
    auto const page = ctx.svc.apps.list_issuers(
        instance_id_of(string_or_empty(ctx.in, "InstanceArn")), page_of(ctx));
    write_page(ctx.out, "TrustedTokenIssuers", page,
               [](json::writer& out, core::trusted_token_issuer const& row) {
                   out.start_object();
                   out.member("TrustedTokenIssuerArn", issuer_arn(row));
                   out.member("Name", row.name);
                   out.member("TrustedTokenIssuerType", row.type);
                   out.end_object();
               });
}

void update_trusted_token_issuer(action_context& ctx) {
    auto const ref = issuer_of(ctx);
    std::optional<std::string> configuration;
    // The update names the members that change (the issuer URL never does): each replaces the
    // stored one.
    if (auto const* in = json::find(ctx.in, "TrustedTokenIssuerConfiguration"))
        if (auto const* oidc = json::find(*in, "OidcJwtConfiguration")) {
            auto const current = ctx.svc.apps.describe_issuer(ref);
            rapidjson::Document merged;
            merged.Parse(current.configuration.data(), current.configuration.size());
            if (!merged.IsObject())
                merged.SetObject();
            if (!merged.HasMember("OidcJwtConfiguration") ||
                !merged["OidcJwtConfiguration"].IsObject())
                merged.AddMember("OidcJwtConfiguration", rapidjson::Value(rapidjson::kObjectType),
                                 merged.GetAllocator());
            auto& target = merged["OidcJwtConfiguration"];
            for (auto const& member : oidc->GetObject())
                set_member(target,
                           std::string_view(member.name.GetString(), member.name.GetStringLength()),
                           member.value, merged.GetAllocator());
            configuration = to_text(merged);
        }
    ctx.svc.apps.update_issuer(ref, optional_string(ctx.in, "Name"), std::move(configuration));
    ctx.out.start_object().end_object();
}

void delete_trusted_token_issuer(action_context& ctx) {
    ctx.svc.apps.delete_issuer(issuer_of(ctx));
    ctx.out.start_object().end_object();
}

// ABAC attributes (an asynchronous kind: ACCESS_CONTROL_ATTRIBUTES).

std::string_view instance_of(action_context const& ctx) {
    return instance_id_of(string_or_empty(ctx.in, "InstanceArn"));
}

std::string abac_configuration_of(action_context const& ctx) {
    return member_text(ctx.in, "InstanceAccessControlAttributeConfiguration").value_or("{}");
}

void create_access_control_attribute_configuration(action_context& ctx) {
    core::create_access_control_attributes(ctx.svc, ctx.who, instance_of(ctx),
                                           abac_configuration_of(ctx));
    ctx.out.start_object().end_object();
}

void describe_access_control_attribute_configuration(action_context& ctx) {
    auto const row = core::describe_access_control_attributes(ctx.svc, instance_of(ctx));
    ctx.out.start_object();
    ctx.out.member("Status", row.status);
    ctx.out.member("StatusReason", row.status_reason);
    ctx.out.key("InstanceAccessControlAttributeConfiguration").raw(row.configuration);
    ctx.out.end_object();
}

void update_access_control_attribute_configuration(action_context& ctx) {
    core::update_access_control_attributes(ctx.svc, instance_of(ctx), abac_configuration_of(ctx));
    ctx.out.start_object().end_object();
}

void delete_access_control_attribute_configuration(action_context& ctx) {
    core::delete_access_control_attributes(ctx.svc, instance_of(ctx));
    ctx.out.start_object().end_object();
}

constexpr std::array<std::pair<std::string_view, action>, 37> app_actions{{
    {"CreateApplication", create_application},
    {"CreateApplicationAssignment", create_application_assignment},
    {"CreateInstanceAccessControlAttributeConfiguration",
     create_access_control_attribute_configuration},
    {"CreateTrustedTokenIssuer", create_trusted_token_issuer},
    {"DeleteApplication", delete_application},
    {"DeleteApplicationAccessScope", delete_application_access_scope},
    {"DeleteApplicationAssignment", delete_application_assignment},
    {"DeleteApplicationAuthenticationMethod", delete_application_authentication_method},
    {"DeleteApplicationGrant", delete_application_grant},
    {"DeleteInstanceAccessControlAttributeConfiguration",
     delete_access_control_attribute_configuration},
    {"DeleteTrustedTokenIssuer", delete_trusted_token_issuer},
    {"DescribeApplication", describe_application},
    {"DescribeApplicationAssignment", describe_application_assignment},
    {"DescribeApplicationProvider", describe_application_provider},
    {"DescribeInstanceAccessControlAttributeConfiguration",
     describe_access_control_attribute_configuration},
    {"DescribeTrustedTokenIssuer", describe_trusted_token_issuer},
    {"GetApplicationAccessScope", get_application_access_scope},
    {"GetApplicationAssignmentConfiguration", get_application_assignment_configuration},
    {"GetApplicationAuthenticationMethod", get_application_authentication_method},
    {"GetApplicationGrant", get_application_grant},
    {"GetApplicationSessionConfiguration", get_application_session_configuration},
    {"ListApplicationAccessScopes", list_application_access_scopes},
    {"ListApplicationAssignments", list_application_assignments},
    {"ListApplicationAssignmentsForPrincipal", list_application_assignments_for_principal},
    {"ListApplicationAuthenticationMethods", list_application_authentication_methods},
    {"ListApplicationGrants", list_application_grants},
    {"ListApplicationProviders", list_application_providers},
    {"ListApplications", list_applications},
    {"ListTrustedTokenIssuers", list_trusted_token_issuers},
    {"PutApplicationAccessScope", put_application_access_scope},
    {"PutApplicationAssignmentConfiguration", put_application_assignment_configuration},
    {"PutApplicationAuthenticationMethod", put_application_authentication_method},
    {"PutApplicationGrant", put_application_grant},
    {"PutApplicationSessionConfiguration", put_application_session_configuration},
    {"UpdateApplication", update_application},
    {"UpdateInstanceAccessControlAttributeConfiguration",
     update_access_control_attribute_configuration},
    {"UpdateTrustedTokenIssuer", update_trusted_token_issuer},
}};

} // namespace

found_action find_app_action(std::string_view operation) noexcept {
    for (auto const& [name, fn] : app_actions)
        if (name == operation)
            return {name, fn};
    return {};
}

bool app_tags(action_context& ctx, tag_operation op) {
    auto const arn = string_or_empty(ctx.in, "ResourceArn");
    bool const issuer = arn.find(issuer_marker) != std::string_view::npos;
    if (!issuer && arn.find(application_marker) == std::string_view::npos)
        return false;
    auto const ref = issuer ? issuer_of(arn) : application_of(arn);
    // The optional InstanceArn must be the resource's own instance.
    if (auto const instance = optional_string(ctx.in, "InstanceArn");
        instance && instance_id_of(*instance) != ref.instance_id)
        throw core::error(core::errc::not_found, "Could not find resource " + std::string(arn) +
                                                     " in instance " + *instance + ".");
    auto& apps = ctx.svc.apps;
    switch (op) {
    case tag_operation::tag: apps.tag_resource(ref, issuer, tags_of(ctx)); break;
    case tag_operation::untag: {
        std::vector<std::string> keys;
        if (auto const* in = json::find(ctx.in, "TagKeys"); in != nullptr && in->IsArray())
            for (auto const& key : in->GetArray())
                if (key.IsString())
                    keys.emplace_back(key.GetString(), key.GetStringLength());
        apps.untag_resource(ref, issuer, keys);
        break;
    }
    case tag_operation::list: {
        // The operation has no MaxResults member: pages of 100.
        auto const page = apps.list_tags(ref, issuer, {100, optional_string(ctx.in, "NextToken")});
        write_page(ctx.out, "Tags", page, [](json::writer& out, core::tag const& item) {
            out.start_object().member("Key", item.key).member("Value", item.value).end_object();
        });
        return true;
    }
    }
    ctx.out.start_object().end_object();
    return true;
}

} // namespace icemu::api::aws
