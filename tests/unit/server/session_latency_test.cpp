// A fault rule's latency is spent on a timer: other connections are answered meanwhile, and the
// metrics registry counts each answer.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <string>

#include "server/commit_gate.hpp"
#include "server/log.hpp"
#include "server/metrics.hpp"
#include "server/router.hpp"
#include "server/session.hpp"

namespace {

using namespace icemu::server;
using test_stream = beast::test::stream;
using std::chrono::milliseconds;

// Answers every request with its target; "/slow" asks the session to wait `slow` first.
struct delaying_endpoint final : endpoint {
    response handle(request const& req, call_info& info) override {
        info.surface = "fake";
        info.operation = req.target() == "/slow" ? "Slow" : "Fast";
        if (req.target() == "/slow")
            info.delay = slow;
        response res{http::status::ok, req.version()};
        res.body() = std::string(req.target());
        return res;
    }
    response reject(request const& req, rejection, call_info&) override {
        return response{http::status::internal_server_error, req.version()};
    }
    milliseconds slow{400};
};

std::string get(std::string_view target) {
    return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n\r\n";
}

} // namespace

TEST_CASE("a response delay is spent on a timer while another session is answered", "[server]") {
    net::io_context ioc;
    delaying_endpoint surface;
    router routes{surface, surface, surface};
    commit_gate gate{ioc.get_executor(), [] { return false; }, [] {}};
    std::FILE* sink = std::tmpfile();
    logger log{log_level::error, false, sink};
    metrics stats;
    session_env const env{routes, gate, log, {1024, std::chrono::seconds(5)}, &stats};

    test_stream slow_server(ioc), slow_client(ioc), fast_server(ioc), fast_client(ioc);
    slow_client.connect(slow_server);
    fast_client.connect(fast_server);
    session_control slow_ctl, fast_ctl;
    auto rethrow = [](std::exception_ptr e) {
        if (e)
            std::rethrow_exception(e);
    };
    net::co_spawn(ioc, run_session(slow_server, env, slow_ctl), rethrow);
    net::co_spawn(ioc, run_session(fast_server, env, fast_ctl), rethrow);

    auto const started = std::chrono::steady_clock::now();
    slow_client.write_some(net::buffer(get("/slow")));
    fast_client.write_some(net::buffer(get("/fast")));
    // Well within the slow answer's delay, the fast one is written and the slow one is not.
    ioc.run_for(milliseconds(150));
    CHECK(fast_client.str().find("\r\n\r\n/fast") != std::string::npos);
    CHECK(slow_client.str().empty());

    while (slow_client.str().empty() &&
           std::chrono::steady_clock::now() - started < std::chrono::seconds(10))
        ioc.run_for(milliseconds(10));
    CHECK(slow_client.str().find("\r\n\r\n/slow") != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - started >= surface.slow);

    slow_client.close();
    fast_client.close();
    ioc.run();
    std::fclose(sink);

    std::string text;
    stats.render(text);
    CHECK(text.find("icemu_http_requests_total{surface=\"fake\",operation=\"Fast\",status=\"200\"} "
                    "1\n") != std::string::npos);
    CHECK(text.find("icemu_http_requests_total{surface=\"fake\",operation=\"Slow\",status=\"200\"} "
                    "1\n") != std::string::npos);
    // The slow answer's duration includes its delay.
    CHECK(text.find("icemu_http_request_duration_seconds_bucket{surface=\"fake\",le=\"0.25\"} "
                    "1\n") != std::string::npos);
    CHECK(text.find("icemu_http_request_duration_seconds_count{surface=\"fake\"} 2\n") !=
          std::string::npos);
}
