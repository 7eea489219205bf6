#include "server/path_router.hpp"

#include <boost/url/encoding_opts.hpp>
#include <boost/url/grammar/hexdig_chars.hpp>
#include <boost/url/grammar/lut_chars.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/pct_string_view.hpp>
#include <boost/url/rfc/pchars.hpp>

namespace icemu::server {

namespace urls = boost::urls;

namespace {

// What Boost.URL's parse_query takes unescaped (RFC 3986's query characters).
constexpr auto query_chars = urls::pchars + '/' + '?';

// Boost.URL refuses a '%' that starts no valid escape, and a query character outside RFC 3986's;
// icemu takes such bytes literally. Escaping them keeps that: each decodes back to itself.
template <typename Allowed>
std::string escape_rest(std::string_view text, Allowed allowed) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() + 8);
    for (std::size_t i = 0; i < text.size(); ++i) {
        char const c = text[i];
        auto const byte = static_cast<unsigned char>(c);
        if (c == '%' && i + 2 < text.size() && urls::grammar::hexdig_chars(text[i + 1]) &&
            urls::grammar::hexdig_chars(text[i + 2])) {
            out.append(text.substr(i, 3));
            i += 2;
            continue;
        }
        if (c != '%' && allowed(byte)) {
            out.push_back(c);
            continue;
        }
        out.push_back('%');
        out.push_back(digits[byte >> 4]);
        out.push_back(digits[byte & 0xf]);
    }
    return out;
}

std::vector<std::string_view> split(std::string_view path) {
    std::vector<std::string_view> out;
    if (path.starts_with('/'))
        path.remove_prefix(1);
    for (;;) {
        auto const slash = path.find('/');
        out.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos)
            return out;
        path.remove_prefix(slash + 1);
    }
}

} // namespace

std::string_view path_params::operator[](std::string_view name) const noexcept {
    for (auto const& [key, value] : items_)
        if (key == name)
            return value;
    return {};
}

std::string path_router::percent_decode(std::string_view text, bool plus_is_space) {
    if (text.empty())
        return {};
    urls::encoding_opts opts;
    opts.space_as_plus = plus_is_space;
    if (auto const valid = urls::make_pct_string_view(text))
        return valid->decode(opts);
    auto const escaped = escape_rest(text, [](unsigned char) { return true; });
    return urls::make_pct_string_view(escaped)->decode(opts);
}

std::vector<std::pair<std::string, std::string>> path_router::query_params(std::string_view query,
                                                                           bool plus_is_space) {
    if (query.empty())
        return {};
    // Boost.URL 1.81's parse_query reads its argument's data() as a C string (strlen): it runs
    // past a query that does not end its buffer, so it parses a NUL-terminated copy. A copy that
    // parses has no NUL inside (NUL is no query character).
    std::string text(query);
    auto parsed = urls::parse_query(text);
    if (!parsed) {
        text = escape_rest(query, [](unsigned char byte) { return query_chars(byte); });
        parsed = urls::parse_query(text);
    }
    urls::encoding_opts opts;
    opts.space_as_plus = plus_is_space;
    std::vector<std::pair<std::string, std::string>> out;
    for (auto const param : *parsed) {
        if (param.key.empty() && !param.has_value)
            continue;
        out.emplace_back(param.key.decode(opts),
                         param.has_value ? param.value.decode(opts) : std::string());
    }
    return out;
}

std::string_view path_router::query_of(std::string_view target) noexcept {
    auto const mark = target.find('?');
    return mark == std::string_view::npos ? std::string_view() : target.substr(mark + 1);
}

void path_router::add(http::verb method, std::string_view pattern, std::size_t route) {
    entry e{method, {}, route};
    for (auto const part : split(pattern)) {
        bool const param = part.size() > 2 && part.front() == '{' && part.back() == '}';
        e.segments.push_back({param ? part.substr(1, part.size() - 2) : part, param});
    }
    entries_.push_back(std::move(e));
}

path_router::match path_router::find(http::verb method, std::string_view target) const {
    auto const path = target.substr(0, target.find('?'));
    std::vector<std::string> segments;
    for (auto const part : split(path))
        segments.push_back(percent_decode(part));

    // The most specific matching shape: a literal beats a parameter at the first difference.
    std::vector<segment> const* best = nullptr;
    auto const more_specific = [](std::vector<segment> const& a, std::vector<segment> const& b) {
        for (std::size_t i = 0; i < a.size(); ++i)
            if (a[i].param != b[i].param)
                return !a[i].param;
        return false;
    };
    for (auto const& e : entries_) {
        if (e.segments.size() != segments.size())
            continue;
        bool matches = true;
        for (std::size_t i = 0; i < segments.size() && matches; ++i)
            matches =
                e.segments[i].param ? !segments[i].empty() : e.segments[i].text == segments[i];
        if (matches && (best == nullptr || more_specific(e.segments, *best)))
            best = &e.segments;
    }
    match out;
    if (best == nullptr)
        return out;
    auto const same_shape = [best](std::vector<segment> const& s) {
        if (s.size() != best->size())
            return false;
        for (std::size_t i = 0; i < s.size(); ++i)
            if (s[i].param != (*best)[i].param || (!s[i].param && s[i].text != (*best)[i].text))
                return false;
        return true;
    };
    out.result = outcome::wrong_method;
    for (auto const& e : entries_) {
        if (!same_shape(e.segments))
            continue;
        if (e.method != method) {
            out.allowed.push_back(e.method);
            continue;
        }
        out.result = outcome::found;
        out.route = e.route;
        for (std::size_t i = 0; i < segments.size(); ++i)
            if (e.segments[i].param)
                out.params.add(e.segments[i].text, std::move(segments[i]));
        out.allowed.clear();
        return out;
    }
    return out;
}

} // namespace icemu::server
