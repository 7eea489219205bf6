#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "server/session.hpp"

namespace icemu::server {

/// Connections beyond limits.max_connections that are still read and answered 503; past these a
/// new connection is closed at once (the refusals must not cost unbounded resources either).
inline constexpr std::size_t max_refused_connections = 64;

/// The HTTP/1.1 server: accepts connections and runs one `run_session` coroutine per
/// connection on `ioc`. Beyond `limits.max_connections` open connections, up to
/// `max_refused_connections` more are read and answered 503 (see session_control::over_limit);
/// further ones are closed at once.
/// Single-threaded: every call must run on the io_context's thread (or before it runs). `routes`,
/// `gate` and `log` must outlive every session.
class http_server {
public:
    /// `stats`, when given, counts every answered request, and `calls` journals every call of a
    /// surface; both must outlive every session.
    http_server(net::io_context& ioc, router const& routes, commit_gate& gate, logger& log,
                session_limits limits, metrics* stats = nullptr, journal* calls = nullptr);
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

/// Raises the soft limit of open files (RLIMIT_NOFILE) to `wanted` when it is lower, as far as
/// the hard limit allows, so that limits.max_connections is reachable. Returns the soft limit
/// that applies (0 when it cannot be read).
std::uint64_t raise_open_files_limit(std::uint64_t wanted) noexcept;

} // namespace icemu::server
