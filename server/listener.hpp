#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "server/session.hpp"

namespace icemu::server {

/// The HTTP/1.1 server: accepts connections and runs one `run_session` coroutine per
/// connection on `ioc`. Single-threaded: every call must run on the io_context's thread (or
/// before it runs). `routes`, `gate` and `log` must outlive every session.
class http_server {
public:
    /// `stats`, when given, counts every answered request and must outlive every session.
    http_server(net::io_context& ioc, router const& routes, commit_gate& gate, logger& log,
                session_limits limits, metrics* stats = nullptr);
    /// Stops accepting and closes idle connections (as `stop` without a callback).
    ~http_server();
    http_server(http_server const&) = delete;
    http_server& operator=(http_server const&) = delete;

    /// Binds host:port with SO_REUSEADDR and listens; returns the bound port (port 0 picks
    /// one). May be called more than once for several addresses. Throws std::system_error
    /// whose what() names the address.
    std::uint16_t listen(std::string const& host, std::uint16_t port);

    /// Begins accepting on every address passed to `listen`.
    void start();

    /// Stops accepting, closes connections that are idle between requests, lets requests in
    /// flight finish and be written (with `Connection: close`), then posts `on_drained` once
    /// every session has ended. Safe to call again: each callback runs once, after the drain.
    void stop(std::function<void()> on_drained);

    /// Connections currently open.
    std::size_t session_count() const noexcept;

private:
    struct impl;
    std::shared_ptr<impl> impl_;
};

} // namespace icemu::server
