#include "api/admin/surface.hpp"

#include <map>

#include "api/admin/faults.hpp"
#include "api/admin/metrics.hpp"
#include "api/auth/crypto.hpp"
#include "api/core/error.hpp"
#include "api/core/ids.hpp"
#include "api/json/reader.hpp"
#include "api/json/writer.hpp"
#include "api/storage_failure.hpp"
#include "ids/ids.hpp"
#include "server/path_router.hpp"

namespace icemu::api::admin {

namespace {

namespace http = server::http;

struct admin_error {
    http::status status;
    std::string code;
    std::string message;
};

[[noreturn]] void fail(http::status status, std::string code, std::string message) {
    throw admin_error{status, std::move(code), std::move(message)};
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

struct target {
    std::string path;
    std::map<std::string, std::string, std::less<>> query;
};

target split_target(std::string_view raw) {
    target t;
    auto const q = raw.find('?');
    t.path = std::string(raw.substr(0, q));
    if (q == std::string_view::npos)
        return t;
    auto rest = raw.substr(q + 1);
    while (!rest.empty()) {
        auto const amp = rest.find('&');
        auto const pair = rest.substr(0, amp);
        auto const eq = pair.find('=');
        if (!pair.empty())
            t.query[server::path_router::percent_decode(pair.substr(0, eq), true)] =
                eq == std::string_view::npos
                    ? ""
                    : server::path_router::percent_decode(pair.substr(eq + 1), true);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    }
    return t;
}

rapidjson::Document body_of(server::request const& req) {
    rapidjson::Document doc;
    std::string problem;
    if (!json::parse_object(req.body(), doc, problem))
        fail(http::status::bad_request, "bad_request", "the body is not a JSON object: " + problem);
    return doc;
}

std::int64_t int_member(rapidjson::Value const& obj, std::string_view name, bool& present) {
    auto const* v = json::find(obj, name);
    present = v != nullptr;
    if (v == nullptr)
        return 0;
    if (!v->IsInt64())
        fail(http::status::bad_request, "bad_request", std::string(name) + " must be an integer");
    return v->GetInt64();
}

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

} // namespace

std::string instance_hex(std::string_view text) {
    auto const id = ids::instance_id(text, ids::every_instance_form);
    if (!id)
        fail(http::status::bad_request, "bad_request",
             "instance must be an instance ARN, ssoins-<16 hex>, ins-<16 hex> or 16 hex");
    return std::string(*id);
}

server::response surface::handle(server::request const& req, server::call_info& info) {
    info.surface = "admin";
    auto const t = split_target(req.target());
    auto const method = req.method();
    try {
        // Health stays open on every listener: health checks (icemu healthcheck, Docker's
        // HEALTHCHECK) ask the main address and carry no token.
        bool const health = t.path == "/_icemu/health";
        if (!health && options_.health_only)
            fail(http::status::not_found, "not_found",
                 "no admin call " + t.path +
                     " on this address: the admin API listens on its own address");
        if (!health && !options_.token.empty() &&
            !auth::constant_time_equal(presented_token(req), options_.token)) {
            auto res =
                error_reply(req, {http::status::unauthorized, "unauthorized",
                                  "the admin API needs its token: Authorization: Bearer <token> or "
                                  "X-Icemu-Admin-Token: <token>"});
            res.set(http::field::www_authenticate, "Bearer realm=\"icemu\"");
            return res;
        }
        // What is due is settled before any call is answered, admin calls included.
        svc_.settle_due_before_call();
        json::writer out;
        if (t.path == "/_icemu/health") {
            info.operation = "health";
            if (method != http::verb::get)
                fail(http::status::method_not_allowed, "method_not_allowed", "use GET");
            auto const h = svc_.health();
            auto const uptime =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
            out.start_object().member("status", "ok").member("version", options_.version);
            out.key("uptime_s").number(static_cast<std::int64_t>(uptime));
            out.key("store").start_object().member("engine", "sqlite");
            out.member("path", options_.store_path).end_object();
            out.key("scheduler").start_object().member("mode", core::to_string(h.mode));
            out.member("clock_offset_ms", h.clock_offset_ms).member("in_flight", h.in_flight);
            out.end_object().key("surfaces").start_array();
            for (auto const& s : options_.surfaces)
                out.string(s);
            out.end_array().end_object();
            return json_reply(req, http::status::ok, out.view());
        }
        // moto's server-mode test suites reset between tests with POST /moto-api/reset: the
        // same reset, behind the same protection.
        if (t.path == "/_icemu/reset" || t.path == "/moto-api/reset") {
            info.operation = "reset";
            if (method != http::verb::post)
                fail(http::status::method_not_allowed, "method_not_allowed", "use POST");
            std::optional<std::string> instance;
            if (auto const it = t.query.find("instance"); it != t.query.end())
                instance = instance_hex(it->second);
            svc_.reset(instance);
            out.start_object().key("reset").boolean(true).end_object();
            return json_reply(req, http::status::ok, out.view());
        }
        if (t.path == "/_icemu/requests") {
            info.operation = "requests";
            if (method != http::verb::get)
                fail(http::status::method_not_allowed, "method_not_allowed", "use GET");
            store::request_filter filter;
            if (auto const it = t.query.find("status");
                it != t.query.end() && !it->second.empty()) {
                filter.status = core::parse_request_status(it->second);
                if (!filter.status)
                    fail(http::status::bad_request, "bad_request",
                         "status must be IN_PROGRESS, SUCCEEDED or FAILED");
            }
            if (auto const it = t.query.find("kind"); it != t.query.end() && !it->second.empty()) {
                filter.kind = core::parse_request_kind(it->second);
                if (!filter.kind)
                    fail(http::status::bad_request, "bad_request",
                         "kind must be " + core::request_kind_names());
            }
            if (auto const it = t.query.find("instance");
                it != t.query.end() && !it->second.empty())
                filter.instance_id = instance_hex(it->second);
            out.start_object().key("requests").start_array();
            for (auto const& row : svc_.admin_requests(filter))
                render_request(out, row);
            out.end_array().end_object();
            return json_reply(req, http::status::ok, out.view());
        }
        if (t.path.starts_with("/_icemu/requests/") && t.path.ends_with("/settle")) {
            info.operation = "settle";
            if (method != http::verb::post)
                fail(http::status::method_not_allowed, "method_not_allowed", "use POST");
            std::string_view id = t.path;
            id.remove_prefix(std::string_view("/_icemu/requests/").size());
            id.remove_suffix(std::string_view("/settle").size());
            auto const body = body_of(req);
            auto const status_text = json::optional_string(body, "status");
            auto const status =
                status_text ? core::parse_request_status(*status_text) : std::nullopt;
            if (!status || *status == core::request_status::in_progress)
                fail(http::status::bad_request, "bad_request",
                     "status must be \"SUCCEEDED\" or \"FAILED\"");
            auto reason = json::optional_string(body, "failure_reason");
            if (*status == core::request_status::failed && !reason)
                reason = std::string(default_failure_reason);
            auto const row = svc_.settle(id, *status, reason);
            render_request(out, row);
            return json_reply(req, http::status::ok, out.view());
        }
        if (t.path == "/_icemu/scheduler") {
            info.operation = "scheduler";
            if (method == http::verb::put) {
                auto const body = body_of(req);
                core::scheduler_update update;
                if (auto const mode = json::find(body, "mode")) {
                    if (!mode->IsString() || !core::parse_scheduler_mode(mode->GetString()))
                        fail(http::status::bad_request, "bad_request",
                             "mode must be \"auto\", \"polls\" or \"manual\"");
                    update.mode = core::parse_scheduler_mode(mode->GetString());
                }
                if (auto const delay = json::find(body, "delay_ms")) {
                    if (!delay->IsObject())
                        fail(http::status::bad_request, "bad_request",
                             "delay_ms must be {\"min\": N, \"max\": N}");
                    bool has = false;
                    auto const min = int_member(*delay, "min", has);
                    if (has)
                        update.delay_min_ms = min;
                    auto const max = int_member(*delay, "max", has);
                    if (has)
                        update.delay_max_ms = max;
                }
                bool has = false;
                auto const polls = int_member(body, "polls", has);
                if (has)
                    update.polls = polls;
                if (auto const seed = json::find(body, "seed")) {
                    if (!seed->IsUint64())
                        fail(http::status::bad_request, "bad_request",
                             "seed must be a non-negative integer");
                    update.seed = seed->GetUint64();
                }
                render_scheduler(out, svc_.update_scheduler(update));
                return json_reply(req, http::status::ok, out.view());
            }
            if (method != http::verb::get)
                fail(http::status::method_not_allowed, "method_not_allowed", "use GET or PUT");
            render_scheduler(out, svc_.scheduler());
            return json_reply(req, http::status::ok, out.view());
        }
        if (t.path == "/_icemu/clock/advance") {
            info.operation = "clock_advance";
            if (method != http::verb::post)
                fail(http::status::method_not_allowed, "method_not_allowed", "use POST");
            auto const body = body_of(req);
            bool has = false;
            auto const ms = int_member(body, "ms", has);
            if (!has || ms < 0)
                fail(http::status::bad_request, "bad_request", "ms must be a non-negative integer");
            auto const settled = svc_.advance_clock(ms);
            out.start_object().member("clock_offset_ms", svc_.health().clock_offset_ms);
            out.key("settled").start_array();
            for (auto const& id : settled)
                out.string(core::format_uuid(id));
            out.end_array().end_object();
            return json_reply(req, http::status::ok, out.view());
        }
        if (t.path == "/_icemu/faults") {
            info.operation = "faults";
            if (method == http::verb::put) {
                try {
                    svc_.replace_fault_rules(parse_fault_rules(req.body()));
                } catch (rules_error const& e) {
                    fail(http::status::bad_request, "bad_request", e.what());
                }
            } else if (method == http::verb::delete_) {
                svc_.clear_fault_rules();
            } else if (method != http::verb::get) {
                fail(http::status::method_not_allowed, "method_not_allowed",
                     "use GET, PUT or DELETE");
            }
            render_fault_rules(out, svc_.faults().all());
            return json_reply(req, http::status::ok, out.view());
        }
        if (t.path == "/_icemu/metrics") {
            info.operation = "metrics";
            if (method != http::verb::get)
                fail(http::status::method_not_allowed, "method_not_allowed", "use GET");
            server::response res{http::status::ok, req.version()};
            res.set(http::field::content_type, prometheus_content_type);
            res.keep_alive(req.keep_alive());
            if (options_.server_metrics)
                options_.server_metrics(res.body());
            render_core_metrics(res.body(), svc_);
            res.prepare_payload();
            return res;
        }
        fail(http::status::not_found, "not_found", "no admin call " + t.path);
    } catch (admin_error const& e) {
        return error_reply(req, e);
    } catch (core::error const& e) {
        auto const status = e.code() == core::errc::not_found  ? http::status::not_found
                            : e.code() == core::errc::conflict ? http::status::conflict
                                                               : http::status::bad_request;
        auto const code = e.code() == core::errc::not_found  ? "not_found"
                          : e.code() == core::errc::conflict ? "conflict"
                                                             : "bad_request";
        return error_reply(req, {status, code, e.what()});
    } catch (store::sqlite_error const& e) {
        // A full or read-only store is said as such; other storage texts may hold SQL.
        if (auto const why = storage_rejection(e.code()); why != server::rejection::internal_error)
            return error_reply(req, rejection_error(why));
        return error_reply(
            req, {http::status::internal_server_error, "internal", "an internal error occurred"});
    } catch (std::exception const&) {
        return error_reply(
            req, {http::status::internal_server_error, "internal", "an internal error occurred"});
    }
}

server::response surface::reject(server::request const& req, server::rejection why,
                                 server::call_info& info) {
    info.surface = "admin";
    return error_reply(req, rejection_error(why));
}

} // namespace icemu::api::admin
