// The limits of session_limits over beast::test::stream: each refusal reaches the surface that
// owns the request as a rejection, is logged as one warn line naming the limit and the peer, and
// ends the connection. (The answers as clients read them over TCP: test_limits.py.)
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/http/read.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "server/commit_gate.hpp"
#include "server/log.hpp"
#include "server/router.hpp"
#include "server/session.hpp"

namespace {

using namespace icemu::server;
using test_stream = beast::test::stream;
using std::chrono::milliseconds;

// One surface: answers 200 and records the rejections it renders, with its own name.
struct named_endpoint final : endpoint {
    explicit named_endpoint(std::string surface_name) : name(std::move(surface_name)) {}

    response handle(request const& req, call_info& info) override {
        ++handled;
        info.surface = name;
        response res{http::status::ok, req.version()};
        res.body() = std::string(req.target());
        return res;
    }

    response reject(request const& req, rejection why, call_info& info) override {
        rejections.push_back(why);
        info.surface = name;
        response res{status_of(why), req.version()};
        res.body() = name + ": " + std::string(describe(why));
        return res;
    }

    std::string name;
    int handled = 0;
    std::vector<rejection> rejections;
};

struct harness {
    net::io_context ioc;
    named_endpoint admin{"admin"};
    named_endpoint aws{"aws"};
    named_endpoint huawei{"huawei"};
    router routes{admin, aws, huawei};
    bool dirty = false;
    std::function<void()> commit = [] {};
    commit_gate gate{ioc.get_executor(), [this] { return dirty; },
                     [this] {
                         dirty = false;
                         commit();
                     }};
    std::FILE* sink = std::tmpfile();
    logger log{log_level::info, false, sink};
    session_limits limits{.max_body_bytes = 1024,
                          .idle_timeout = std::chrono::seconds(5),
                          .max_header_bytes = 1024,
                          .request_timeout = milliseconds(300),
                          .max_connections = 8};
    test_stream server{ioc};
    test_stream client{ioc};
    session_control ctl;
    bool ended = false;

    harness() { client.connect(server); }
    ~harness() {
        if (sink != nullptr)
            std::fclose(sink);
    }
    harness(harness const&) = delete;
    harness& operator=(harness const&) = delete;

    void spawn() {
        net::co_spawn(ioc, run_session(server, session_env{routes, gate, log, limits}, ctl),
                      [this](std::exception_ptr error) {
                          ended = true;
                          if (error)
                              std::rethrow_exception(error);
                      });
    }

    std::string logged() const {
        std::fflush(sink);
        std::rewind(sink);
        std::string text;
        char chunk[4096];
        for (std::size_t n; (n = std::fread(chunk, 1, sizeof chunk, sink)) > 0;)
            text.append(chunk, n);
        return text;
    }

    // The one response the client received.
    response answer() const {
        http::response_parser<http::string_body> parser;
        parser.eager(true);
        std::string const text = client.str();
        std::string_view rest = text;
        while (!parser.is_done()) {
            beast::error_code ec;
            std::size_t const used = parser.put(net::buffer(rest.data(), rest.size()), ec);
            REQUIRE(!ec);
            REQUIRE(used > 0);
            rest.remove_prefix(used);
        }
        CHECK(rest.empty());
        return parser.release();
    }

    std::vector<rejection> all_rejections() const {
        std::vector<rejection> out = admin.rejections;
        out.insert(out.end(), aws.rejections.begin(), aws.rejections.end());
        out.insert(out.end(), huawei.rejections.begin(), huawei.rejections.end());
        return out;
    }
};

bool contains(std::string const& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

// Writes `text` one byte every `gap`, until done or the stream fails.
net::awaitable<void> trickle(test_stream& client, std::string text, milliseconds gap,
                             bool const& stop) {
    net::steady_timer timer(co_await net::this_coro::executor);
    for (char const c : text) {
        if (stop)
            co_return;
        beast::error_code ec;
        client.write_some(net::buffer(&c, 1), ec);
        if (ec)
            co_return;
        timer.expires_after(gap);
        co_await timer.async_wait(net::use_awaitable);
    }
}

} // namespace

TEST_CASE("session answers headers over max_header_bytes with the owner's 431", "[server]") {
    harness h;
    h.spawn();
    SECTION("an AWS request, known by its X-Amz-Target before the header ended") {
        h.client.write_some(net::buffer(
            "POST / HTTP/1.1\r\nHost: t\r\nX-Amz-Target: SWBExternalService.ListInstances\r\n"
            "X-Pad: " +
            std::string(2000, 'a') + "\r\n\r\n{}"));
        h.client.close();
        h.ioc.run();
        CHECK(h.aws.rejections == std::vector<rejection>{rejection::header_too_large});
    }
    SECTION("a Huawei request, known by its /v1/ path") {
        h.client.write_some(net::buffer("GET /v1/instances?limit=1 HTTP/1.1\r\nHost: t\r\nX-Pad: " +
                                        std::string(2000, 'a') + "\r\n\r\n"));
        h.client.close();
        h.ioc.run();
        CHECK(h.huawei.rejections == std::vector<rejection>{rejection::header_too_large});
    }
    CHECK(h.all_rejections().size() == 1);
    auto const res = h.answer();
    CHECK(res.result() == http::status::request_header_fields_too_large);
    CHECK_FALSE(res.keep_alive());
    CHECK(h.aws.handled + h.huawei.handled + h.admin.handled == 0);
    std::string const log = h.logged();
    CHECK(contains(log,
                   R"(warn "limit reached" limit=limits.max_header_bytes value=1024 peer=test)"));
    CHECK(contains(log, "status=431"));
}

TEST_CASE("session accepts headers just under max_header_bytes", "[server]") {
    harness h;
    h.spawn();
    // Request line, Host and X-Pad together stay below 1024 bytes.
    h.client.write_some(net::buffer(
        "GET /v1/ok HTTP/1.1\r\nHost: t\r\nX-Pad: " + std::string(900, 'a') + "\r\n\r\n"));
    h.client.close();
    h.ioc.run();
    CHECK(h.answer().result() == http::status::ok);
    CHECK(h.huawei.handled == 1);
    CHECK(h.all_rejections().empty());
}

TEST_CASE("session answers a connection over max_connections 503 with Retry-After", "[server]") {
    harness h;
    h.ctl.over_limit = true;
    h.spawn();
    h.client.write_some(net::buffer(std::string("GET /v1/instances HTTP/1.1\r\nHost: t\r\n\r\n")));
    h.ioc.run(); // the session closes the connection itself
    auto const res = h.answer();
    CHECK(res.result() == http::status::service_unavailable);
    CHECK(res[http::field::retry_after] == "1");
    CHECK_FALSE(res.keep_alive());
    CHECK(h.huawei.rejections == std::vector<rejection>{rejection::too_many_connections});
    CHECK(h.huawei.handled == 0);
    CHECK(contains(h.logged(),
                   R"(warn "limit reached" limit=limits.max_connections value=8 peer=test)"));
}

TEST_CASE("a client sending a byte at a time is cut off at the request deadline", "[server]") {
    harness h;
    h.spawn();
    bool stop = false;
    // 40 ms a byte: every read makes progress, but the request would take seconds to arrive.
    std::string request = "POST / HTTP/1.1\r\nHost: t\r\nX-Amz-Target: SWBExternalService.X\r\n";
    for (int i = 0; i < 20; ++i)
        request += "X-Slow-" + std::to_string(i) + ": yes\r\n";
    net::co_spawn(h.ioc, trickle(h.client, request, milliseconds(40), stop), net::detached);
    auto const started = std::chrono::steady_clock::now();
    while (!h.ended && std::chrono::steady_clock::now() - started < std::chrono::seconds(10))
        h.ioc.run_one_for(milliseconds(50));
    auto const took = std::chrono::steady_clock::now() - started;
    stop = true;
    h.ioc.run();
    REQUIRE(h.ended);
    CHECK(took >= h.limits.request_timeout);
    CHECK(took < std::chrono::seconds(2)); // not renewed by each byte
    CHECK(h.all_rejections() == std::vector<rejection>{rejection::request_timeout});
    auto const res = h.answer();
    CHECK(res.result() == http::status::request_timeout);
    CHECK_FALSE(res.keep_alive());
    // Sketched from the part of the request line that came: a POST to / is AWS's.
    CHECK(res.body().starts_with("aws: "));
    std::string const log = h.logged();
    CHECK(contains(log,
                   R"(warn "limit reached" limit=limits.request_timeout_ms value=300 peer=test)"));
    CHECK(contains(log, "status=408"));
}

TEST_CASE("a request whose body stalls gets its surface's 408", "[server]") {
    harness h;
    h.spawn();
    h.client.write_some(
        net::buffer(std::string("POST / HTTP/1.1\r\nHost: t\r\nX-Amz-Target: SWBExternalService.X"
                                "\r\nContent-Length: 100\r\n\r\n{\"only\":1}")));
    auto const started = std::chrono::steady_clock::now();
    h.ioc.run(); // the deadline ends the session; the client never closes
    CHECK(std::chrono::steady_clock::now() - started >= h.limits.request_timeout);
    CHECK(h.aws.rejections == std::vector<rejection>{rejection::request_timeout});
    CHECK(h.aws.handled == 0);
    CHECK(h.answer().result() == http::status::request_timeout);
}

TEST_CASE("a header that stalls is answered in the dialect its raw lines name", "[server]") {
    harness h;
    h.spawn();
    // Once Beast has had to wait for more of a header it parses no further line until the
    // header's end: X-Amz-Target, which makes this GET an AWS request, is found in the raw bytes.
    h.client.write_some(net::buffer(std::string("GET /x HTTP/1.1\r\nHost: t\r\n")));
    h.ioc.poll();
    h.client.write_some(
        net::buffer(std::string("X-Amz-Target: SWBExternalService.ListInstances\r\nX-More: 1")));
    h.ioc.run();
    CHECK(h.aws.rejections == std::vector<rejection>{rejection::request_timeout});
    CHECK(h.huawei.rejections.empty());
    CHECK(h.answer().result() == http::status::request_timeout);
}

TEST_CASE("the request deadline starts at a request's first byte, not while idle", "[server]") {
    harness h;
    h.spawn();
    auto script = [&]() -> net::awaitable<void> {
        net::steady_timer timer(h.ioc);
        h.client.write_some(net::buffer(std::string("GET /v1/one HTTP/1.1\r\nHost: t\r\n\r\n")));
        // Idle between keep-alive requests for longer than the request deadline.
        timer.expires_after(h.limits.request_timeout + milliseconds(200));
        co_await timer.async_wait(net::use_awaitable);
        h.client.write_some(net::buffer(std::string("GET /v1/two HTTP/1.1\r\nHost: t\r\n\r\n")));
        h.client.close();
    };
    net::co_spawn(h.ioc, script(), net::detached);
    h.ioc.run();
    CHECK(h.huawei.handled == 2);
    CHECK(h.all_rejections().empty());
    CHECK(contains(h.client.str(), "\r\n\r\n/v1/one"));
    CHECK(contains(h.client.str(), "\r\n\r\n/v1/two"));
}

TEST_CASE("a failed commit answers with the rejection the commit names", "[server]") {
    harness h;
    h.commit = [] { throw commit_failure(rejection::store_full, "database or disk is full"); };
    h.spawn();
    h.dirty = true; // as if the handler had written
    h.client.write_some(
        net::buffer(std::string("POST /v1/write HTTP/1.1\r\nHost: t\r\n"
                                "Content-Length: 2\r\n\r\n{}")));
    h.client.close();
    h.ioc.run();
    CHECK(h.huawei.handled == 1);
    CHECK(h.huawei.rejections == std::vector<rejection>{rejection::store_full});
    auto const res = h.answer();
    CHECK(res.result() == http::status::internal_server_error);
    CHECK(res.body() == "huawei: " + std::string(describe(rejection::store_full)));
}

TEST_CASE("a request Beast cannot parse is answered 400 in its request line's dialect, then closed",
          "[server]") {
    harness h;
    h.spawn();
    std::vector<rejection> const malformed{rejection::malformed};
    SECTION("a bad request line: no dialect shows, so AWS answers") {
        h.client.write_some(net::buffer(std::string("THIS IS NOT HTTP\r\n\r\n")));
        h.client.close();
        h.ioc.run();
        CHECK(h.aws.rejections == malformed);
    }
    SECTION("a bad version on a /v1/ path: Huawei answers") {
        h.client.write_some(
            net::buffer(std::string("GET /v1/instances HTTP/9.9\r\nHost: t\r\n\r\n")));
        h.client.close();
        h.ioc.run();
        CHECK(h.huawei.rejections == malformed);
    }
    SECTION("a bad header field on an admin path: the admin API answers") {
        h.client.write_some(net::buffer(
            std::string("GET /_icemu/health HTTP/1.1\r\nHost: t\r\nBad Field: x\r\n\r\n")));
        h.client.close();
        h.ioc.run();
        CHECK(h.admin.rejections == malformed);
    }
    SECTION("bad chunking in an AWS body") {
        h.client.write_some(net::buffer(std::string(
            "POST / HTTP/1.1\r\nHost: t\r\nX-Amz-Target: SWBExternalService.ListInstances\r\n"
            "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")));
        h.client.close();
        h.ioc.run();
        CHECK(h.aws.rejections == malformed);
    }
    SECTION("a GET elsewhere that does not parse is AWS's too (a parsed one would be Huawei's)") {
        h.client.write_some(net::buffer(
            std::string("GET /other HTTP/1.1\r\nHost: t\r\nContent-Length: x\r\n\r\n")));
        h.client.close();
        h.ioc.run();
        CHECK(h.aws.rejections == malformed);
    }
    CHECK(h.all_rejections().size() == 1);
    CHECK(h.aws.handled + h.huawei.handled + h.admin.handled == 0);
    CHECK(h.ended);
    auto const res = h.answer();
    CHECK(res.result() == http::status::bad_request);
    CHECK_FALSE(res.keep_alive());
    std::string const log = h.logged();
    CHECK(contains(log, R"(warn "malformed request" error=)"));
    CHECK(contains(log, "status=400"));
}

TEST_CASE("a malformed request after a good one on the same connection: answer, then 400",
          "[server]") {
    harness h;
    h.spawn();
    h.client.write_some(
        net::buffer(std::string("GET /v1/ok HTTP/1.1\r\nHost: t\r\n\r\n"
                                "GET /v1/x HTTP/1.1\r\nHost t\r\n\r\n")));
    h.client.close();
    h.ioc.run();
    CHECK(h.huawei.handled == 1);
    CHECK(h.huawei.rejections == std::vector<rejection>{rejection::malformed});
    std::string const text = h.client.str();
    CHECK(contains(text, "HTTP/1.1 200 OK"));
    CHECK(contains(text, "HTTP/1.1 400 Bad Request"));
}
