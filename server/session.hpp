#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <functional>

#include "server/message.hpp"

namespace icemu::server {

namespace net = boost::asio;

class router;
class commit_gate;
class logger;
class metrics;
class journal;

/// The limits of the configuration's "limits" object. Each refusal is answered in the surface's
/// dialect (see `rejection`), logged as one warn line naming the limit and the peer, and closes
/// the connection.
struct session_limits {
    std::size_t max_body_bytes; // a larger body is answered 413
    /// Waiting for the next request on a keep-alive connection (closed silently after it), and
    /// writing each response.
    std::chrono::milliseconds idle_timeout;
    std::size_t max_header_bytes = 16 * 1024; // request line + headers; more: 431
    /// From a request's first byte to its last: however slowly the bytes come, a request that is
    /// not complete by then is answered 408.
    std::chrono::milliseconds request_timeout{10000};
    /// Server-wide (http_server): connections beyond it are answered 503.
    std::size_t max_connections = 1024;
};

/// What every session of a server shares. The referenced objects must outlive the sessions.
struct session_env {
    router const& routes;
    commit_gate& gate;
    logger& log;
    session_limits limits;
    metrics* stats = nullptr; // counts every answered request when set
    journal* calls = nullptr; // journals every call of a surface (not admin calls) when set
};

/// One connection's state as its server sees it, for a graceful stop. The session keeps
/// `idle` and `close` up to date; the server calls `stop()`.
struct session_control {
    bool idle = false;           // waiting for the first byte of the next request
    bool stop_requested = false; // end after the current response (sent with Connection: close)
    bool over_limit = false;     // beyond max_connections: answer the first request 503, close
    std::function<void()> close; // closes the stream; set by the session while it runs

    /// Ends the session: at once when idle, otherwise after its current response.
    void stop() {
        stop_requested = true;
        if (idle && close)
            close();
    }
};

/// Completes after `delay` on a steady_timer of `executor`: a fault rule's latency, spent while
/// the io_context serves the other connections.
net::awaitable<void> pause(net::any_io_executor executor, std::chrono::milliseconds delay);

/// Serves HTTP/1.1 requests on `stream` until the peer closes, a read fails or times out, a
/// response says `Connection: close`, a limit is hit (`env.limits`), or `ctl.stop()`. Each request
/// is answered through `env.routes`; when the gate has uncommitted changes the response waits for
/// their commit (a failed commit turns it into the surface's `rejection::internal_error` answer);
/// then it is written and logged. Expected I/O endings return normally; anything else throws.
/// `Stream` is `beast::tcp_stream` (session.cpp) or `beast::test::stream`
/// (session_test_stream.cpp, for unit tests). `stream` and `ctl` must outlive the coroutine.
template <class Stream>
net::awaitable<void> run_session(Stream& stream, session_env env, session_control& ctl);

} // namespace icemu::server
