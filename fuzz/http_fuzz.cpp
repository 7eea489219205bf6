// The HTTP request path: raw bytes through Beast's request parser, as a session reads them
// (pipelined requests on one connection, the body limit and malformed requests, answered 413 and
// 400 by the surface their request line names), then the router
// and whichever surface it picks (admin, AWS, Huawei). Every answer must keep its surface's
// contract (world::check).

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/harness.hpp"

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

// Small enough for the fuzzer to reach the 413 path; the configuration's minimum is 1024.
constexpr std::size_t body_limit = 4096;
constexpr int max_requests = 4;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    auto& w = icemu::fuzz::the_world();
    std::string_view input(reinterpret_cast<char const*>(data), size);
    for (int n = 0; n < max_requests && !input.empty(); ++n) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(body_limit);
        parser.eager(true);
        beast::error_code ec;
        std::size_t used = 0;
        while (!parser.is_done() && used < input.size()) {
            auto const k = parser.put(net::buffer(input.data() + used, input.size() - used), ec);
            used += k;
            if (ec || k == 0)
                break;
        }
        if (ec == http::error::body_limit) {
            w.reject_too_large(parser.get()); // the session answers 413, then closes
            break;
        }
        if (icemu::server::is_malformed(ec)) {
            w.reject_malformed(parser.get()); // the session answers 400, then closes
            break;
        }
        if (!parser.is_done())
            break; // incomplete: the session waits for more (then 408)
        auto const& req = parser.get();
        w.dispatch(req);
        if (!req.keep_alive())
            break;
        input.remove_prefix(used);
    }
    w.restore();
    return 0;
}
