#pragma once

// The body of run_session, included only by the files that instantiate it (session.cpp,
// session_test_stream.cpp): everyone else links against those instantiations.

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_suffix.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>

#include "server/commit_gate.hpp"
#include "server/journal.hpp"
#include "server/log.hpp"
#include "server/metrics.hpp"
#include "server/router.hpp"
#include "server/session.hpp"

namespace icemu::server::detail {

// Bytes asked for by the read that waits for a new request (flat_buffer grows past it).
inline constexpr std::size_t read_chunk = 16 * 1024;
// After a refusal, how long and how much of the rest of the request is read and discarded, so
// that closing does not reset the connection before the client has read the answer.
inline constexpr std::chrono::milliseconds drain_time{1000};
inline constexpr std::size_t drain_bytes = 16 * 1024 * 1024;
// The stream's own timer closes the connection this long after a request's deadline, should
// cancelling the read not end it.
inline constexpr std::chrono::milliseconds deadline_grace{2000};

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

// Ends the reads in progress without closing a socket, so that an answer can still be written.
// A test stream cannot cancel a read: it ends it as if the client had closed, and stays writable.
template <class Stream>
void cancel_reads(Stream& stream) {
    if constexpr (requires { stream.socket(); }) {
        beast::error_code ignored;
        stream.socket().cancel(ignored);
    } else {
        stream.close_remote();
    }
}

// "address:port" of the client, for the log.
template <class Stream>
std::string peer_of(Stream& stream) {
    if constexpr (requires { stream.socket(); }) {
        beast::error_code ec;
        auto const endpoint = stream.socket().remote_endpoint(ec);
        if (ec)
            return "unknown";
        std::string const address = endpoint.address().to_string();
        return (endpoint.address().is_v6() ? "[" + address + "]" : address) + ":" +
               std::to_string(endpoint.port());
    } else {
        return "test";
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

enum class read_result { complete, closed, header_too_large, body_too_large, timed_out, malformed };

// Shared by a request read and its deadline timer's handler, which may run after the read.
struct deadline_state {
    bool armed = true; // the read is still in progress: the stream may be touched
    bool fired = false;
};

// The ending a parse error gives a read: a limit crossed, or a malformed request (whose error
// goes to `parse_error`); nothing for any other error.
inline std::optional<read_result> ending_of_parse_error(beast::error_code const& ec,
                                                        beast::error_code& parse_error) {
    if (ec == http::error::header_limit)
        return read_result::header_too_large;
    if (ec == http::error::body_limit)
        return read_result::body_too_large;
    if (server::is_malformed(ec)) {
        parse_error = ec;
        return read_result::malformed;
    }
    return std::nullopt;
}

// Parses what `buffer` holds: complete when it held the whole request, the same ending as
// read_request's reads give for an error, and nothing when more must be read.
inline std::optional<read_result> parse_buffered(beast::flat_buffer& buffer,
                                                 http::request_parser<http::string_body>& parser,
                                                 beast::error_code& parse_error) {
    while (buffer.size() > 0) {
        beast::error_code ec;
        auto const used = parser.put(buffer.data(), ec);
        buffer.consume(used);
        if (ec == http::error::need_more)
            return std::nullopt;
        if (auto const ending = ending_of_parse_error(ec, parse_error))
            return ending;
        if (ec) // as below: a normal ending
            return read_result::closed;
        if (parser.is_done())
            return read_result::complete;
        if (used == 0)
            return std::nullopt;
    }
    return std::nullopt;
}

// Reads one request into `parser`, which must be complete `timeout` after the call: the
// deadline is fixed, not renewed by each byte, so a client sending a byte a second is cut off
// like one that stalls.
template <class Stream>
net::awaitable<read_result> read_request(Stream& stream, beast::flat_buffer& buffer,
                                         http::request_parser<http::string_body>& parser,
                                         std::chrono::milliseconds timeout,
                                         beast::error_code& parse_error) {
    // The bytes the last read brought mostly hold the whole request: parsed here, it needs no
    // asynchronous read (whose completion is posted) and no deadline timer to arm and cancel.
    if (auto const done = parse_buffered(buffer, parser, parse_error))
        co_return *done;
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    // beast's stream timer would close the socket, leaving no way to answer 408: it only backs
    // up the timer below, which cancels the read instead.
    expire_after(stream, timeout + deadline_grace);
    auto const state = std::make_shared<deadline_state>();
    net::steady_timer timer(stream.get_executor(), deadline);
    timer.async_wait([state, &stream](beast::error_code ec) {
        if (ec || !state->armed)
            return;
        state->fired = true;
        cancel_reads(stream);
    });
    struct disarm {
        deadline_state& s;
        ~disarm() { s.armed = false; }
    } const guard{*state};

    for (;;) {
        auto [ec, n] = co_await http::async_read_some(stream, buffer, parser,
                                                      net::as_tuple(net::use_awaitable));
        if (auto const ending = ending_of_parse_error(ec, parse_error))
            co_return *ending;
        if (!ec && parser.is_done())
            co_return read_result::complete;
        if (state->fired || std::chrono::steady_clock::now() >= deadline)
            co_return read_result::timed_out;
        if (ec) // peer closed, malformed request: a normal ending
            co_return read_result::closed;
    }
}

inline std::optional<rejection> refusal_of(read_result got) noexcept {
    switch (got) {
    case read_result::header_too_large: return rejection::header_too_large;
    case read_result::body_too_large: return rejection::body_too_large;
    case read_result::timed_out: return rejection::request_timeout;
    case read_result::malformed: return rejection::malformed;
    case read_result::complete:
    case read_result::closed: break;
    }
    return std::nullopt;
}

// Beast fills the message line by line as a header arrives, but once it has had to wait for
// more it parses nothing until the header's end. The raw bytes it has not parsed yet (the
// buffer) tell the rest of what the router needs to pick the surface whose dialect answers.

// The request line, when Beast had not parsed it yet: the method, and as much of the target as
// came.
inline void sketch_request_line(std::string_view raw, request& req) {
    std::string_view const line = raw.substr(0, raw.find("\r\n"));
    auto const method_end = line.find(' ');
    if (method_end == std::string_view::npos)
        return;
    if (auto const verb = http::string_to_verb(line.substr(0, method_end));
        verb != http::verb::unknown)
        req.method(verb);
    std::string_view const target = line.substr(method_end + 1);
    req.target(target.substr(0, target.find(' ')));
}

// The value of a whole `X-Amz-Target:` line among the raw bytes, if one came.
inline std::optional<std::string_view> raw_amz_target(std::string_view raw) {
    constexpr std::string_view name = "x-amz-target:";
    for (std::size_t at = 0; at < raw.size();) {
        auto const end = raw.find("\r\n", at);
        if (end == std::string_view::npos)
            break;
        std::string_view line = raw.substr(at, end - at);
        at = end + 2;
        if (line.size() < name.size())
            continue;
        bool same = true;
        for (std::size_t i = 0; i < name.size() && same; ++i) {
            char c = line[i];
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c - 'A' + 'a');
            same = c == name[i];
        }
        if (!same)
            continue;
        line.remove_prefix(name.size());
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
            line.remove_prefix(1);
        return line;
    }
    return std::nullopt;
}

// Completes a request whose header never ended with what its raw bytes tell.
inline void sketch_request(std::string_view raw, request& req) {
    if (req.method() == http::verb::unknown && req.target().empty())
        sketch_request_line(raw, req);
    if (req.find("X-Amz-Target") == req.end())
        if (auto const target = raw_amz_target(raw))
            req.set("X-Amz-Target", *target);
}

// The setting a rejection enforces and its value, for the warn line.
inline std::pair<std::string_view, std::string> limit_of(rejection why,
                                                         session_limits const& limits) {
    switch (why) {
    case rejection::body_too_large:
        return {"limits.max_body_bytes", std::to_string(limits.max_body_bytes)};
    case rejection::header_too_large:
        return {"limits.max_header_bytes", std::to_string(limits.max_header_bytes)};
    case rejection::request_timeout:
        return {"limits.request_timeout_ms", std::to_string(limits.request_timeout.count())};
    case rejection::too_many_connections:
        return {"limits.max_connections", std::to_string(limits.max_connections)};
    case rejection::internal_error:
    case rejection::store_full:
    case rejection::store_read_only:
    case rejection::malformed: break;
    }
    return {"-", "-"};
}

template <class Stream>
void log_refusal(logger& log, Stream& stream, rejection why, session_limits const& limits,
                 beast::error_code const& parse_error) {
    if (!log.enabled(log_level::warn))
        return;
    if (why == rejection::malformed) {
        log.event(log_level::warn, "malformed request",
                  {{"error", parse_error.message()}, {"peer", peer_of(stream)}});
        return;
    }
    auto const [name, value] = limit_of(why, limits);
    log.event(log_level::warn, "limit reached",
              {{"limit", name}, {"value", value}, {"peer", peer_of(stream)}});
}

// The rejection that answers a request whose changes a failed commit lost.
inline rejection rejection_of(std::exception_ptr const& error) {
    try {
        std::rethrow_exception(error);
    } catch (commit_failure const& e) {
        return e.why();
    } catch (...) {
        return rejection::internal_error;
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

// Closes a connection that has waited for its next request longer than its idle timeout, with
// one timer wait per timeout instead of a timer armed and cancelled around every request: the
// session only notes when its current wait would be too long; the timer, when it fires before
// that, sleeps again until then. Only for sockets (see wait_for_request).
class idle_watch {
public:
    idle_watch(net::any_io_executor ex, std::function<void()> close)
        : state_(std::make_shared<state>(std::move(ex), std::move(close))) {}
    ~idle_watch() {
        state_->done = true; // a completion already queued does nothing
        state_->timer.cancel();
    }
    idle_watch(idle_watch const&) = delete;
    idle_watch& operator=(idle_watch const&) = delete;

    /// The session waits for a request from now on, at most `timeout`.
    void begin(std::chrono::milliseconds timeout) {
        state_->idle = true;
        state_->until = std::chrono::steady_clock::now() + timeout;
        if (!state_->armed)
            arm(state_);
    }
    /// A request has begun to arrive.
    void end() noexcept { state_->idle = false; }

private:
    struct state {
        state(net::any_io_executor ex, std::function<void()> close_fn)
            : timer(std::move(ex)), close(std::move(close_fn)) {}
        net::steady_timer timer;
        std::function<void()> close;
        std::chrono::steady_clock::time_point until;
        bool idle = false;
        bool armed = false;
        bool done = false;
    };

    static void arm(std::shared_ptr<state> const& s) {
        s->armed = true;
        s->timer.expires_at(s->until);
        s->timer.async_wait([s](beast::error_code) {
            s->armed = false;
            if (s->done || !s->idle)
                return; // the next wait arms it again
            if (std::chrono::steady_clock::now() >= s->until) {
                s->close();
                return;
            }
            arm(s); // idle since later than the wait it was armed for
        });
    }

    std::shared_ptr<state> state_;
};

// Waits for the first bytes of the next request on a socket, without beast::tcp_stream's timer
// around the read (idle_watch keeps the timeout): readiness first, then one non-blocking read.
// Either way a wait costs one system call besides the read that brings the bytes: asio re-arms
// the descriptor for a readiness wait (epoll_ctl), where its asynchronous read would first try a
// read that finds nothing. False when the connection ended (closed by the peer, by a stop or by
// the idle watch).
template <class Socket>
net::awaitable<bool> wait_for_request(Socket& socket, beast::flat_buffer& buffer) {
    for (;;) {
        auto [waited] =
            co_await socket.async_wait(Socket::wait_read, net::as_tuple(net::use_awaitable));
        if (waited)
            co_return false;
        beast::error_code ec;
        auto const n = socket.read_some(buffer.prepare(read_chunk), ec);
        if (ec == net::error::would_block || ec == net::error::try_again)
            continue;
        if (ec)
            co_return false;
        buffer.commit(n);
        co_return true;
    }
}

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
    // A connection beyond the limit is there only to be told so: it may not hold one of the few
    // refusal slots for a whole idle timeout.
    auto const idle_timeout = ctl.over_limit
                                  ? std::min(env.limits.idle_timeout, env.limits.request_timeout)
                                  : env.limits.idle_timeout;
    constexpr bool on_socket = requires {
        stream.socket();
    };
    std::optional<detail::idle_watch> watch;
    if constexpr (on_socket) {
        watch.emplace(stream.get_executor(), [&stream] { stream.close(); });
        // Reads and writes are tried at once and waited for only when they cannot proceed.
        beast::error_code ignored;
        stream.socket().non_blocking(true, ignored);
    }
    for (;;) {
        if (ctl.stop_requested)
            break;
        if (buffer.size() == 0) {
            // Wait for the first byte separately: until it arrives the session is idle, and a
            // graceful stop may close it without losing a request. An idle connection that times
            // out is closed without an answer, as every HTTP server does.
            ctl.idle = true;
            bool got = false;
            if constexpr (on_socket) {
                watch->begin(idle_timeout);
                got = co_await detail::wait_for_request(stream.socket(), buffer);
                watch->end();
            } else {
                detail::expire_after(stream, idle_timeout);
                auto [ec, n] = co_await stream.async_read_some(buffer.prepare(detail::read_chunk),
                                                               net::as_tuple(net::use_awaitable));
                if (!ec)
                    buffer.commit(n);
                got = !ec;
            }
            ctl.idle = false;
            if (!got)
                break;
        }

        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(
            env.limits.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
        parser.body_limit(env.limits.max_body_bytes);
        beast::error_code parse_error;
        auto const got = co_await detail::read_request(stream, buffer, parser,
                                                       env.limits.request_timeout, parse_error);
        if (got == detail::read_result::closed)
            break;

        auto const started = std::chrono::steady_clock::now();
        std::optional<rejection> refused = detail::refusal_of(got);
        if (!refused && ctl.over_limit)
            refused = rejection::too_many_connections;
        request& req = parser.get();
        if (refused && !parser.is_header_done())
            detail::sketch_request(std::string_view(static_cast<char const*>(buffer.data().data()),
                                                    buffer.data().size()),
                                   req);
        call_info info;
        // Copies of the handler's names for a response replaced after a failed commit: `info`
        // may point into the response it replaces. Empty (no allocation) on the normal path.
        std::string handled_surface;
        std::string handled_operation;
        response res;
        bool keep_alive = false;
        if (refused) {
            // A request that did not parse is answered in the dialect its request line shows.
            auto& owner = *refused == rejection::malformed ? env.routes.route_malformed(req)
                                                           : env.routes.route(req);
            res = owner.reject(req, *refused, info);
            detail::log_refusal(env.log, stream, *refused, env.limits, parse_error);
            if (*refused == rejection::too_many_connections)
                res.set(http::field::retry_after, "1");
        } else {
            env.gate.before_dispatch();
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
                res = env.routes.route(req).reject(req, detail::rejection_of(failure), info);
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

        beast::error_code write_ec;
        if (res.chunked()) { // never on icemu's own answers, which all carry Content-Length
            detail::expire_after(stream, env.limits.idle_timeout);
            auto [ec_chunked, n_chunked] =
                co_await http::async_write(stream, res, net::as_tuple(net::use_awaitable));
            write_ec = ec_chunked;
        } else {
            detail::write_head(res, head);
            std::array<net::const_buffer, 2> const parts{net::buffer(head),
                                                         net::buffer(res.body())};
            // A socket takes a small answer at once: one gathered send, and the asynchronous
            // write (with its timeout) only for what it did not take.
            std::size_t sent = 0;
            if constexpr (on_socket) {
                sent = stream.socket().write_some(parts, write_ec);
                if (write_ec == net::error::would_block || write_ec == net::error::try_again)
                    write_ec = {};
            }
            if (!write_ec && sent < net::buffer_size(parts)) {
                beast::buffers_suffix<std::array<net::const_buffer, 2>> rest(parts);
                rest.consume(sent);
                detail::expire_after(stream, env.limits.idle_timeout);
                auto [ec_plain, n_plain] =
                    co_await net::async_write(stream, rest, net::as_tuple(net::use_awaitable));
                write_ec = ec_plain;
            }
        }
        auto const took = std::chrono::steady_clock::now() - started;
        if (env.stats != nullptr)
            env.stats->record(info, res.result_int(), took);
        if (env.calls != nullptr && info.surface != "admin" && env.calls->enabled())
            env.calls->record(req, res, info, took);
        if (env.log.enabled(log_level::info))
            env.log.request(req.method_string(), req.target(), info, res.result_int(), took);
        if (write_ec)
            co_return;
        if (refused && *refused != rejection::too_many_connections) {
            // The rest of the request may still be on its way: read it away before closing.
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
