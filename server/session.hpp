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

/// Per-connection limits, from the configuration.
struct session_limits {
    std::size_t max_body_bytes; // a larger body is answered 413 and the connection closed
    std::chrono::milliseconds idle_timeout; // for each read and each write
};

/// What every session of a server shares. The referenced objects must outlive the sessions.
struct session_env {
    router const& routes;
    commit_gate& gate;
    logger& log;
    session_limits limits;
    metrics* stats = nullptr; // counts every answered request when set
};

/// One connection's state as its server sees it, for a graceful stop. The session keeps
/// `idle` and `close` up to date; the server calls `stop()`.
struct session_control {
    bool idle = false;           // waiting for the first byte of the next request
    bool stop_requested = false; // end after the current response (sent with Connection: close)
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
/// response says `Connection: close`, or `ctl.stop()`. Each request is answered through
/// `env.routes`; when the gate has uncommitted changes the response waits for their commit (a
/// failed commit turns it into the surface's `rejection::internal_error` answer); then it is
/// written and logged. Expected I/O endings return normally; anything else throws.
/// `Stream` is `beast::tcp_stream` (session.cpp) or `beast::test::stream`
/// (session_test_stream.cpp, for unit tests). `stream` and `ctl` must outlive the coroutine.
template <class Stream>
net::awaitable<void> run_session(Stream& stream, session_env env, session_control& ctl);

} // namespace icemu::server
