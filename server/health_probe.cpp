#include "server/health_probe.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <exception>

#include "server/message.hpp"

namespace icemu::server {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

std::string probe_host(std::string const& host) {
    if (host.empty() || host == "0.0.0.0" || host == "::" || host == "[::]")
        return "127.0.0.1";
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        return host.substr(1, host.size() - 2);
    return host;
}

net::awaitable<int> ask(std::string host, std::uint16_t port, std::chrono::milliseconds timeout) {
    auto ex = co_await net::this_coro::executor;
    beast::tcp_stream stream(ex);
    stream.expires_after(timeout);

    boost::system::error_code ec;
    net::ip::address const address = net::ip::make_address(host, ec);
    if (!ec) {
        co_await stream.async_connect(tcp::endpoint(address, port), net::use_awaitable);
    } else {
        // A name (e.g. "localhost"): resolved through asio's resolver thread, bounded below by
        // run_for like everything else.
        tcp::resolver resolver(ex);
        auto const results =
            co_await resolver.async_resolve(host, std::to_string(port), net::use_awaitable);
        co_await stream.async_connect(results, net::use_awaitable);
    }

    http::request<http::empty_body> req{http::verb::get, "/_icemu/health", 11};
    req.set(http::field::host, host);
    req.set(http::field::user_agent, "icemu-healthcheck");
    req.set(http::field::connection, "close");
    co_await http::async_write(stream, req, net::use_awaitable);

    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(1024 * 1024);
    co_await http::async_read(stream, buffer, parser, net::use_awaitable);
    co_return parser.get().result() == http::status::ok ? 0 : 1;
}

} // namespace

int probe_health(std::string const& host, std::uint16_t port, std::chrono::milliseconds timeout) {
    try {
        net::io_context ioc;
        int result = 1;
        net::co_spawn(ioc, ask(probe_host(host), port, timeout),
                      [&result](std::exception_ptr error, int status) {
                          if (!error)
                              result = status;
                      });
        // The stream's own expiry ends connect/read/write; run_for also bounds name resolution.
        ioc.run_for(timeout + std::chrono::milliseconds(100));
        return result;
    } catch (...) {
        return 1;
    }
}

} // namespace icemu::server
