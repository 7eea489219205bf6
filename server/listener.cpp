#include "server/listener.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <exception>
#include <limits>
#include <list>
#include <system_error>
#include <utility>
#include <vector>

#include "server/log.hpp"

namespace icemu::server {
namespace {

using tcp = net::ip::tcp;

// After a failed accept (e.g. EMFILE) the loop pauses so it does not spin on the error.
constexpr std::chrono::milliseconds accept_backoff{100};

std::string describe(std::exception_ptr const& error) {
    try {
        std::rethrow_exception(error);
    } catch (std::exception const& e) {
        return e.what();
    } catch (...) {
        return "unknown exception";
    }
}

} // namespace

struct http_server::impl : std::enable_shared_from_this<impl> {
    impl(net::io_context& io, router const& routes, commit_gate& gate, logger& l,
         session_limits limits, metrics* stats, journal* calls)
        : ioc(io), env{routes, gate, l, limits, stats, calls} {}

    net::io_context& ioc;
    session_env env;
    std::list<tcp::acceptor> acceptors;
    std::list<std::shared_ptr<session_control>> sessions;
    std::size_t refusing = 0; // sessions with over_limit set (counted in `sessions` too)
    std::vector<std::function<void()>> on_drained;
    bool started = false;
    bool stopping = false;

    net::awaitable<void> accept_loop(tcp::acceptor& acceptor) {
        net::steady_timer backoff(ioc);
        while (!stopping) {
            auto [ec, socket] = co_await acceptor.async_accept(net::as_tuple(net::use_awaitable));
            if (stopping || ec == net::error::operation_aborted)
                co_return;
            if (ec) {
                env.log.event(log_level::warn, "accept failed", {{"error", ec.message()}});
                backoff.expires_after(accept_backoff);
                co_await backoff.async_wait(net::as_tuple(net::use_awaitable));
                continue;
            }
            beast::error_code ignored;
            socket.set_option(tcp::no_delay(true), ignored); // responses are one small write
            bool const over_limit = sessions.size() - refusing >= env.limits.max_connections;
            if (over_limit && refusing >= max_refused_connections) {
                refuse_at_once(socket);
                continue;
            }
            spawn_session(std::move(socket), over_limit);
        }
    }

    void launch(tcp::acceptor& acceptor) {
        net::co_spawn(ioc, accept_loop(acceptor),
                      [self = shared_from_this()](std::exception_ptr e) {
                          if (e)
                              self->env.log.event(log_level::error, "accept loop ended",
                                                  {{"error", describe(e)}});
                      });
    }

    // Past the connections that get a 503: closed unanswered, but logged like the others.
    void refuse_at_once(tcp::socket& socket) {
        if (env.log.enabled(log_level::warn)) {
            beast::error_code ec;
            auto const peer = socket.remote_endpoint(ec);
            env.log.event(
                log_level::warn, "limit reached; connection closed unanswered",
                {{"limit", "limits.max_connections"},
                 {"value", std::to_string(env.limits.max_connections)},
                 {"peer", ec ? std::string("unknown")
                             : peer.address().to_string() + ":" + std::to_string(peer.port())}});
        }
        beast::error_code ignored;
        socket.close(ignored);
    }

    void spawn_session(tcp::socket socket, bool over_limit) {
        auto ctl = std::make_shared<session_control>();
        ctl->over_limit = over_limit;
        if (over_limit)
            ++refusing;
        auto const it = sessions.insert(sessions.end(), ctl);
        net::co_spawn(ioc, serve(std::move(socket), ctl),
                      [self = shared_from_this(), it, over_limit](std::exception_ptr error) {
                          if (error)
                              self->env.log.event(log_level::error, "connection dropped",
                                                  {{"error", describe(error)}});
                          if (over_limit)
                              --self->refusing;
                          self->sessions.erase(it);
                          self->check_drained();
                      });
    }

    net::awaitable<void> serve(tcp::socket socket, std::shared_ptr<session_control> ctl) {
        beast::tcp_stream stream(std::move(socket));
        co_await run_session(stream, env, *ctl);
    }

    void stop(std::function<void()> callback) {
        stopping = true;
        for (tcp::acceptor& acceptor : acceptors) {
            beast::error_code ignored;
            acceptor.close(ignored);
        }
        if (callback)
            on_drained.push_back(std::move(callback));
        for (auto const& ctl : sessions)
            ctl->stop();
        check_drained();
    }

    void check_drained() {
        if (!stopping || !sessions.empty() || on_drained.empty())
            return;
        // Posted, never called from inside stop(): the caller may still be on its own stack.
        for (auto& callback : std::exchange(on_drained, {}))
            net::post(ioc, std::move(callback));
    }
};

http_server::http_server(net::io_context& ioc, router const& routes, commit_gate& gate, logger& log,
                         session_limits limits, metrics* stats, journal* calls)
    : impl_(std::make_shared<impl>(ioc, routes, gate, log, limits, stats, calls)) {}

http_server::~http_server() {
    impl_->stop({});
}

std::uint16_t http_server::listen(std::string const& host, std::uint16_t port) {
    std::string const name = host + ":" + std::to_string(port);
    std::string bare = host;
    if (bare.size() > 2 && bare.front() == '[' && bare.back() == ']')
        bare = bare.substr(1, bare.size() - 2);

    beast::error_code ec;
    tcp::endpoint endpoint;
    net::ip::address const address = net::ip::make_address(bare, ec);
    if (!ec) {
        endpoint = tcp::endpoint(address, port);
    } else {
        tcp::resolver resolver(impl_->ioc);
        auto const results =
            resolver.resolve(bare, std::to_string(port),
                             tcp::resolver::passive | tcp::resolver::numeric_service, ec);
        if (ec)
            throw std::system_error(ec, "cannot resolve listen address " + name);
        if (results.empty())
            throw std::system_error(std::make_error_code(std::errc::address_not_available),
                                    "cannot resolve listen address " + name);
        endpoint = results.begin()->endpoint();
    }

    tcp::acceptor acceptor(impl_->ioc);
    auto check = [&name](beast::error_code const& e, char const* step) {
        if (e)
            throw std::system_error(e, std::string("cannot listen on ") + name + " (" + step + ")");
    };
    acceptor.open(endpoint.protocol(), ec);
    check(ec, "open");
    acceptor.set_option(net::socket_base::reuse_address(true), ec);
    check(ec, "SO_REUSEADDR");
    if (endpoint.address().is_v6() && endpoint.address().is_unspecified())
        acceptor.set_option(net::ip::v6_only(false), ec); // "::" takes IPv4 too where it can
    acceptor.bind(endpoint, ec);
    check(ec, "bind");
    acceptor.listen(net::socket_base::max_listen_connections, ec);
    check(ec, "listen");
    std::uint16_t const bound = acceptor.local_endpoint().port();
    tcp::acceptor& stored = impl_->acceptors.emplace_back(std::move(acceptor));
    if (impl_->started && !impl_->stopping)
        impl_->launch(stored);
    return bound;
}

void http_server::start() {
    if (impl_->started || impl_->stopping)
        return;
    impl_->started = true;
    for (tcp::acceptor& acceptor : impl_->acceptors)
        impl_->launch(acceptor);
}

void http_server::stop(std::function<void()> on_drained) {
    impl_->stop(std::move(on_drained));
}

std::size_t http_server::session_count() const noexcept {
    return impl_->sessions.size();
}

std::uint64_t raise_open_files_limit(std::uint64_t wanted) noexcept {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return 0;
    if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < wanted) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max == RLIM_INFINITY
                              ? static_cast<rlim_t>(wanted)
                              : std::min(static_cast<rlim_t>(wanted), limit.rlim_max);
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0)
            limit = raised;
    }
    return limit.rlim_cur == RLIM_INFINITY ? std::numeric_limits<std::uint64_t>::max()
                                           : static_cast<std::uint64_t>(limit.rlim_cur);
}

} // namespace icemu::server
