#include "server/session.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <catch2/catch.hpp>
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "server/commit_gate.hpp"
#include "server/log.hpp"
#include "server/router.hpp"

namespace {

using namespace icemu::server;
using test_stream = beast::test::stream;

// One endpoint for every surface: answers "<target>" with 200, and records rejections.
struct fake_endpoint final : endpoint {
    response handle(request const& req, call_info& info) override {
        ++handled;
        if (on_handle)
            on_handle(req);
        response res{http::status::ok, req.version()};
        res.set("x-request-id", "req-" + std::to_string(handled));
        info.surface = "fake";
        info.operation = "Echo";
        info.request_id = res["x-request-id"];
        res.body() = std::string(req.target());
        return res;
    }

    response reject(request const& req, rejection why, call_info& info) override {
        rejections.push_back(why);
        info.surface = "fake";
        response res{why == rejection::body_too_large ? http::status::payload_too_large
                                                      : http::status::internal_server_error,
                     req.version()};
        res.body() = why == rejection::body_too_large ? "too large" : "internal";
        return res;
    }

    int handled = 0;
    std::vector<rejection> rejections;
    std::function<void(request const&)> on_handle;
};

struct harness {
    net::io_context ioc;
    fake_endpoint surface;
    router routes{surface, surface, surface};
    bool dirty = false;
    int commits = 0;
    bool fail_commit = false;
    std::function<void()> on_commit;
    commit_gate gate{ioc.get_executor(), [this] { return dirty; },
                     [this] {
                         ++commits;
                         dirty = false;
                         if (on_commit)
                             on_commit();
                         if (fail_commit)
                             throw std::runtime_error("disk I/O error");
                     }};
    std::FILE* sink = std::tmpfile();
    logger log{log_level::debug, false, sink};
    session_limits limits{1024, std::chrono::seconds(5)};

    harness() {
        surface.on_handle = [this](request const& req) { dirty |= req.target() == "/write"; };
    }
    ~harness() {
        if (sink != nullptr)
            std::fclose(sink);
    }
    harness(harness const&) = delete;
    harness& operator=(harness const&) = delete;

    void spawn(test_stream& server, session_control& ctl) {
        net::co_spawn(ioc, run_session(server, session_env{routes, gate, log, limits}, ctl),
                      [](std::exception_ptr error) {
                          if (error)
                              std::rethrow_exception(error);
                      });
    }

    // What the sessions logged.
    std::string logged() const {
        std::fflush(sink);
        std::rewind(sink);
        std::string text;
        char chunk[4096];
        for (std::size_t n; (n = std::fread(chunk, 1, sizeof chunk, sink)) > 0;)
            text.append(chunk, n);
        return text;
    }
};

std::string raw_request(std::string_view method, std::string_view target,
                        std::string_view body = {}, std::string_view extra_headers = {}) {
    std::string text(method);
    text.append(" ").append(target).append(" HTTP/1.1\r\nHost: test\r\n");
    text.append(extra_headers);
    if (!body.empty() || method == "POST")
        text.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
    text.append("\r\n").append(body);
    return text;
}

// Every complete response in `text`, in order.
std::vector<response> parse_responses(std::string_view text) {
    std::vector<response> out;
    while (!text.empty()) {
        http::response_parser<http::string_body> parser;
        parser.eager(true);
        while (!parser.is_done()) {
            beast::error_code ec;
            std::size_t const used = parser.put(net::buffer(text.data(), text.size()), ec);
            REQUIRE(!ec);
            REQUIRE(used > 0);
            text.remove_prefix(used);
        }
        out.push_back(parser.release());
    }
    return out;
}

} // namespace

TEST_CASE("session answers two requests on one keep-alive connection", "[server]") {
    harness h;
    test_stream server(h.ioc);
    test_stream client(h.ioc);
    client.connect(server);
    session_control ctl;
    h.spawn(server, ctl);

    client.write_some(net::buffer(raw_request("GET", "/one") + raw_request("GET", "/two")));
    client.close(); // the session sees end of stream after both requests
    h.ioc.run();

    auto const responses = parse_responses(client.str());
    REQUIRE(responses.size() == 2);
    CHECK(responses[0].result() == http::status::ok);
    CHECK(responses[0].body() == "/one");
    CHECK(responses[0].keep_alive());
    CHECK(responses[0][http::field::content_length] == "4");
    CHECK(responses[1].body() == "/two");
    CHECK(h.surface.handled == 2);
    CHECK(h.commits == 0);
    std::string const log = h.logged();
    CHECK(log.find("request method=GET path=/one surface=fake op=Echo status=200 ms=") !=
          std::string::npos);
    CHECK(log.find("request_id=req-2") != std::string::npos);
}

TEST_CASE("session ends after a response to Connection: close", "[server]") {
    harness h;
    test_stream server(h.ioc);
    test_stream client(h.ioc);
    client.connect(server);
    session_control ctl;
    h.spawn(server, ctl);

    client.write_some(net::buffer(raw_request("GET", "/one", {}, "Connection: close\r\n") +
                                  raw_request("GET", "/never")));
    h.ioc.run(); // ends without closing the client: the session closed the connection

    auto const responses = parse_responses(client.str());
    REQUIRE(responses.size() == 1);
    CHECK_FALSE(responses[0].keep_alive());
    CHECK(h.surface.handled == 1);
}

TEST_CASE("session answers a body over the limit with the surface's 413 and closes", "[server]") {
    harness h;
    test_stream server(h.ioc);
    test_stream client(h.ioc);
    client.connect(server);
    session_control ctl;
    h.spawn(server, ctl);

    client.write_some(net::buffer(raw_request("POST", "/", std::string(2000, 'x')) +
                                  raw_request("GET", "/after")));
    client.close();
    h.ioc.run();

    auto const responses = parse_responses(client.str());
    REQUIRE(responses.size() == 1);
    CHECK(responses[0].result() == http::status::payload_too_large);
    CHECK(responses[0].body() == "too large");
    CHECK_FALSE(responses[0].keep_alive());
    CHECK(h.surface.rejections == std::vector<rejection>{rejection::body_too_large});
    CHECK(h.surface.handled == 0);
}

TEST_CASE("session holds a response until the gate commits, one commit for two waiters",
          "[server]") {
    harness h;
    test_stream server1(h.ioc), client1(h.ioc);
    test_stream server2(h.ioc), client2(h.ioc);
    client1.connect(server1);
    client2.connect(server2);
    session_control ctl1, ctl2;
    h.spawn(server1, ctl1);
    h.spawn(server2, ctl2);

    std::size_t written_before_commit = 99;
    int handled_before_commit = 0;
    h.on_commit = [&] {
        written_before_commit = client1.str().size() + client2.str().size();
        handled_before_commit = h.surface.handled;
    };
    client1.write_some(net::buffer(raw_request("POST", "/write", "{}")));
    client2.write_some(net::buffer(raw_request("POST", "/write", "{}")));
    client1.close();
    client2.close();
    h.ioc.run();

    CHECK(h.commits == 1);
    CHECK(handled_before_commit == 2); // both requests joined the one commit
    CHECK(written_before_commit == 0); // no response left before its commit
    auto const r1 = parse_responses(client1.str());
    auto const r2 = parse_responses(client2.str());
    REQUIRE(r1.size() == 1);
    REQUIRE(r2.size() == 1);
    CHECK(r1[0].result() == http::status::ok);
    CHECK(r2[0].result() == http::status::ok);
}

TEST_CASE("session answers with the surface's internal error when the commit fails", "[server]") {
    harness h;
    h.fail_commit = true;
    test_stream server1(h.ioc), client1(h.ioc);
    test_stream server2(h.ioc), client2(h.ioc);
    client1.connect(server1);
    client2.connect(server2);
    session_control ctl1, ctl2;
    h.spawn(server1, ctl1);
    h.spawn(server2, ctl2);

    client1.write_some(net::buffer(raw_request("POST", "/write", "{}")));
    client2.write_some(net::buffer(raw_request("POST", "/write", "{}")));
    client1.close();
    client2.close();
    h.ioc.run();

    CHECK(h.commits == 1);
    for (test_stream* client : {&client1, &client2}) {
        auto const responses = parse_responses(client->str());
        REQUIRE(responses.size() == 1);
        CHECK(responses[0].result() == http::status::internal_server_error);
        CHECK(responses[0].body() == "internal");
    }
    CHECK(h.surface.rejections ==
          std::vector<rejection>{rejection::internal_error, rejection::internal_error});
    CHECK(h.logged().find(R"("commit failed" error="disk I/O error" request_id=req-)") !=
          std::string::npos);
}

TEST_CASE("session does not wait for the gate when nothing is pending", "[server]") {
    harness h;
    test_stream server(h.ioc), client(h.ioc);
    client.connect(server);
    session_control ctl;
    h.spawn(server, ctl);
    client.write_some(net::buffer(raw_request("GET", "/read")));
    client.close();
    h.ioc.run();
    CHECK(h.commits == 0);
    CHECK(parse_responses(client.str()).size() == 1);
}

TEST_CASE("session stop closes an idle connection at once", "[server]") {
    harness h;
    test_stream server(h.ioc), client(h.ioc);
    client.connect(server);
    session_control ctl;
    h.spawn(server, ctl);
    h.ioc.poll();
    REQUIRE(ctl.idle);
    ctl.stop();
    h.ioc.run();
    CHECK(h.surface.handled == 0);
    CHECK_FALSE(static_cast<bool>(ctl.close));
}

TEST_CASE("session stop lets the request in flight finish with Connection: close", "[server]") {
    harness h;
    test_stream server(h.ioc), client(h.ioc);
    client.connect(server);
    session_control ctl;
    h.spawn(server, ctl);
    // The stop arrives while the handler runs: the answer is still written, then the session ends.
    h.surface.on_handle = [&](request const&) {
        h.dirty = true;
        ctl.stop();
    };
    client.write_some(
        net::buffer(raw_request("POST", "/write", "{}") + raw_request("GET", "/next")));
    h.ioc.run();
    auto const responses = parse_responses(client.str());
    REQUIRE(responses.size() == 1);
    CHECK(responses[0].result() == http::status::ok);
    CHECK_FALSE(responses[0].keep_alive());
    CHECK(h.commits == 1);
    CHECK(h.surface.handled == 1);
}
