#include "api/aws/surface.hpp"

#include <algorithm>
#include <string>

#include "api/auth/sigv4.hpp"
#include "api/aws/actions.hpp"
#include "api/aws/faults.hpp"
#include "api/aws/identitystore.hpp"
#include "api/aws/render.hpp"
#include "api/aws/validate.hpp"
#include "api/core/error.hpp"
#include "api/core/pipeline.hpp"
#include "api/json/reader.hpp"
#include "api/json/writer.hpp"
#include "api/storage_failure.hpp"
#include "ids/ids.hpp"

namespace icemu::api::aws {

namespace {

namespace http = server::http;

constexpr std::string_view target_prefix = "SWBExternalService.";
constexpr std::string_view content_type = "application/x-amz-json-1.1";

struct wire_error {
    http::status status;
    std::string_view type;
};

constexpr wire_error to_wire(core::errc e) noexcept {
    switch (e) {
    case core::errc::invalid_argument: return {http::status::bad_request, "ValidationException"};
    case core::errc::serialization: return {http::status::bad_request, "SerializationException"};
    case core::errc::not_found: return {http::status::bad_request, "ResourceNotFoundException"};
    case core::errc::conflict: return {http::status::bad_request, "ConflictException"};
    case core::errc::quota_exceeded:
        return {http::status::bad_request, "ServiceQuotaExceededException"};
    case core::errc::access_denied: return {http::status::bad_request, "AccessDeniedException"};
    case core::errc::throttled: return {http::status::bad_request, "ThrottlingException"};
    case core::errc::internal: break;
    }
    return {http::status::internal_server_error, "InternalServerException"};
}

server::response reply(server::request const& req, http::status status, std::string body,
                       std::string const& request_id) {
    server::response res{status, req.version()};
    res.set(http::field::content_type, content_type);
    res.set("x-amzn-RequestId", request_id);
    res.keep_alive(req.keep_alive());
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

server::response error_reply(server::request const& req, wire_error e, std::string_view message,
                             std::string const& request_id, core::error const* cause = nullptr) {
    json::writer out;
    out.start_object().member("__type", e.type).member("Message", message);
    if (cause != nullptr)
        write_identity_error_members(out, *cause);
    out.end_object();
    auto res = reply(req, e.status, out.str(), request_id);
    res.set("x-amzn-ErrorType", e.type);
    return res;
}

// A refused signature, as Coral answers it: HTTP 400, and a lowercase `message` as Coral's own
// framework errors have (SDKs read either case).
server::response auth_error_reply(server::request const& req, auth::verdict const& refused,
                                  std::string const& request_id) {
    std::string_view type = "InvalidSignatureException";
    switch (refused.why) {
    case auth::failure::missing: type = "MissingAuthenticationTokenException"; break;
    case auth::failure::incomplete: type = "IncompleteSignatureException"; break;
    case auth::failure::unknown_key:
    case auth::failure::bad_token: type = "UnrecognizedClientException"; break;
    default: break;
    }
    json::writer out;
    out.start_object().member("__type", type).member("message", refused.message).end_object();
    auto res = reply(req, http::status::bad_request, out.str(), request_id);
    res.set("x-amzn-ErrorType", type);
    return res;
}

// One AWS call, for the core's pipeline. `in` holds the body when it parsed (`parsed`).
class aws_call final : public core::call {
public:
    aws_call(core::caller by, std::string_view name, std::string_view target, action fn,
             rapidjson::Value const& in, bool parsed, std::string const& problem, json::writer& out)
        : call(std::move(by), name),
          target_(target),
          fn_(fn),
          in_(in),
          parsed_(parsed),
          problem_(problem),
          out_(out) {}

    core::call_facts facts() const override { return call_facts_of(target_, body()); }
    core::error fault(core::fault_code code) const override {
        return fault_exception(code, target_, who.account, body());
    }
    void check() override {
        if (!parsed_)
            throw core::error(core::errc::serialization, problem_);
        validate_input(target_, in_);
    }
    // Tenancy: every instance the input names must be the caller's: InstanceArn (else the
    // instance inside ApplicationArn or TrustedTokenIssuerArn), and the instance inside a tag
    // operation's ResourceArn.
    core::tenancy_targets targets() const override {
        auto named = instance_id_of(json::string_or_empty(in_, "InstanceArn"));
        for (std::string_view member : {"ApplicationArn", "TrustedTokenIssuerArn"})
            if (named.empty())
                named = instance_id_of(json::string_or_empty(in_, member));
        return {.instance_ids = {named, instance_id_of(json::string_or_empty(in_, "ResourceArn"))},
                .permission_set_id = {}};
    }
    void run(core::service& svc) override {
        action_context ctx{in_, svc, out_, std::move(who)};
        fn_(ctx);
    }

private:
    rapidjson::Value const* body() const noexcept { return parsed_ ? &in_ : nullptr; }

    std::string_view target_; // the operation as X-Amz-Target names it
    action fn_;
    rapidjson::Value const& in_;
    bool parsed_;
    std::string const& problem_;
    json::writer& out_;
};

// The exception name a server-side refusal is sent as. SDKs retry 503 and 500, and
// RequestTimeoutException where it is a transient code (botocore's standard mode, JS v3); 413
// and 431 by none (the same request would fail again).
constexpr std::string_view rejection_type(server::rejection why) noexcept {
    switch (why) {
    case server::rejection::body_too_large: return "RequestEntityTooLargeException";
    case server::rejection::header_too_large: return "RequestHeaderFieldsTooLargeException";
    case server::rejection::request_timeout: return "RequestTimeoutException";
    case server::rejection::too_many_connections: return "ServiceUnavailableException";
    // No AWS exception names malformed HTTP; SDKs do not retry this one, which is right: the
    // same bytes would fail again (icemu's choice).
    case server::rejection::malformed: return "SerializationException";
    case server::rejection::internal_error:
    case server::rejection::store_full:
    case server::rejection::store_read_only: break;
    }
    return "InternalServerException";
}

std::string_view operation_of(server::request const& req) noexcept {
    auto const it = req.find("X-Amz-Target");
    if (it == req.end())
        return {};
    std::string_view const target = it->value();
    if (!target.starts_with(target_prefix))
        return target;
    return target.substr(target_prefix.size());
}

// The name an operation is recorded under: an identitystore target's operation name.
std::string_view recorded_name(std::string_view operation) noexcept {
    if (operation.starts_with(identitystore_target_prefix))
        return find_identity_action(operation.substr(identitystore_target_prefix.size())).name;
    return find_action(operation).name;
}

} // namespace

server::response surface::handle(server::request const& req, server::call_info& info) {
    auto res = answer(req, info);
    // Beast keeps each header field in its own node, so the view survives moving the response.
    info.request_id = res["x-amzn-RequestId"];
    return res;
}

server::response surface::answer(server::request const& req, server::call_info& info) {
    info.surface = "aws";
    std::string const request_id = core::format_uuid(ids_.uuid());
    auto const operation = operation_of(req);
    if (identity_ != nullptr && operation.starts_with(identitystore_target_prefix))
        return answer_identity(req, info, operation.substr(identitystore_target_prefix.size()),
                               request_id);
    auto const [name, fn] = find_action(operation);
    info.operation = name;
    if (req.method() != http::verb::post) {
        // JSON 1.1 calls are POSTs; any other method names no operation (icemu's choice).
        return error_reply(
            req, {http::status::bad_request, "UnknownOperationException"},
            "The JSON 1.1 protocol takes POST, not " + std::string(req.method_string()) + ".",
            request_id);
    }
    if (fn == nullptr && is_modelled_operation(operation)) {
        // 501 is not retried by any SDK: an unimplemented operation fails at once.
        return error_reply(req, {http::status::not_implemented, "NotImplementedException"},
                           "icemu does not implement " + std::string(operation) + " yet.",
                           request_id);
    }
    if (fn == nullptr) {
        auto const target = req["X-Amz-Target"];
        return error_reply(req, {http::status::bad_request, "UnknownOperationException"},
                           target.empty() ? std::string("Missing X-Amz-Target header.")
                                          : "Unknown operation " + std::string(target) + ".",
                           request_id);
    }
    core::caller who{"aws", {}};
    if (auto refused = identify(req, info, request_id, "sso", who))
        return std::move(*refused);
    core::errc code = core::errc::internal;
    std::string message = "An internal error occurred.";
    try {
        json::body_document body;
        rapidjson::Document& in = body.get();
        std::string problem;
        bool const parsed = json::parse_object(req.body(), in, problem);
        json::writer out;
        aws_call call(std::move(who), name, operation, fn, in, parsed, problem, out);
        core::run_call(svc_, call, info.delay);
        return reply(req, http::status::ok, out.str(), request_id);
    } catch (core::error const& e) {
        code = e.code();
        // A full or read-only store is said as such (the change was rolled back); any other
        // storage failure stays generic.
        auto const why = storage_rejection(e.why());
        message = why != server::rejection::internal_error ? std::string(server::describe(why))
                                                           : std::string(e.what());
    } catch (std::exception const&) {
        // Other failures: the text may hold internals, so it is never echoed to clients.
    }
    return error_reply(req, to_wire(code), message, request_id);
}

std::optional<server::response> surface::identify(server::request const& req,
                                                  server::call_info& info,
                                                  std::string const& request_id,
                                                  std::string_view service,
                                                  core::caller& who) const {
    if (verify_ != nullptr) {
        auto const verdict = auth::verify_sigv4(req, *verify_, service);
        if (!verdict)
            return auth_error_reply(req, verdict, request_id);
        who.account = verdict.who->account_id;
    } else {
        who.account = caller_account(req);
    }
    info.set_account(who.account);
    return std::nullopt;
}

server::response surface::answer_identity(server::request const& req, server::call_info& info,
                                          std::string_view operation,
                                          std::string const& request_id) {
    auto const op = find_identity_action(operation);
    info.operation = op.name;
    if (req.method() != http::verb::post)
        return error_reply(
            req, {http::status::bad_request, "UnknownOperationException"},
            "The JSON 1.1 protocol takes POST, not " + std::string(req.method_string()) + ".",
            request_id);
    if (op.fn == nullptr)
        return error_reply(req, {http::status::bad_request, "UnknownOperationException"},
                           "Unknown operation " + std::string(req["X-Amz-Target"]) + ".",
                           request_id);
    core::caller who{"aws", {}};
    if (auto refused = identify(req, info, request_id, "identitystore", who))
        return std::move(*refused);
    core::errc code = core::errc::internal;
    std::string message = "An internal error occurred.";
    try {
        json::body_document body;
        rapidjson::Document& in = body.get();
        std::string problem;
        bool const parsed = json::parse_object(req.body(), in, problem);
        json::writer out;
        run_identity_call(svc_, *identity_, std::move(who), op, in, parsed, problem, out,
                          info.delay);
        return reply(req, http::status::ok, out.str(), request_id);
    } catch (core::error const& e) {
        auto const why = storage_rejection(e.why());
        if (why != server::rejection::internal_error)
            return error_reply(req, to_wire(e.code()), server::describe(why), request_id);
        return error_reply(req, to_wire(e.code()), e.what(), request_id, &e);
    } catch (std::exception const&) {
        // Other failures: the text may hold internals, so it is never echoed to clients.
    }
    return error_reply(req, to_wire(code), message, request_id);
}

std::string surface::caller_account(server::request const& req) const {
    // SigV4: "AWS4-HMAC-SHA256 Credential=<AKID>/<date>/<region>/sso/aws4_request, ...". In the
    // open auth mode a 12-digit access key id stands for the caller's account.
    auto const it = req.find(http::field::authorization);
    if (it == req.end())
        return default_account_id_;
    std::string_view const auth = it->value();
    constexpr std::string_view credential = "Credential=";
    auto const at = auth.find(credential);
    if (at == std::string_view::npos)
        return default_account_id_;
    auto key = auth.substr(at + credential.size());
    key = key.substr(0, key.find('/'));
    return ids::is_aws_account(key) ? std::string(key) : default_account_id_;
}

server::response surface::reject(server::request const& req, server::rejection why,
                                 server::call_info& info) {
    auto res = refuse(req, why, info);
    info.request_id = res["x-amzn-RequestId"];
    return res;
}

server::response surface::refuse(server::request const& req, server::rejection why,
                                 server::call_info& info) {
    info.surface = "aws";
    auto const operation = operation_of(req);
    info.operation = recorded_name(operation);
    std::string const request_id = core::format_uuid(ids_.uuid());
    return error_reply(req, {server::status_of(why), rejection_type(why)}, server::describe(why),
                       request_id);
}

} // namespace icemu::api::aws
