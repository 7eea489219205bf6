#include "server/path_router.hpp"

#include "ids/ids.hpp"

namespace icemu::server {

namespace {

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
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+' && plus_is_space) {
            out.push_back(' ');
            continue;
        }
        if (text[i] == '%' && i + 2 < text.size()) {
            int const hi = ids::hex_value(text[i + 1]);
            int const lo = ids::hex_value(text[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out.push_back(static_cast<char>(hi * 16 + lo));
                i += 2;
                continue;
            }
        }
        out.push_back(text[i]);
    }
    return out;
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
