#include "api/admin/surface.hpp"

#include <array>
#include <exception>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/admin/faults.hpp"
#include "api/admin/journal.hpp"
#include "api/admin/metrics.hpp"
#include "api/admin/state.hpp"
#include "api/admin/state_apps.hpp"
#include "api/admin/state_identity.hpp"
#include "api/admin/state_load.hpp"
#include "api/admin/ui.hpp"
#include "api/auth/crypto.hpp"
#include "api/core/error.hpp"
#include "api/core/ids.hpp"
#include "api/core/pipeline.hpp"
#include "api/json/reader.hpp"
#include "api/json/writer.hpp"
#include "api/storage_failure.hpp"
#include "ids/ids.hpp"

namespace icemu::api::admin {

namespace {

namespace http = server::http;

constexpr std::string_view health_path = "/_icemu/health";

// ---- errors: every failure of an admin call becomes one of these, mapped in answer() ----------

struct admin_error {
    http::status status;
    std::string code;
    std::string message;
};

[[noreturn]] void fail(http::status status, std::string code, std::string message) {
    throw admin_error{status, std::move(code), std::move(message)};
}

[[noreturn]] void bad_request(std::string message) {
    fail(http::status::bad_request, "bad_request", std::move(message));
}

server::response json_reply(server::request const& req, http::status status,
                            std::string_view body) {
    server::response res{status, req.version()};
    res.set(http::field::content_type, "application/json");
    res.keep_alive(req.keep_alive());
    res.body() = std::string(body);
    res.prepare_payload();
    return res;
}

server::response error_reply(server::request const& req, admin_error const& e) {
    json::writer out;
    out.start_object().member("error", e.code).member("message", e.message).end_object();
    return json_reply(req, e.status, out.view());
}

// A refusal decided by the server, or a full or read-only store.
admin_error rejection_error(server::rejection why) {
    std::string_view code = "internal";
    switch (why) {
    case server::rejection::body_too_large: code = "payload_too_large"; break;
    case server::rejection::header_too_large: code = "header_too_large"; break;
    case server::rejection::request_timeout: code = "request_timeout"; break;
    case server::rejection::too_many_connections: code = "too_many_connections"; break;
    case server::rejection::store_full: code = "store_full"; break;
    case server::rejection::store_read_only: code = "store_read_only"; break;
    case server::rejection::malformed: code = "bad_request"; break;
    case server::rejection::internal_error: break;
    }
    return {server::status_of(why), std::string(code), std::string(server::describe(why))};
}

admin_error internal_error() {
    return {http::status::internal_server_error, "internal", "an internal error occurred"};
}

admin_error core_error(core::error const& e) {
    // A full or read-only store is said as such.
    if (core::is_storage_failure(e.why())) {
        auto const why = storage_rejection(e.why());
        return why != server::rejection::internal_error ? rejection_error(why) : internal_error();
    }
    if (e.code() == core::errc::not_found)
        return {http::status::not_found, "not_found", e.what()};
    if (e.code() == core::errc::conflict)
        return {http::status::conflict, "conflict", e.what()};
    return {http::status::bad_request, "bad_request", e.what()};
}

// The error a call failed with, as its answer. Other storage texts and exceptions may hold SQL
// or internals: they are never echoed.
admin_error error_of(std::exception_ptr failure) {
    try {
        std::rethrow_exception(failure);
    } catch (admin_error const& e) {
        return e;
    } catch (rules_error const& e) {
        return {http::status::bad_request, "bad_request", e.what()};
    } catch (core::error const& e) {
        return core_error(e);
    } catch (...) {
        if (auto const storage = core::storage_error_of(failure))
            return core_error(*storage);
        return internal_error();
    }
}

// "use GET", "use GET or PUT", "use GET, PUT or DELETE": the methods a path has.
std::string use_methods(std::vector<http::verb> const& allowed) {
    std::string out = "use ";
    for (std::size_t i = 0; i < allowed.size(); ++i) {
        if (i > 0)
            out += i + 1 == allowed.size() ? " or " : ", ";
        out += std::string(http::to_string(allowed[i]));
    }
    return out;
}

// ---- inputs -----------------------------------------------------------------------------------

using query = std::map<std::string, std::string, std::less<>>;

// The query string of a target, decoded; of a repeated name, the last value.
query query_of(std::string_view target) {
    query out;
    for (auto& [name, value] :
         server::path_router::query_params(server::path_router::query_of(target), true))
        out[std::move(name)] = std::move(value);
    return out;
}

// The value of `name`, when the query has it non-empty.
std::optional<std::string_view> non_empty(query const& q, std::string_view name) {
    auto const it = q.find(name);
    if (it == q.end() || it->second.empty())
        return std::nullopt;
    return it->second;
}

rapidjson::Document body_of(server::request const& req) {
    rapidjson::Document doc;
    std::string problem;
    if (!json::parse_object(req.body(), doc, problem))
        bad_request("the body is not a JSON object: " + problem);
    return doc;
}

std::optional<std::int64_t> int_member(rapidjson::Value const& obj, std::string_view name) {
    auto const* v = json::find(obj, name);
    if (v == nullptr)
        return std::nullopt;
    if (!v->IsInt64())
        bad_request(std::string(name) + " must be an integer");
    return v->GetInt64();
}

// The admin token a request carries: `Authorization: Bearer <token>`, else
// `X-Icemu-Admin-Token`.
std::string_view presented_token(server::request const& req) {
    constexpr std::string_view bearer = "Bearer ";
    if (auto const it = req.find(http::field::authorization); it != req.end()) {
        std::string_view const value = it->value();
        if (value.size() > bearer.size() && value.substr(0, bearer.size()) == bearer)
            return value.substr(bearer.size());
    }
    if (auto const it = req.find("X-Icemu-Admin-Token"); it != req.end())
        return it->value();
    return {};
}

// ---- outputs ----------------------------------------------------------------------------------

void render_request(json::writer& out, core::async_request const& row) {
    out.start_object();
    out.member("request_id", core::format_uuid(row.id));
    out.member("kind", core::to_string(row.kind));
    out.member("status", core::to_string(row.status));
    out.member("instance_id", "ssoins-" + row.instance_id);
    out.key("permission_set_id"); // null for a kind that names no permission set
    row.permission_set_id.empty() ? out.null() : out.string("ps-" + row.permission_set_id);
    out.key("account_id");
    row.account_id ? out.string(*row.account_id) : out.null();
    out.key("principal_type");
    row.principal_type ? out.string(*row.principal_type) : out.null();
    out.key("principal_id");
    row.principal_id ? out.string(*row.principal_id) : out.null();
    out.key("failure_reason");
    row.failure_reason ? out.string(*row.failure_reason) : out.null();
    out.member("created_date", row.created_ms);
    out.key("due_date");
    row.due_ms ? out.number(*row.due_ms) : out.null();
    out.member("surface", row.surface);
    out.end_object();
}

void render_scheduler(json::writer& out, core::scheduler_settings const& s) {
    out.start_object();
    out.member("mode", core::to_string(s.mode));
    out.key("delay_ms").start_object();
    out.member("min", s.delay_min_ms).member("max", s.delay_max_ms).end_object();
    out.member("polls", s.polls);
    out.key("seed").number(static_cast<std::int64_t>(s.seed));
    out.end_object();
}

// ---- the calls --------------------------------------------------------------------------------

/// What a handler works with: the request, its path parameters and query, the core, the
/// surface's options, and the writer of its JSON answer.
struct call {
    server::request const& req;
    server::path_params const& params;
    query const& q;
    core::service& svc;
    admin_options const& options;
    std::chrono::steady_clock::time_point started;
    json::writer out{};
};

server::response ok(call& c) {
    return json_reply(c.req, http::status::ok, c.out.view());
}

server::response health(call& c) {
    auto const h = c.svc.control.health();
    auto const uptime =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - c.started).count();
    auto& out = c.out;
    out.start_object().member("status", "ok").member("version", c.options.version);
    out.key("uptime_s").number(static_cast<std::int64_t>(uptime));
    out.key("store").start_object().member("engine", "sqlite");
    out.member("path", c.options.store_path).end_object();
    out.key("scheduler").start_object().member("mode", core::to_string(h.mode));
    out.member("clock_offset_ms", h.clock_offset_ms).member("in_flight", h.in_flight);
    out.end_object().key("surfaces").start_array();
    for (auto const& s : c.options.surfaces)
        out.string(s);
    out.end_array().end_object();
    return ok(c);
}

// POST /_icemu/reset, and moto's POST /moto-api/reset: the same reset.
server::response reset(call& c) {
    std::optional<std::string> instance;
    if (auto const it = c.q.find("instance"); it != c.q.end())
        instance = instance_hex(it->second);
    c.svc.control.reset(instance);
    if (!instance && c.options.journal != nullptr)
        c.options.journal->clear(); // a whole reset starts the journal afresh too
    c.out.start_object().key("reset").boolean(true).end_object();
    return ok(c);
}

server::response list_requests(call& c) {
    core::request_filter filter;
    if (auto const status = non_empty(c.q, "status")) {
        filter.status = core::parse_request_status(*status);
        if (!filter.status)
            bad_request("status must be IN_PROGRESS, SUCCEEDED or FAILED");
    }
    if (auto const kind = non_empty(c.q, "kind")) {
        filter.kind = core::parse_request_kind(*kind);
        if (!filter.kind)
            bad_request("kind must be " + core::request_kind_names());
    }
    if (auto const instance = non_empty(c.q, "instance"))
        filter.instance_id = instance_hex(*instance);
    c.out.start_object().key("requests").start_array();
    for (auto const& row : c.svc.control.admin_requests(filter))
        render_request(c.out, row);
    c.out.end_array().end_object();
    return ok(c);
}

server::response settle(call& c) {
    auto const body = body_of(c.req);
    auto const status_text = json::optional_string(body, "status");
    auto const status = status_text ? core::parse_request_status(*status_text) : std::nullopt;
    if (!status || *status == core::request_status::in_progress)
        bad_request("status must be \"SUCCEEDED\" or \"FAILED\"");
    auto reason = json::optional_string(body, "failure_reason");
    if (*status == core::request_status::failed && !reason)
        reason = std::string(default_failure_reason);
    render_request(c.out, c.svc.lifecycle.settle(c.params["request_id"], *status, reason));
    return ok(c);
}

server::response get_scheduler(call& c) {
    render_scheduler(c.out, c.svc.control.scheduler());
    return ok(c);
}

// Merges the members given.
server::response put_scheduler(call& c) {
    auto const body = body_of(c.req);
    core::scheduler_update update;
    if (auto const mode = json::find(body, "mode")) {
        if (!mode->IsString() || !core::parse_scheduler_mode(mode->GetString()))
            bad_request("mode must be \"auto\", \"polls\" or \"manual\"");
        update.mode = core::parse_scheduler_mode(mode->GetString());
    }
    if (auto const delay = json::find(body, "delay_ms")) {
        if (!delay->IsObject())
            bad_request("delay_ms must be {\"min\": N, \"max\": N}");
        update.delay_min_ms = int_member(*delay, "min");
        update.delay_max_ms = int_member(*delay, "max");
    }
    update.polls = int_member(body, "polls");
    if (auto const seed = json::find(body, "seed")) {
        if (!seed->IsUint64())
            bad_request("seed must be a non-negative integer");
        update.seed = seed->GetUint64();
    }
    render_scheduler(c.out, c.svc.control.update_scheduler(update));
    return ok(c);
}

server::response advance_clock(call& c) {
    auto const ms = int_member(body_of(c.req), "ms");
    if (!ms || *ms < 0)
        bad_request("ms must be a non-negative integer");
    auto const settled = c.svc.lifecycle.advance_clock(*ms);
    c.out.start_object().member("clock_offset_ms", c.svc.control.health().clock_offset_ms);
    c.out.key("settled").start_array();
    for (auto const& id : settled)
        c.out.string(core::format_uuid(id));
    c.out.end_array().end_object();
    return ok(c);
}

server::response get_faults(call& c) {
    render_fault_rules(c.out, c.svc.faults.rules().all());
    return ok(c);
}

// Replaces the run-time rules: all or nothing.
server::response put_faults(call& c) {
    c.svc.faults.replace_rules(parse_fault_rules(c.req.body(), c.svc.faults.operations()));
    return get_faults(c);
}

server::response delete_faults(call& c) {
    c.svc.faults.clear_rules();
    return get_faults(c);
}

// The journal of a surface that has none: empty.
server::journal const& journal_of(call const& c) {
    static server::journal const none(0, 0);
    return c.options.journal != nullptr ? *c.options.journal : none;
}

server::response get_journal(call& c) {
    render_journal(c.out, journal_of(c), c.req.target());
    return ok(c);
}

server::response count_journal(call& c) {
    auto const n = admin::count_journal(journal_of(c), c.req.body());
    c.out.start_object().member("count", static_cast<std::int64_t>(n)).end_object();
    return ok(c);
}

server::response delete_journal(call& c) {
    if (c.options.journal != nullptr)
        c.options.journal->clear();
    c.out.start_object().key("cleared").boolean(true).end_object();
    return ok(c);
}

// The sandbox as one document; its requests as /_icemu/requests lists them, and the scheduler.
server::response get_state(call& c) {
    render_state_document(c.out, c.svc, c.options.identity);
    return ok(c);
}

// Replaces the sandbox with a state document, all or nothing; answers the new state.
server::response put_state(call& c) {
    core::state_snapshot snapshot;
    try {
        snapshot = decode_state(c.req.body());
    } catch (state_error const& e) {
        bad_request(e.what());
    }
    c.svc.replace_state(snapshot);
    return get_state(c);
}

// The console: its page at /_icemu/ui, its files beside it. Served without the token (they hold
// no data): the page asks for the token when the admin API answers it 401.
server::response console_file(call& c, std::string_view path) {
    for (auto const& asset : ui_assets()) {
        if (asset.path != path)
            continue;
        server::response res{http::status::ok, c.req.version()};
        res.set(http::field::content_type, asset.content_type);
        res.set(http::field::cache_control, "no-cache");
        res.keep_alive(c.req.keep_alive());
        res.body().assign(asset.body);
        res.prepare_payload();
        return res;
    }
    fail(http::status::not_found, "not_found", "no console file " + std::string(path));
}

server::response console_page(call& c) {
    return console_file(c, "/_icemu/ui/index.html");
}

server::response console_asset(call& c) {
    return console_file(c, "/_icemu/ui/" + std::string(c.params["file"]));
}

server::response metrics(call& c) {
    server::response res{http::status::ok, c.req.version()};
    res.set(http::field::content_type, prometheus_content_type);
    res.keep_alive(c.req.keep_alive());
    if (c.options.server_metrics)
        c.options.server_metrics(res.body());
    render_core_metrics(res.body(), c.svc);
    res.prepare_payload();
    return res;
}

struct route {
    http::verb method;
    std::string_view pattern;
    std::string_view operation; // for logs and metrics
    server::response (*fn)(call&);
};

// A path's methods are listed in the order its 405 names them.
constexpr std::array routes{
    route{http::verb::get, health_path, "health", health},
    route{http::verb::post, "/_icemu/reset", "reset", reset},
    route{http::verb::post, "/moto-api/reset", "reset", reset},
    route{http::verb::get, "/_icemu/requests", "requests", list_requests},
    route{http::verb::post, "/_icemu/requests/{request_id}/settle", "settle", settle},
    route{http::verb::get, "/_icemu/scheduler", "scheduler", get_scheduler},
    route{http::verb::put, "/_icemu/scheduler", "scheduler", put_scheduler},
    route{http::verb::post, "/_icemu/clock/advance", "clock_advance", advance_clock},
    route{http::verb::get, "/_icemu/faults", "faults", get_faults},
    route{http::verb::put, "/_icemu/faults", "faults", put_faults},
    route{http::verb::delete_, "/_icemu/faults", "faults", delete_faults},
    route{http::verb::get, "/_icemu/metrics", "metrics", metrics},
    route{http::verb::get, "/_icemu/state", "state", get_state},
    route{http::verb::put, "/_icemu/state", "state", put_state},
    route{http::verb::get, "/_icemu/ui", "ui", console_page},
    route{http::verb::get, "/_icemu/ui/{file}", "ui", console_asset},
    route{http::verb::get, "/_icemu/journal", "journal", get_journal},
    route{http::verb::delete_, "/_icemu/journal", "journal", delete_journal},
    route{http::verb::post, "/_icemu/journal/count", "journal_count", count_journal},
};

} // namespace

void render_state_document(json::writer& out, core::service& svc, core::identity_store* identity) {
    render_state(out, svc, [&](json::writer& more) {
        if (identity != nullptr)
            render_identity_state(more, svc, *identity);
        // Each further module renders its own section here.
        render_apps_state(more, svc);
        more.key("requests").start_array();
        for (auto const& row : svc.control.admin_requests({}))
            render_request(more, row);
        more.end_array();
        more.key("scheduler");
        render_scheduler(more, svc.control.scheduler());
    });
}

std::string instance_hex(std::string_view text) {
    auto const id = ids::instance_id(text, ids::every_instance_form);
    if (!id)
        bad_request("instance must be an instance ARN, ssoins-<16 hex>, ins-<16 hex> or 16 hex");
    return std::string(*id);
}

surface::surface(core::service& svc, admin_options options)
    : svc_(svc), options_(std::move(options)), started_(std::chrono::steady_clock::now()) {
    for (std::size_t i = 0; i < routes.size(); ++i)
        router_.add(routes[i].method, routes[i].pattern, i);
}

server::response surface::handle(server::request const& req, server::call_info& info) {
    info.surface = "admin";
    try {
        return answer(req, info);
    } catch (...) {
        return error_reply(req, error_of(std::current_exception()));
    }
}

server::response surface::answer(server::request const& req, server::call_info& info) {
    std::string_view const target = req.target();
    auto const path = target.substr(0, target.find('?'));
    auto const found = router_.find(req.method(), target);
    // Health stays open on every listener: health checks (icemu healthcheck, Docker's
    // HEALTHCHECK) ask the main address and carry no token.
    bool const health = path == health_path;
    bool const console = path == "/_icemu/ui" || path.starts_with("/_icemu/ui/");
    if (!health && options_.health_only)
        fail(http::status::not_found, "not_found",
             "no admin call " + std::string(path) +
                 " on this address: the admin API listens on its own address");
    if (!health && !console && !options_.token.empty() &&
        !auth::constant_time_equal(presented_token(req), options_.token)) {
        auto res = error_reply(req, {http::status::unauthorized, "unauthorized",
                                     "the admin API needs its token: Authorization: Bearer "
                                     "<token> or X-Icemu-Admin-Token: <token>"});
        res.set(http::field::www_authenticate, "Bearer realm=\"icemu\"");
        return res;
    }
    // What is due is settled before any call is answered, admin calls included.
    svc_.lifecycle.settle_due_before_call();
    if (found.result == server::path_router::outcome::not_found)
        fail(http::status::not_found, "not_found", "no admin call " + std::string(path));
    if (found.result == server::path_router::outcome::wrong_method) {
        info.operation = routes[router_.find(found.allowed.front(), path).route].operation;
        fail(http::status::method_not_allowed, "method_not_allowed", use_methods(found.allowed));
    }
    auto const& r = routes[found.route];
    info.operation = r.operation;
    auto const q = query_of(target);
    call c{req, found.params, q, svc_, options_, started_};
    return r.fn(c);
}

server::response surface::reject(server::request const& req, server::rejection why,
                                 server::call_info& info) {
    info.surface = "admin";
    return error_reply(req, rejection_error(why));
}

} // namespace icemu::api::admin
