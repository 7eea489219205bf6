#include "fuzz/harness.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>

#include "api/aws/operations.hpp"
#include "api/huawei/operations.hpp"

namespace icemu::fuzz {

namespace {

api::core::service_options options() {
    api::core::service_options out;
    // polls: a Describe settles its request, so one input can reach SUCCEEDED without the
    // admin API; the wall clock is fixed, so auto-mode delays (set through the admin API) only
    // pass with /_icemu/clock/advance.
    out.scheduler.mode = api::core::scheduler_mode::polls;
    out.instances = {{"123456789012", std::string(initial_instance), "", ""}};
    api::aws::add_operations(out.operations); // as main() adds them
    api::huawei::add_operations(out.operations);
    return out;
}

bool is_hex(char c) noexcept {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

bool all_hex(std::string_view s) noexcept {
    return std::all_of(s.begin(), s.end(), is_hex);
}

bool one_of(unsigned status, std::initializer_list<unsigned> allowed) noexcept {
    return std::find(allowed.begin(), allowed.end(), status) != allowed.end();
}

std::string_view printable(std::string_view text, std::string& out, std::size_t limit) {
    for (char const ch : text.substr(0, limit)) {
        auto const c = static_cast<unsigned char>(ch);
        if (c >= 0x20 && c < 0x7f) {
            out.push_back(ch);
            continue;
        }
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02x", c);
        out.append(hex);
    }
    if (text.size() > limit)
        out.append("...");
    return out;
}

// The body as a JSON object, its strings checked as UTF-8 (what every client decodes).
bool parse_object(std::string const& body, rapidjson::Document& doc) {
    doc.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(body.data(),
                                                                                      body.size());
    return !doc.HasParseError() && doc.IsObject();
}

bool string_member(rapidjson::Value const& obj, char const* name) {
    auto const it = obj.FindMember(name);
    return it != obj.MemberEnd() && it->value.IsString();
}

std::string_view member_text(rapidjson::Value const& obj, char const* name) {
    auto const it = obj.FindMember(name);
    if (it == obj.MemberEnd() || !it->value.IsString())
        return {};
    return {it->value.GetString(), it->value.GetStringLength()};
}

} // namespace

void violation(std::string_view what, server::request const& req, server::response const& res) {
    std::string method;
    std::string target;
    std::string body;
    std::fprintf(stderr, "icemu fuzz: contract broken: %.*s\n  request: %s %s\n  answer: %u %s\n",
                 static_cast<int>(what.size()), what.data(),
                 std::string(printable(req.method_string(), method, 40)).c_str(),
                 std::string(printable(req.target(), target, 200)).c_str(), res.result_int(),
                 std::string(printable(res.body(), body, 400)).c_str());
    std::abort();
}

world::world()
    : db_(store::database_options{}),
      clock_([] { return std::int64_t{1'700'000'000'000}; }),
      svc_(db_, clock_, options()),
      aws_(svc_),
      huawei_(svc_),
      admin_(svc_, {"fuzz", ":memory:", {"aws", "huawei"}}),
      routes_(admin_, aws_, huawei_) {
    svc_.instances.ensure_initial_state();
    db_.commit();
}

server::response world::dispatch(server::request const& req) {
    // ICEMU_FUZZ_TRACE=1: one line per exchange on stderr, to see what a seed reaches.
    static bool const trace = std::getenv("ICEMU_FUZZ_TRACE") != nullptr;
    server::call_info info;
    auto res = routes_.dispatch(req, info);
    check(req, res);
    remember(res);
    if (trace) {
        std::string target;
        std::string body;
        std::fprintf(stderr, "  %u %s %s -> %s\n", res.result_int(),
                     std::string(req.method_string()).c_str(),
                     std::string(printable(req.target(), target, 120)).c_str(),
                     std::string(printable(res.body(), body, 160)).c_str());
    }
    return res;
}

server::response world::reject_too_large(server::request const& req) {
    server::call_info info;
    auto res = routes_.route(req).reject(req, server::rejection::body_too_large, info);
    if (res.result() != http::status::payload_too_large)
        violation("a body over the limit must be answered 413", req, res);
    check(req, res);
    return res;
}

server::response world::reject_malformed(server::request const& req) {
    server::call_info info;
    auto& owner = routes_.route_malformed(req);
    auto res = owner.reject(req, server::rejection::malformed, info);
    if (res.result() != http::status::bad_request)
        violation("a malformed request must be answered 400", req, res);
    check(req, res, &owner);
    return res;
}

void world::restore() {
    db_.rollback();
    try {
        db_.commit(); // clears the mark a failed savepoint rollback leaves
    } catch (std::exception const&) {
    }
    svc_.control.reset(std::nullopt);
    db_.commit();
    last_permission_set = "0000000000000000";
    last_request = "00000000-0000-4000-8000-000000000000";
}

void world::apply_fixtures(api::core::fixture_set const& fixtures) {
    api::core::apply_fixtures(db_, fixtures, clock_);
}

void world::check(server::request const& req, server::response const& res,
                  server::endpoint const* answered_by) {
    unsigned const status = res.result_int();
    // A fault rule may ask for an internal error; nothing else may produce one.
    bool const rules = !svc_.faults.rules().all().empty();
    rapidjson::Document doc;
    server::endpoint const& owner = answered_by != nullptr ? *answered_by : routes_.route(req);

    if (&owner == &aws_) {
        if (!one_of(status, {200, 400, 413, 501}) && !(status == 500 && rules))
            violation("AWS status outside 200/400/413/501", req, res);
        if (status == 200 && req.method() != http::verb::post)
            violation("AWS operation run for a method other than POST", req, res);
        if (res[http::field::content_type] != "application/x-amz-json-1.1")
            violation("AWS answer without its content type", req, res);
        if (res["x-amzn-RequestId"].size() != 36)
            violation("AWS answer without x-amzn-RequestId", req, res);
        if (!parse_object(res.body(), doc))
            violation("AWS body is not a UTF-8 JSON object", req, res);
        if (status == 200)
            return;
        if (!string_member(doc, "__type") || !string_member(doc, "Message") ||
            member_text(doc, "__type").empty())
            violation("AWS error without __type and Message", req, res);
        if (res["x-amzn-ErrorType"] != member_text(doc, "__type"))
            violation("x-amzn-ErrorType differs from __type", req, res);
        return;
    }

    if (&owner == &huawei_) {
        if (!one_of(status, {200, 400, 401, 403, 404, 405, 409, 413, 429}) &&
            !(status == 500 && rules))
            violation("Huawei status outside the documented ones", req, res);
        auto const id = res["X-Request-Id"];
        if (id.size() != 32 || !all_hex(id))
            violation("Huawei answer without a 32-hex X-Request-Id", req, res);
        if (status == 200) {
            if (!res.body().empty() && !parse_object(res.body(), doc))
                violation("Huawei body is not a UTF-8 JSON object", req, res);
            return;
        }
        if (!parse_object(res.body(), doc))
            violation("Huawei error body is not a UTF-8 JSON object", req, res);
        if (!string_member(doc, "error_code") || !string_member(doc, "error_msg") ||
            member_text(doc, "request_id") != id)
            violation("Huawei error without error_code, error_msg and its request_id", req, res);
        return;
    }

    if (!one_of(status, {200, 400, 404, 405, 409, 413}))
        violation("admin status outside 200/400/404/405/409/413", req, res);
    if (status == 200 && res[http::field::content_type].starts_with("text/plain"))
        return; // /_icemu/metrics: Prometheus text
    if (!parse_object(res.body(), doc))
        violation("admin body is not a UTF-8 JSON object", req, res);
    if (status != 200 && (!string_member(doc, "error") || !string_member(doc, "message")))
        violation("admin error without error and message", req, res);
}

void world::remember(server::response const& res) {
    std::string_view const body = res.body();
    for (auto at = body.find("ps-"); at != std::string_view::npos; at = body.find("ps-", at + 1)) {
        auto const hex = body.substr(at + 3, 16);
        if (hex.size() == 16 && all_hex(hex)) {
            last_permission_set = std::string(hex);
            break;
        }
    }
    // The first UUID of the body: a request id (AWS and Huawei both render them this way).
    for (std::size_t i = 0; i + 36 <= body.size(); ++i) {
        auto const text = body.substr(i, 36);
        bool ok = true;
        for (std::size_t j = 0; j < 36 && ok; ++j)
            ok = (j == 8 || j == 13 || j == 18 || j == 23) ? text[j] == '-' : is_hex(text[j]);
        if (ok) {
            last_request = std::string(text);
            break;
        }
    }
}

world& the_world() {
    static world w;
    return w;
}

std::vector<std::string_view> records(std::string_view input, std::size_t max) {
    std::vector<std::string_view> out;
    while (out.size() < max) {
        auto const sep = input.find('\x1e');
        out.push_back(input.substr(0, sep));
        if (sep == std::string_view::npos)
            break;
        input.remove_prefix(sep + 1);
    }
    return out;
}

std::string expand(std::string_view text, world const& w) {
    std::string out;
    out.reserve(text.size() + 32);
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto const rest = text.substr(i);
        if (rest.starts_with("$ps")) {
            out.append(w.last_permission_set);
            i += 2;
        } else if (rest.starts_with("$req")) {
            out.append(w.last_request);
            i += 3;
        } else if (rest.starts_with("$ins")) {
            out.append(initial_instance);
            i += 3;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

} // namespace icemu::fuzz
