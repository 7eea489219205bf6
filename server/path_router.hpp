#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/message.hpp"

namespace icemu::server {

/// The parameters a path pattern captured, percent-decoded, in pattern order.
class path_params {
public:
    /// The value of `{name}`; empty when the pattern has no such parameter.
    std::string_view operator[](std::string_view name) const noexcept;
    void add(std::string_view name, std::string value) {
        items_.emplace_back(name, std::move(value));
    }

private:
    std::vector<std::pair<std::string_view, std::string>> items_;
};

/// Routes (method, path) to a route number by patterns such as
/// `/v1/instances/{instance_id}/permission-sets/{permission_set_id}`. Of the patterns that match
/// a path, the most specific owns it: segment by segment from the left, a literal beats a
/// `{param}`. Segments are compared after percent-decoding; the query string is ignored.
class path_router {
public:
    enum class outcome {
        found,        // `route` and `params` are set
        wrong_method, // the path is known, not with this method; `allowed` lists the methods
        not_found,    // no pattern matches the path
    };
    struct match {
        outcome result = outcome::not_found;
        std::size_t route = 0;
        path_params params;
        std::vector<http::verb> allowed;
    };

    /// Adds a route; the pattern's text must outlive the router (parameter names are views).
    void add(http::verb method, std::string_view pattern, std::size_t route);
    /// The route for `method` and `target` (a request target; its query string is ignored).
    match find(http::verb method, std::string_view target) const;

    /// `%XX` decoded (by Boost.URL); `+` is kept (paths are not form-encoded) unless
    /// `plus_is_space` (query strings). Invalid escapes are kept as is. The one decoder of every
    /// surface and of the signature checks.
    static std::string percent_decode(std::string_view text, bool plus_is_space = false);
    /// The name=value pairs of a query string (the part after '?'), parsed by Boost.URL and
    /// decoded as percent_decode decodes, in their order; a name without '=' has the value "".
    /// Empty pairs ("a=1&&b=2") are skipped.
    static std::vector<std::pair<std::string, std::string>> query_params(std::string_view query,
                                                                         bool plus_is_space);
    /// The query string of a request target: what follows its first '?' ("" when none).
    static std::string_view query_of(std::string_view target) noexcept;

private:
    struct segment {
        std::string_view text; // the literal, or the parameter's name
        bool param = false;
    };
    struct entry {
        http::verb method;
        std::vector<segment> segments;
        std::size_t route;
    };
    std::vector<entry> entries_;
};

} // namespace icemu::server
