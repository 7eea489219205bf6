#include "api/huawei/surface.hpp"

#include <string>

#include "api/auth/sdk_hmac.hpp"
#include "api/core/error.hpp"
#include "api/core/pipeline.hpp"
#include "api/core/rules.hpp"
#include "api/huawei/errors.hpp"
#include "api/huawei/identity_store.hpp"
#include "api/huawei/input.hpp"
#include "api/huawei/routes.hpp"
#include "api/json/reader.hpp"
#include "api/json/writer.hpp"

namespace icemu::api::huawei {

namespace {

namespace http = server::http;

server::response reply(server::request const& req, http::status status, std::string body,
                       std::string const& request_id) {
    server::response res{status, req.version()};
    if (!body.empty())
        res.set(http::field::content_type, "application/json");
    res.set("X-Request-Id", request_id);
    res.keep_alive(req.keep_alive());
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

server::response error_reply(server::request const& req, wire_error const& e,
                             std::string const& request_id) {
    json::writer out;
    out.start_object().member("error_code", e.code).member("error_msg", e.message);
    out.member("request_id", request_id).end_object();
    return reply(req, e.status, out.str(), request_id);
}

// The API gateway's request ids are 32 hex characters.
std::string new_request_id(core::id_source& ids) {
    auto id = core::format_uuid(ids.uuid());
    std::erase(id, '-');
    return id;
}

std::string_view verb_list(std::vector<http::verb> const& verbs, std::string& text) {
    for (auto const v : verbs)
        text += (text.empty() ? "" : ", ") + std::string(http::to_string(v));
    return text;
}

} // namespace

surface::surface(core::service& svc, auth::verifier const* verify, core::identity_store* identity)
    : svc_(svc), verify_(verify), identity_(identity) {
    auto const table = routes();
    for (std::size_t i = 0; i < table.size(); ++i)
        router_.add(table[i].method, table[i].pattern, i);
    if (identity_ == nullptr)
        return;
    auto const store = identity_routes();
    for (std::size_t i = 0; i < store.size(); ++i)
        router_.add(store[i].method, store[i].pattern, table.size() + i);
}

namespace {

// The router's indexes: those of routes(), then those of identity_routes().
route const& route_at(std::size_t index) noexcept {
    auto const table = routes();
    return index < table.size() ? table[index] : identity_routes()[index - table.size()];
}

} // namespace

server::response surface::handle(server::request const& req, server::call_info& info) {
    info.surface = "huawei";
    auto res = answer(req, info, new_request_id(ids_));
    // Beast keeps each header field in its own node, so the view survives moving the response.
    info.request_id = res["X-Request-Id"];
    return res;
}

namespace {

std::string_view without_prefix(std::string_view id, std::string_view prefix) noexcept {
    return id.starts_with(prefix) ? id.substr(prefix.size()) : id;
}

std::string_view body_string(rapidjson::Value const& body, std::string_view name) noexcept {
    auto const* v = json::find(body, name);
    return v != nullptr && v->IsString() ? std::string_view(v->GetString(), v->GetStringLength())
                                         : std::string_view{};
}

// What a Huawei call tells the error rules: its path parameters and the ids its body or query
// names. The views point into `params`, `q` and `body`.
template <typename Params>
core::call_facts facts_of(std::string_view operation, Params& params, huawei::query const& q,
                          rapidjson::Value const& body, std::string& account) {
    core::call_facts facts;
    facts.operation = operation;
    facts.surface = "huawei";
    facts.kind = core::kind_of_operation(operation);
    facts.instance_id = without_prefix(params["instance_id"], "ins-");
    facts.permission_set_id = without_prefix(params["permission_set_id"], "ps-");
    if (facts.permission_set_id.empty())
        facts.permission_set_id = without_prefix(body_string(body, "permission_set_id"), "ps-");
    facts.account_id = body_string(body, "target_id");
    if (facts.account_id.empty()) {
        account = q.get("account_id").value_or("");
        facts.account_id = account;
    }
    facts.principal_type = body_string(body, "principal_type");
    facts.principal_id = body_string(body, "principal_id");
    return facts;
}

// The error a fault rule makes a Huawei call answer, in the gateway's or the service's codes.
core::error fault_error_of(core::fault_code code) {
    switch (code) {
    case core::fault_code::throttling: return core::error(core::errc::throttled, "Rate exceeded");
    case core::fault_code::access_denied:
        return core::error(core::errc::access_denied, "access denied by a fault rule");
    case core::fault_code::conflict:
        return core::error(core::errc::conflict, "There is a conflicting operation in process.",
                           core::reason::in_flight);
    case core::fault_code::internal: break;
    }
    return core::error(core::errc::internal, "An internal error occurred.");
}

// One Huawei call, for the core's pipeline.
class huawei_call final : public core::call {
public:
    huawei_call(core::caller by, route const& r, server::path_params const& params,
                huawei::query const& q, rapidjson::Value const& body, json::writer& out,
                core::identity_store* identity)
        : call(std::move(by), r.operation),
          identity_(identity),
          route_(r),
          params_(params),
          query_(q),
          body_(body),
          out_(out) {}

    core::call_facts facts() const override {
        return facts_of(route_.operation, params_, query_, body_, account_);
    }
    core::error fault(core::fault_code code) const override { return fault_error_of(code); }
    // An identity store path names the store's instance; an unknown store is not found.
    void check() override {
        auto const store = params_["identity_store_id"];
        if (identity_ != nullptr && !store.empty())
            store_instance_ = identity_->require_store(store).instance_id;
    }
    // Tenancy: the instance of the path (or of the identity store of the path), or the
    // permission set of a tag path (which names no instance), must be the caller's.
    core::tenancy_targets targets() const override {
        return {.instance_ids = {without_prefix(params_["instance_id"], "ins-"), store_instance_},
                .permission_set_id = without_prefix(params_["resource_id"], "ps-")};
    }
    void run(core::service& svc) override {
        route_context rc{params_, query_, body_, svc, who, out_, identity_};
        route_.fn(rc);
    }

private:
    core::identity_store* identity_;
    std::string store_instance_;
    route const& route_;
    server::path_params const& params_;
    huawei::query const& query_;
    rapidjson::Value const& body_;
    json::writer& out_;
    mutable std::string account_; // the account_id of the query, which facts() points into
};

} // namespace

server::response surface::answer(server::request const& req, server::call_info& info,
                                 std::string const& request_id) {
    auto const found = router_.find(req.method(), req.target());
    if (found.result == server::path_router::outcome::not_found)
        return error_reply(req,
                           {http::status::not_found, "IIC.404",
                            "Not Found: no API at " + std::string(req.method_string()) + " " +
                                std::string(req.target().substr(0, req.target().find('?'))) + "."},
                           request_id);
    if (found.result == server::path_router::outcome::wrong_method) {
        std::string allowed;
        verb_list(found.allowed, allowed);
        auto res = error_reply(req,
                               {http::status::method_not_allowed, "IIC.405",
                                "Method Not Allowed: " + std::string(req.method_string()) +
                                    " (allowed: " + allowed + ")."},
                               request_id);
        res.set(http::field::allow, allowed);
        return res;
    }
    auto const& r = route_at(found.route);
    info.operation = r.operation;
    // The API gateway authenticates a call of a known API before the service sees it.
    core::caller who{"huawei", {}};
    if (verify_ != nullptr) {
        auto const verdict = auth::verify_sdk_hmac(req, *verify_);
        if (!verdict)
            return error_reply(req,
                               {http::status::unauthorized, "APIG.0301",
                                "Incorrect IAM authentication information: " + verdict.message},
                               request_id);
        who.account = verdict.who->account_id;
    } else {
        // In the open auth mode X-Domain-Id names the caller's account (signatures unchecked).
        who.account = std::string(req["X-Domain-Id"]);
    }
    info.set_account(who.account);
    error_context const ctx{r.operation, found.params["instance_id"], found.params["request_id"]};
    try {
        json::body_document parsed;
        rapidjson::Document& body = parsed.get();
        body.SetObject();
        std::string problem;
        if (r.has_body && !json::parse_object(req.body(), body, problem))
            bad_request("the body is not a JSON object: " + problem);
        huawei::query const q(req.target());
        json::writer out;
        huawei_call call(std::move(who), r, found.params, q, body, out, identity_);
        core::run_call(svc_, call, info.delay);
        return reply(req, r.success, std::string(out.view()), request_id);
    } catch (core::error const& e) {
        return error_reply(req, to_wire(e, ctx), request_id);
    } catch (std::exception const&) {
        // Other failures: the text may hold internals, so it is never echoed to clients.
    }
    return error_reply(req, internal_error(), request_id);
}

server::response surface::reject(server::request const& req, server::rejection why,
                                 server::call_info& info) {
    info.surface = "huawei";
    auto const found = router_.find(req.method(), req.target());
    if (found.result == server::path_router::outcome::found)
        info.operation = route_at(found.route).operation;
    auto const request_id = new_request_id(ids_);
    auto res = error_reply(req, rejection_error(why), request_id);
    info.request_id = res["X-Request-Id"];
    return res;
}

} // namespace icemu::api::huawei
