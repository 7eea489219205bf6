#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/core/clock.hpp"
#include "api/core/ids.hpp"
#include "api/core/model.hpp"

namespace icemu::store {
class database;
class resources;
class app_items;
struct app_item;
struct instance_row;
} // namespace icemu::store

namespace icemu::api::core {

/// An application or trusted token issuer as an ARN names it: the account in the ARN, the
/// instance (16 hex) and the resource's own id. One whose account is not the instance owner's is
/// not found.
struct app_ref {
    std::string_view account;
    std::string_view instance_id;
    std::string_view id;
};

/// An AWS managed application provider (a fixed catalogue: icemu's choice).
struct application_provider {
    std::string_view arn;
    std::string_view federation_protocol; // SAML | OAUTH
    std::string_view display_name;
    std::string_view description;
    std::vector<std::pair<std::string_view, std::string_view>> scopes; // name, detailed title
};

struct application {
    std::string id; // 16 hex, without "apl-"
    std::string instance_id;
    std::string owner_account;
    std::string identity_store_id;
    std::string provider_arn;
    std::string name;
    std::optional<std::string> description;
    std::string status;                        // ENABLED | DISABLED
    std::optional<std::string> portal_options; // the surface's document, as given
    std::int64_t created_ms = 0;
};

struct application_input {
    std::string provider_arn;
    std::string name;
    std::optional<std::string> description;
    std::optional<std::string> status;
    std::optional<std::string> portal_options;
    std::optional<std::string> client_token;
};

/// UpdateApplication's members; an absent member keeps its value.
struct application_update {
    std::optional<std::string> name;
    std::optional<std::string> description;
    std::optional<std::string> status;
    std::optional<std::string> portal_options;
};

struct application_filter {
    std::optional<std::string> account;
    std::optional<std::string> provider_arn;
};

struct application_assignment {
    std::string instance_id;
    std::string owner_account;
    std::string application_id;
    std::string principal_type; // USER | GROUP
    std::string principal_id;
};

struct trusted_token_issuer {
    std::string id; // a UUID, without "tti-"
    std::string instance_id;
    std::string owner_account;
    std::string name;
    std::string type;          // OIDC_JWT
    std::string configuration; // the surface's document
};

/// One keyed document of an application: an access scope, an authentication method, a grant.
struct app_document {
    std::string key;
    std::string body;
};

/// The kinds of keyed documents an application holds.
enum class app_document_kind { access_scope, authentication_method, grant };

/// The application family of sso-admin: application providers, applications with their
/// assignments and configuration, and trusted token issuers, with tags. Writes join the shared
/// transaction of store::database. Throws core::error for client-visible failures.
class applications {
public:
    applications(store::database& db, clock& time, std::int64_t max_page_size);
    ~applications();
    applications(applications const&) = delete;
    applications& operator=(applications const&) = delete;

    // Providers (a fixed catalogue).
    page_result<application_provider> list_providers(page_request const& page) const;
    /// not_found if the catalogue has no provider with this ARN.
    application_provider describe_provider(std::string_view arn) const;

    // Applications. not_found for an unknown instance or application.
    /// not_found for an unknown provider; conflict for a name in use in the instance;
    /// quota_exceeded over 50 tags. A retry with the ClientToken that created an application
    /// answers that application.
    application create_application(std::string_view instance_id, application_input const& input,
                                   std::vector<tag> const& tags);
    application describe_application(app_ref const& ref);
    /// An unknown instance has none.
    page_result<application> list_applications(std::string_view instance_id,
                                               application_filter const& filter,
                                               page_request const& page);
    void update_application(app_ref const& ref, application_update const& update);
    /// Erases the application with its assignments, configuration, documents and tags.
    void delete_application(app_ref const& ref);

    // Assignment configuration (AssignmentRequired; true until put: icemu's choice).
    void put_assignment_required(app_ref const& ref, bool required);
    bool assignment_required(app_ref const& ref);
    // Session configuration (DISABLED until put: icemu's choice).
    void put_session_status(app_ref const& ref, std::string const& status);
    std::string session_status(app_ref const& ref);

    /// When set (identity.require_principals), asked as an assignment is created: a reason
    /// (the principal is not in the instance's identity store) refuses it with not_found.
    std::function<std::optional<std::string>(std::string_view instance_id,
                                             std::string_view principal_type,
                                             std::string_view principal_id)>
        check_principal;

    // Application assignments. not_found for an unknown application; conflict when the
    // assignment exists (create), not_found when it does not (delete, describe).
    application_assignment create_assignment(app_ref const& ref, std::string_view principal_type,
                                             std::string_view principal_id);
    void delete_assignment(app_ref const& ref, std::string_view principal_type,
                           std::string_view principal_id);
    application_assignment describe_assignment(app_ref const& ref, std::string_view principal_type,
                                               std::string_view principal_id);
    page_result<application_assignment> list_assignments(app_ref const& ref,
                                                         page_request const& page);
    /// The principal's assignments in the instance, of one application when given.
    page_result<application_assignment> list_assignments_for_principal(
        std::string_view instance_id, std::string_view principal_type,
        std::string_view principal_id, std::optional<app_ref> const& application,
        page_request const& page);

    // Keyed documents (access scopes, authentication methods, grants). put replaces.
    void put_document(app_ref const& ref, app_document_kind kind, std::string_view key,
                      std::string body);
    /// not_found if the application has no document with this key.
    app_document get_document(app_ref const& ref, app_document_kind kind, std::string_view key);
    void delete_document(app_ref const& ref, app_document_kind kind, std::string_view key);
    page_result<app_document> list_documents(app_ref const& ref, app_document_kind kind,
                                             page_request const& page);

    // Trusted token issuers. not_found for an unknown instance or issuer.
    /// conflict for a name in use in the instance; quota_exceeded over 50 tags.
    trusted_token_issuer create_issuer(std::string_view instance_id, std::string const& name,
                                       std::string const& type, std::string configuration,
                                       std::optional<std::string> const& client_token,
                                       std::vector<tag> const& tags);
    trusted_token_issuer describe_issuer(app_ref const& ref);
    /// An unknown instance has none.
    page_result<trusted_token_issuer> list_issuers(std::string_view instance_id,
                                                   page_request const& page);
    /// Sets the name and the configuration when given.
    void update_issuer(app_ref const& ref, std::optional<std::string> const& name,
                       std::optional<std::string> configuration);
    void delete_issuer(app_ref const& ref);

    // Tags of an application or an issuer (`issuer` true). not_found if unknown.
    void tag_resource(app_ref const& ref, bool issuer, std::vector<tag> const& tags);
    void untag_resource(app_ref const& ref, bool issuer, std::vector<std::string> const& keys);
    page_result<tag> list_tags(app_ref const& ref, bool issuer, page_request const& page);

    /// not_found for an unknown instance.
    void require_instance_exists(std::string_view instance_id);
    /// The store the family writes to (for a caller's write scope around several writes).
    store::database& database() noexcept { return db_; }

    // Documents of an instance itself, one per `kind` (the ABAC configuration).
    std::optional<std::string> instance_document(std::string_view instance_id,
                                                 std::string_view kind);
    /// Inserts (`replace` false; false when one exists) or replaces the document.
    bool put_instance_document(std::string_view instance_id, std::string_view kind,
                               std::string body, bool replace);
    /// false when there was none.
    bool erase_instance_document(std::string_view instance_id, std::string_view kind);

private:
    store::instance_row require_instance(std::string_view instance_id);
    store::app_item require_application(app_ref const& ref);
    store::app_item require_issuer(app_ref const& ref);
    application to_application(store::app_item const& item, store::instance_row const& owner);
    void put_tags(std::string_view instance_id, std::string_view owner,
                  std::vector<tag> const& tags);
    std::int64_t page_limit(page_request const& page) const noexcept;

    store::database& db_;
    // The repositories, behind a pointer so that this header names no store type in full.
    struct repositories;
    std::unique_ptr<repositories> repos_;
    store::app_items& items_;
    store::resources& resources_;
    clock& clock_;
    std::int64_t max_page_size_;
    id_source ids_;
};

} // namespace icemu::api::core
