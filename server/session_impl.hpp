#pragma once

// The body of run_session, included only by the files that instantiate it (session.cpp,
// session_test_stream.cpp): everyone else links against those instantiations.

#include <algorithm>
#include <array>
#include <boost/asio/write.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <exception>
#include <string>

#include "server/commit_gate.hpp"
#include "server/log.hpp"
#include "server/metrics.hpp"
#include "server/router.hpp"
#include "server/session.hpp"

namespace icemu::server::detail {

// Bytes asked for by the read that waits for a new request (flat_buffer grows past it).
inline constexpr std::size_t read_chunk = 16 * 1024;
// After a 413, how long and how much of the rest of the body is read and discarded, so that
// closing does not reset the connection before the client has read the answer.
inline constexpr std::chrono::milliseconds drain_time{1000};
inline constexpr std::size_t drain_bytes = 16 * 1024 * 1024;

template <class Stream>
void expire_after(Stream& stream, std::chrono::milliseconds timeout) {
    if constexpr (requires { stream.expires_after(timeout); })
        stream.expires_after(timeout);
}

// Sends FIN when the stream is a socket; a test stream has no half-close.
template <class Stream>
void shutdown_send(Stream& stream) {
    if constexpr (requires { stream.socket(); }) {
        beast::error_code ignored;
        stream.socket().shutdown(Stream::protocol_type::socket::shutdown_send, ignored);
    }
}

template <class Stream>
net::awaitable<void> drain(Stream& stream, beast::flat_buffer& buffer) {
    expire_after(stream, drain_time);
    std::size_t total = 0;
    while (total < drain_bytes) {
        buffer.consume(buffer.size());
        auto [ec, n] = co_await stream.async_read_some(buffer.prepare(read_chunk),
                                                       net::as_tuple(net::use_awaitable));
        if (ec)
            break;
        total += n;
    }
}

// Clears the session's close hook when the coroutine ends or its frame is destroyed.
struct close_hook {
    session_control& ctl;
    ~close_hook() {
        ctl.close = nullptr;
        ctl.idle = false;
    }
};

// The status line and header fields of `res`, as Beast's serializer writes them, into `out`
// (reused for the connection's life). The body then goes out as a second buffer of the same
// gathered write: one sendmsg, no copy of the body and none of the serializer's per-buffer
// iteration (about a quarter of a Describe's instructions under callgrind).
inline void write_head(response const& res, std::string& out) {
    out.clear();
    out.append(res.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
    char code[4] = {static_cast<char>('0' + res.result_int() / 100 % 10),
                    static_cast<char>('0' + res.result_int() / 10 % 10),
                    static_cast<char>('0' + res.result_int() % 10), ' '};
    out.append(code, sizeof code);
    auto const reason = res.reason();
    out.append(reason.data(), reason.size());
    out.append("\r\n");
    for (auto const& field : res) {
        auto const name = field.name_string();
        auto const value = field.value();
        out.append(name.data(), name.size()).append(": ").append(value.data(), value.size());
        out.append("\r\n");
    }
    out.append("\r\n");
}

inline std::string describe(std::exception_ptr const& error) {
    try {
        std::rethrow_exception(error);
    } catch (std::exception const& e) {
        return e.what();
    } catch (...) {
        return "unknown exception";
    }
}

} // namespace icemu::server::detail

// g++ 12 reports a false -Wmismatched-new-delete on asio's awaitable frames once it inlines
// them into this large coroutine (GCC bug 109224): asio allocates and frees each frame with its
// own matching pair.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace icemu::server {

template <class Stream>
net::awaitable<void> run_session(Stream& stream, session_env env, session_control& ctl) {
    ctl.close = [&stream] { stream.close(); };
    detail::close_hook const hook{ctl};

    // One buffer for the whole keep-alive connection: requests after the first allocate nothing.
    beast::flat_buffer buffer;
    std::string head; // the response's status line and fields, reused likewise
    for (;;) {
        if (ctl.stop_requested)
            break;
        detail::expire_after(stream, env.limits.idle_timeout);
        if (buffer.size() == 0) {
            // Wait for the first byte separately: until it arrives the session is idle, and a
            // graceful stop may close it without losing a request.
            ctl.idle = true;
            auto [ec, n] = co_await stream.async_read_some(buffer.prepare(detail::read_chunk),
                                                           net::as_tuple(net::use_awaitable));
            ctl.idle = false;
            if (ec)
                break;
            buffer.commit(n);
        }

        http::request_parser<http::string_body> parser;
        parser.body_limit(env.limits.max_body_bytes);
        // Peer close, timeout and malformed requests are normal endings, not exceptions.
        auto [ec, n] =
            co_await http::async_read(stream, buffer, parser, net::as_tuple(net::use_awaitable));
        bool const too_large = ec == http::error::body_limit;
        if (ec && !too_large)
            break;

        auto const started = std::chrono::steady_clock::now();
        request& req = parser.get();
        call_info info;
        // Copies of the handler's names for a response replaced after a failed commit: `info`
        // may point into the response it replaces. Empty (no allocation) on the normal path.
        std::string handled_surface;
        std::string handled_operation;
        response res;
        bool keep_alive = false;
        if (too_large) {
            res = env.routes.route(req).reject(req, rejection::body_too_large, info);
        } else {
            res = env.routes.dispatch(req, info);
            keep_alive = req.keep_alive();
            std::exception_ptr failure;
            if (env.gate.pending()) {
                try {
                    co_await env.gate.wait();
                } catch (...) {
                    failure = std::current_exception();
                }
            }
            if (failure) {
                env.log.event(
                    log_level::error, "commit failed",
                    {{"error", detail::describe(failure)}, {"request_id", info.request_id}});
                handled_surface = info.surface;
                handled_operation = info.operation;
                info = call_info{.surface = handled_surface, .operation = handled_operation};
                res = env.routes.route(req).reject(req, rejection::internal_error, info);
            }
        }
        if (ctl.stop_requested)
            keep_alive = false;
        res.version(req.version());
        res.keep_alive(keep_alive);
        if (!res.has_content_length() && !res.chunked())
            res.prepare_payload();

        if (info.delay.count() > 0)
            co_await pause(stream.get_executor(), info.delay);

        detail::expire_after(stream, env.limits.idle_timeout);
        beast::error_code write_ec;
        if (res.chunked()) { // never on icemu's own answers, which all carry Content-Length
            auto [ec_chunked, n_chunked] =
                co_await http::async_write(stream, res, net::as_tuple(net::use_awaitable));
            write_ec = ec_chunked;
        } else {
            detail::write_head(res, head);
            std::array<net::const_buffer, 2> const parts{net::buffer(head),
                                                         net::buffer(res.body())};
            auto [ec_plain, n_plain] =
                co_await net::async_write(stream, parts, net::as_tuple(net::use_awaitable));
            write_ec = ec_plain;
        }
        auto const took = std::chrono::steady_clock::now() - started;
        if (env.stats != nullptr)
            env.stats->record(info, res.result_int(), took);
        if (env.log.enabled(log_level::info))
            env.log.request(req.method_string(), req.target(), info, res.result_int(), took);
        if (write_ec)
            co_return;
        if (too_large) {
            detail::shutdown_send(stream);
            co_await detail::drain(stream, buffer);
            co_return;
        }
        if (!keep_alive)
            break;
    }
    detail::shutdown_send(stream);
}

} // namespace icemu::server

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
