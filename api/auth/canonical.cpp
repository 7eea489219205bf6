#include "api/auth/canonical.hpp"

#include "server/path_router.hpp"

namespace icemu::api::auth {

namespace {

bool unreserved(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

bool blank(char c) noexcept {
    return c == ' ' || c == '\t';
}

} // namespace

std::string uri_encode(std::string_view text, bool keep_slash) {
    constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (char const c : text) {
        if (unreserved(c) || (keep_slash && c == '/')) {
            out.push_back(c);
            continue;
        }
        auto const byte = static_cast<unsigned char>(c);
        out.push_back('%');
        out.push_back(digits[byte >> 4]);
        out.push_back(digits[byte & 0xf]);
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> query_pairs(std::string_view query,
                                                             bool plus_is_space) {
    return server::path_router::query_params(query, plus_is_space);
}

std::pair<std::string_view, std::string_view> split_target(std::string_view target) noexcept {
    auto const q = target.find('?');
    if (q == std::string_view::npos)
        return {target, {}};
    return {target.substr(0, q), target.substr(q + 1)};
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string_view trim(std::string_view text) noexcept {
    while (!text.empty() && blank(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && blank(text.back()))
        text.remove_suffix(1);
    return text;
}

bool has_header(server::request const& req, std::string_view name) {
    return req.find(name) != req.end();
}

std::string header_values(server::request const& req, std::string_view name, bool collapse) {
    std::string out;
    bool first = true;
    for (auto [it, end] = req.equal_range(name); it != end; ++it) {
        if (!first)
            out.push_back(',');
        first = false;
        std::string_view const value = trim(it->value());
        if (!collapse) {
            out.append(value);
            continue;
        }
        bool in_blank = false;
        for (char const c : value) {
            if (blank(c)) {
                in_blank = true;
                continue;
            }
            if (in_blank)
                out.push_back(' ');
            in_blank = false;
            out.push_back(c);
        }
    }
    return out;
}

std::vector<std::string_view> split_list(std::string_view text, char separator) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        auto const at = text.find(separator);
        auto const item = trim(text.substr(0, at));
        if (!item.empty())
            out.push_back(item);
        if (at == std::string_view::npos)
            break;
        text.remove_prefix(at + 1);
    }
    return out;
}

} // namespace icemu::api::auth
