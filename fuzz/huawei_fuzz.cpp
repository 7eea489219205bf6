// The Huawei surface: path routing (percent-decoding, literal segments over parameters), the
// query string, JSON decoding and the Huawei rules. An input is up to 8 records separated by
// 0x1e. A record is `<selector><line>\n<body>`: a selector below 0x80 picks one of the 35
// routes, whose pattern is filled with the ids of this input (`{instance_id}` the initial
// instance, `{permission_set_id}` the last permission set, `{request_id}` the last request) and
// followed by the line (e.g. a query string); from 0x80 up, the selector picks a method and the
// line is the whole target. `$ps`, `$req` and `$ins` are replaced everywhere (harness.hpp).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/huawei/routes.hpp"
#include "fuzz/harness.hpp"

namespace {

namespace http = icemu::server::http;

constexpr std::array<http::verb, 6> raw_methods = {http::verb::get,   http::verb::post,
                                                   http::verb::put,   http::verb::delete_,
                                                   http::verb::patch, http::verb::propfind};

std::string fill(std::string_view pattern) {
    std::string out;
    while (!pattern.empty()) {
        auto const open = pattern.find('{');
        out.append(pattern.substr(0, open));
        if (open == std::string_view::npos)
            break;
        auto const close = pattern.find('}', open);
        auto const name = pattern.substr(open + 1, close - open - 1);
        if (name == "instance_id")
            out.append("ins-$ins");
        else if (name == "permission_set_id")
            out.append("ps-$ps");
        else if (name == "request_id")
            out.append("$req");
        else if (name == "resource_type")
            out.append("identitycenter:permissionset");
        else if (name == "resource_id")
            out.append("ps-$ps");
        else
            out.append("x");
        pattern.remove_prefix(close + 1);
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    auto& w = icemu::fuzz::the_world();
    auto const table = icemu::api::huawei::routes();
    std::string_view const input(reinterpret_cast<char const*>(data), size);
    for (auto const record : icemu::fuzz::records(input)) {
        if (record.empty())
            continue;
        auto const selector = static_cast<unsigned char>(record[0]);
        auto rest = record.substr(1);
        auto const newline = rest.find('\n');
        auto const line = rest.substr(0, newline);
        auto const body =
            newline == std::string_view::npos ? std::string_view{} : rest.substr(newline + 1);
        http::verb method = raw_methods[selector % raw_methods.size()];
        std::string target;
        if (selector < 0x80) {
            auto const& r = table[selector % table.size()];
            method = r.method;
            target = fill(r.pattern);
        }
        target.append(line);
        if (target.empty())
            target.push_back('/'); // g++ 12 -Wrestrict misfires on assigning "/"
        icemu::server::request req{method, icemu::fuzz::expand(target, w), 11};
        req.set(http::field::content_type, "application/json");
        req.set("X-Domain-Id", "0a6d25d23900d45c0faac010e0fb4de0");
        req.body() = icemu::fuzz::expand(body, w);
        req.prepare_payload();
        w.dispatch(req);
    }
    w.restore();
    return 0;
}
