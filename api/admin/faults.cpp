#include "api/admin/faults.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "api/json/reader.hpp"
#include "ids/ids.hpp"

namespace icemu::api::admin {

namespace {

constexpr std::string_view match_keys[] = {
    "operation",           "kind",       "surface",        "instance_id",  "permission_set_id",
    "permission_set_name", "account_id", "principal_type", "principal_id", "probability"};
constexpr std::int64_t max_latency_ms = 60LL * 60 * 1000;

[[noreturn]] void refuse(std::string const& where, std::string const& what) {
    throw rules_error(where + ": " + what);
}

std::string quoted(std::string_view text) {
    return "\"" + std::string(text) + "\"";
}

std::string string_of(rapidjson::Value const& v, std::string const& where) {
    if (!v.IsString())
        refuse(where, "must be a string");
    return {v.GetString(), v.GetStringLength()};
}

std::int64_t int_of(rapidjson::Value const& v, std::string const& where, std::int64_t min) {
    if (!v.IsInt64() || v.GetInt64() < min)
        refuse(where, "must be an integer >= " + std::to_string(min));
    return v.GetInt64();
}

// The 16 hex of an id in any of its forms (`id` parsed from `text`).
std::string hex_id(std::optional<std::string_view> id, std::string const& text,
                   std::string const& where, std::string_view expected) {
    if (!id)
        refuse(where, quoted(text) + " is not " + std::string(expected));
    return std::string(*id);
}

void check_keys(rapidjson::Value const& obj, std::string const& where,
                std::initializer_list<std::string_view> allowed) {
    for (auto const& m : obj.GetObject()) {
        std::string_view const name(m.name.GetString(), m.name.GetStringLength());
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
            refuse(where + "." + std::string(name), "is not a key of a fault rule here");
    }
}

core::fault_match parse_match(rapidjson::Value const& obj, std::string const& where,
                              core::operation_catalogue const& operations) {
    if (!obj.IsObject())
        refuse(where, "must be an object");
    core::fault_match m;
    for (auto const& member : obj.GetObject()) {
        std::string_view const name(member.name.GetString(), member.name.GetStringLength());
        auto const& v = member.value;
        std::string const at = where + "." + std::string(name);
        if (std::find(std::begin(match_keys), std::end(match_keys), name) == std::end(match_keys))
            refuse(at,
                   "is not a match key (operation, kind, surface, instance_id, "
                   "permission_set_id, permission_set_name, account_id, principal_type, "
                   "principal_id, probability)");
        if (name == "probability") {
            if (!v.IsNumber() || !std::isfinite(v.GetDouble()) || v.GetDouble() < 0.0 ||
                v.GetDouble() > 1.0)
                refuse(at, "must be a number in [0, 1]");
            m.probability = v.GetDouble();
            continue;
        }
        auto text = string_of(v, at);
        if (name == "operation") {
            if (!operations.knows(text))
                refuse(at, quoted(text) + " is not an operation of either surface");
            m.operation = std::move(text);
        } else if (name == "kind") {
            m.kind = core::parse_request_kind(text);
            if (!m.kind)
                refuse(at, quoted(text) + " is not " + core::request_kind_names());
        } else if (name == "surface") {
            if (text != "aws" && text != "huawei")
                refuse(at, quoted(text) + " is not \"aws\" or \"huawei\"");
            m.surface = std::move(text);
        } else if (name == "instance_id") {
            m.instance_id = hex_id(ids::instance_id(text, ids::every_instance_form), text, at,
                                   "an instance ARN, ssoins-/ins-<16 hex> or 16 hex");
        } else if (name == "permission_set_id") {
            m.permission_set_id =
                hex_id(ids::permission_set_id(text, ids::every_permission_set_form), text, at,
                       "a permission set ARN, ps-<16 hex> or 16 hex");
        } else if (name == "permission_set_name") {
            m.permission_set_name = std::move(text);
        } else if (name == "account_id") {
            m.account_id = std::move(text);
        } else if (name == "principal_type") {
            m.principal_type = std::move(text);
        } else {
            m.principal_id = std::move(text);
        }
    }
    return m;
}

core::fault_outcome parse_outcome(rapidjson::Value const& obj, std::string const& where) {
    if (!obj.IsObject())
        refuse(where, "must be an object");
    check_keys(obj, where, {"status", "failure_reason"});
    core::fault_outcome out;
    auto const* status = json::find(obj, "status");
    if (status == nullptr)
        refuse(where + ".status", "is required (\"FAILED\" or \"IN_PROGRESS\")");
    auto const text = string_of(*status, where + ".status");
    if (text == "FAILED")
        out.status = core::request_status::failed;
    else if (text == "IN_PROGRESS")
        out.status = core::request_status::in_progress;
    else
        refuse(where + ".status", quoted(text) + " is not \"FAILED\" or \"IN_PROGRESS\"");
    if (auto const* reason = json::find(obj, "failure_reason")) {
        if (out.status != core::request_status::failed)
            refuse(where + ".failure_reason", "applies to status \"FAILED\" only");
        out.failure_reason = string_of(*reason, where + ".failure_reason");
    }
    return out;
}

core::fault_error parse_error(rapidjson::Value const& obj, std::string const& where) {
    if (!obj.IsObject())
        refuse(where, "must be an object");
    check_keys(obj, where, {"code", "latency_ms"});
    core::fault_error out;
    auto const* code = json::find(obj, "code");
    if (code == nullptr)
        refuse(where + ".code", "is required");
    auto const text = string_of(*code, where + ".code");
    auto const parsed = core::parse_fault_code(text);
    if (!parsed)
        refuse(where + ".code", quoted(text) +
                                    " is not ThrottlingException, InternalServerException, "
                                    "AccessDeniedException or ConflictException");
    out.code = *parsed;
    if (auto const* latency = json::find(obj, "latency_ms")) {
        // The session waits on a timer: an hour is plenty, and keeps the duration in range.
        out.latency_ms = int_of(*latency, where + ".latency_ms", 0);
        if (out.latency_ms > max_latency_ms)
            refuse(where + ".latency_ms", "must be at most " + std::to_string(max_latency_ms));
    }
    return out;
}

core::fault_rule parse_rule(rapidjson::Value const& obj, std::string const& where,
                            core::operation_catalogue const& operations) {
    if (!obj.IsObject())
        refuse(where, "must be an object");
    check_keys(obj, where, {"match", "outcome", "error", "times"});
    core::fault_rule rule;
    if (auto const* match = json::find(obj, "match"))
        rule.match = parse_match(*match, where + ".match", operations);
    auto const* outcome = json::find(obj, "outcome");
    auto const* error = json::find(obj, "error");
    if ((outcome == nullptr) == (error == nullptr))
        refuse(where, "needs exactly one of \"outcome\" and \"error\"");
    if (outcome != nullptr)
        rule.outcome = parse_outcome(*outcome, where + ".outcome");
    if (error != nullptr)
        rule.error = parse_error(*error, where + ".error");
    if (auto const* times = json::find(obj, "times"))
        rule.times = int_of(*times, where + ".times", 1);
    return rule;
}

} // namespace

std::vector<core::fault_rule> parse_fault_rules(std::string_view text,
                                                core::operation_catalogue const& operations) {
    rapidjson::Document doc;
    std::string problem;
    if (!json::parse_object(text, doc, problem))
        throw rules_error("the body is not a JSON object: " + problem);
    check_keys(doc, "body", {"rules"});
    auto const* rules = json::find(doc, "rules");
    if (rules == nullptr || !rules->IsArray())
        throw rules_error("rules: must be an array ({\"rules\": [...]})");
    std::vector<core::fault_rule> out;
    out.reserve(rules->Size());
    for (rapidjson::SizeType i = 0; i < rules->Size(); ++i)
        out.push_back(parse_rule((*rules)[i], "rules[" + std::to_string(i) + "]", operations));
    return out;
}

void render_fault_rules(json::writer& out, std::vector<core::fault_rule> const& rules) {
    out.start_object().key("rules").start_array();
    for (auto const& rule : rules) {
        auto const& m = rule.match;
        out.start_object().key("match").start_object();
        out.member("operation", m.operation);
        if (m.kind)
            out.member("kind", core::to_string(*m.kind));
        out.member("surface", m.surface);
        if (m.instance_id)
            out.member("instance_id", "ssoins-" + *m.instance_id);
        if (m.permission_set_id)
            out.member("permission_set_id", "ps-" + *m.permission_set_id);
        out.member("permission_set_name", m.permission_set_name);
        out.member("account_id", m.account_id);
        out.member("principal_type", m.principal_type);
        out.member("principal_id", m.principal_id);
        if (m.probability)
            out.key("probability").real(*m.probability);
        out.end_object();
        if (rule.outcome) {
            out.key("outcome").start_object();
            out.member("status", core::to_string(rule.outcome->status));
            if (rule.outcome->status == core::request_status::failed)
                out.member("failure_reason", rule.outcome->failure_reason);
            out.end_object();
        }
        if (rule.error) {
            out.key("error").start_object();
            out.member("code", core::to_string(rule.error->code));
            out.member("latency_ms", rule.error->latency_ms);
            out.end_object();
        }
        if (rule.times)
            out.member("times", *rule.times);
        out.member("hits", rule.hits);
        out.member("source", rule.source == core::rule_source::config ? "config" : "runtime");
        out.end_object();
    }
    out.end_array().end_object();
}

} // namespace icemu::api::admin
