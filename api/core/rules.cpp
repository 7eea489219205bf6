#include "api/core/rules.hpp"

#include <algorithm>

namespace icemu::api::core {

namespace {

// A set match key holds only when the call names the same value.
bool holds(std::optional<std::string> const& wanted, std::string_view fact) {
    return !wanted || (!fact.empty() && *wanted == fact);
}

} // namespace

std::string_view to_string(fault_code code) noexcept {
    switch (code) {
    case fault_code::throttling: return "ThrottlingException";
    case fault_code::internal: return "InternalServerException";
    case fault_code::access_denied: return "AccessDeniedException";
    case fault_code::conflict: return "ConflictException";
    }
    return "InternalServerException";
}

std::optional<fault_code> parse_fault_code(std::string_view text) noexcept {
    for (auto const code : {fault_code::throttling, fault_code::internal, fault_code::access_denied,
                            fault_code::conflict})
        if (to_string(code) == text)
            return code;
    return std::nullopt;
}

bool glob_match(std::string_view pattern, std::string_view text) noexcept {
    std::size_t p = 0;
    std::size_t t = 0;
    // Where the last `*` was and the text position it has consumed up to: on a mismatch the
    // star takes one more character, which makes the match linear for one star.
    std::size_t star = std::string_view::npos;
    std::size_t star_text = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
            ++p;
            ++t;
            continue;
        }
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            star_text = t;
            continue;
        }
        if (star == std::string_view::npos)
            return false;
        p = star + 1;
        t = ++star_text;
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

std::optional<request_kind> kind_of_operation(std::string_view operation) noexcept {
    for (auto const& info : request_kinds)
        if (info.operation == operation)
            return info.kind;
    // The one kind two operations create: RemoveRegion's requests are REGION requests too.
    if (operation == "RemoveRegion")
        return request_kind::region;
    return std::nullopt;
}

std::string_view operation_of_kind(request_kind kind) noexcept {
    for (auto const& info : request_kinds)
        if (info.kind == kind)
            return info.operation;
    return "-";
}

void fault_rules::set_configured(std::vector<fault_rule> rules) {
    std::vector<fault_rule> runtime(rules_.begin() + static_cast<std::ptrdiff_t>(configured_),
                                    rules_.end());
    for (auto& rule : rules) {
        rule.source = rule_source::config;
        rule.hits = 0;
    }
    configured_ = rules.size();
    rules_ = std::move(rules);
    rules_.insert(rules_.end(), runtime.begin(), runtime.end());
    count();
}

void fault_rules::replace_runtime(std::vector<fault_rule> rules) {
    rules_.resize(configured_);
    for (auto& rule : rules) {
        rule.source = rule_source::runtime;
        rule.hits = 0;
        rules_.push_back(std::move(rule));
    }
    count();
}

void fault_rules::clear_runtime() {
    rules_.resize(configured_);
    count();
}

void fault_rules::reset() {
    clear_runtime();
    for (auto& rule : rules_)
        rule.hits = 0;
}

std::optional<fault_outcome> fault_rules::match_outcome(call_facts const& facts,
                                                        seeded_random& random,
                                                        name_lookup const& lookup) {
    if (auto* rule = first_match(true, facts, random, lookup))
        return rule->outcome;
    return std::nullopt;
}

std::optional<fault_error> fault_rules::match_error(call_facts const& facts, seeded_random& random,
                                                    name_lookup const& lookup) {
    if (error_rules_ == 0)
        return std::nullopt;
    if (auto* rule = first_match(false, facts, random, lookup))
        return rule->error;
    return std::nullopt;
}

fault_rule* fault_rules::first_match(bool outcome, call_facts const& facts, seeded_random& random,
                                     name_lookup const& lookup) {
    // The permission set's name is looked up once, and only if a rule asks for it.
    std::optional<std::optional<std::string>> name;
    for (auto& rule : rules_) {
        if (outcome ? !rule.outcome : !rule.error)
            continue;
        if (rule.times && rule.hits >= *rule.times)
            continue;
        auto const& m = rule.match;
        if (!holds(m.operation, facts.operation) || !holds(m.surface, facts.surface) ||
            !holds(m.instance_id, facts.instance_id) ||
            !holds(m.permission_set_id, facts.permission_set_id) ||
            !holds(m.account_id, facts.account_id) ||
            !holds(m.principal_type, facts.principal_type) ||
            !holds(m.principal_id, facts.principal_id))
            continue;
        if (m.kind && facts.kind != m.kind)
            continue;
        if (m.permission_set_name) {
            if (!name)
                name = facts.instance_id.empty() || facts.permission_set_id.empty() || !lookup
                           ? std::nullopt
                           : lookup(facts.instance_id, facts.permission_set_id);
            if (!*name || !glob_match(*m.permission_set_name, **name))
                continue;
        }
        // Drawn last, so that the sequence of draws depends only on the calls that match.
        if (m.probability && !(random.unit() < *m.probability))
            continue;
        rule.hits += 1;
        return &rule;
    }
    return nullptr;
}

void fault_rules::count() {
    error_rules_ = static_cast<std::size_t>(
        std::count_if(rules_.begin(), rules_.end(), [](auto const& r) { return r.error; }));
}

} // namespace icemu::api::core
