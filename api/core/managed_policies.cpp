#include "api/core/managed_policies.hpp"

#include <algorithm>
#include <stdexcept>
#include <tuple>

namespace icemu::api::core {

namespace {

// The characters of a path segment or a name in the model's ManagedPolicyArn pattern.
bool is_name_char(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == ',' || c == '+' || c == '@' || c == '=' || c == '_' || c == '-';
}

// "aws" followed by at most three "-" + 1 to 5 lowercase letters, as the model's pattern has it.
bool is_partition(std::string_view text) noexcept {
    if (!text.starts_with("aws"))
        return false;
    text.remove_prefix(3);
    for (int groups = 0; !text.empty(); ++groups) {
        if (groups == 3 || text.front() != '-')
            return false;
        text.remove_prefix(1);
        std::size_t letters = 0;
        while (letters < text.size() && text[letters] >= 'a' && text[letters] <= 'z')
            ++letters;
        if (letters < 1 || letters > 5)
            return false;
        text.remove_prefix(letters);
    }
    return true;
}

bool before(managed_policy_entry const& a, managed_policy_entry const& b) noexcept {
    return std::tie(a.path, a.name) < std::tie(b.path, b.name);
}

} // namespace

std::optional<managed_policy_entry> parse_managed_policy_arn(std::string_view arn) noexcept {
    constexpr std::string_view scheme = "arn:";
    constexpr std::string_view service = ":iam::aws:policy/";
    if (!arn.starts_with(scheme))
        return std::nullopt;
    auto const at = arn.find(service);
    if (at == std::string_view::npos || !is_partition(arn.substr(4, at - 4)))
        return std::nullopt;
    // From the slash after "policy": the path up to and including the last slash, then the name.
    std::string_view const rest = arn.substr(at + service.size() - 1);
    auto const last = rest.rfind('/');
    managed_policy_entry out{rest.substr(0, last + 1), rest.substr(last + 1), true};
    if (out.name.empty())
        return std::nullopt;
    if (!std::all_of(out.name.begin(), out.name.end(), is_name_char))
        return std::nullopt;
    // Segments between slashes are non-empty runs of the same characters.
    for (std::size_t i = 1; i < out.path.size(); ++i)
        if (out.path[i] == '/' ? out.path[i - 1] == '/' : !is_name_char(out.path[i]))
            return std::nullopt;
    return out;
}

managed_policy_catalogue::managed_policy_catalogue(std::vector<std::string> const& extra_arns) {
    for (auto const& arn : extra_arns) {
        auto const parsed = parse_managed_policy_arn(arn);
        if (!parsed)
            throw std::invalid_argument("\"" + arn + "\" is not an AWS managed policy ARN " +
                                        "(arn:aws:iam::aws:policy/[path/]Name)");
        extra_.push_back({std::string(parsed->path), std::string(parsed->name)});
    }
}

std::optional<managed_policy_entry> managed_policy_catalogue::find(
    std::string_view arn) const noexcept {
    auto const key = parse_managed_policy_arn(arn);
    if (!key)
        return std::nullopt;
    auto const table = builtin_managed_policies();
    auto const it = std::lower_bound(table.begin(), table.end(), *key, before);
    if (it != table.end() && it->path == key->path && it->name == key->name)
        return *it;
    for (auto const& e : extra_)
        if (e.path == key->path && e.name == key->name)
            return managed_policy_entry{e.path, e.name, true};
    return std::nullopt;
}

} // namespace icemu::api::core
