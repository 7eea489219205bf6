#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <string>
#include <string_view>

#include "api/aws/surface.hpp"
#include "api/json/utf8.hpp"
#include "server/message.hpp"
#include "tests/support/surface_harness.hpp"

namespace {

namespace aws = icemu::api::aws;
namespace server = icemu::server;
namespace http = server::http;

struct harness : icemu::test::surface_harness<aws::surface> {
    harness() : surface_harness({}) {}

    // `method /` with X-Amz-Target `target` and `body`; returns the answer and its parsed body.
    server::response call(http::verb method, std::string_view target, std::string body) {
        server::request req{method, "/", 11};
        req.set("X-Amz-Target", target);
        req.set(http::field::content_type, "application/x-amz-json-1.1");
        req.body() = std::move(body);
        auto res = send(std::move(req));
        doc.Parse(res.body().c_str());
        REQUIRE(doc.IsObject());
        return res;
    }
    std::string member(char const* name) const { return doc[name].GetString(); }

    rapidjson::Document doc;
};

} // namespace

TEST_CASE("aws surface answers a method other than POST with UnknownOperationException", "[aws]") {
    // BREW / with a valid X-Amz-Target used to run the operation and answer 200.
    harness h;
    for (auto const method :
         {http::verb::get, http::verb::put, http::verb::propfind, http::verb::delete_}) {
        auto const res = h.call(method, "SWBExternalService.ListInstances", "{}");
        CHECK(res.result() == http::status::bad_request);
        CHECK(h.member("__type") == "UnknownOperationException");
        CHECK(h.member("Message") == "The JSON 1.1 protocol takes POST, not " +
                                         std::string(http::to_string(method)) + ".");
        CHECK(res["x-amzn-ErrorType"] == "UnknownOperationException");
    }
    CHECK(h.call(http::verb::post, "SWBExternalService.ListInstances", "{}").result() ==
          http::status::ok);
}

TEST_CASE("aws surface keeps its answer UTF-8 when the target it echoes is not", "[aws]") {
    harness h;
    auto const res = h.call(http::verb::post, "SWBExternalService.No\xff\xfeSuch", "{}");
    CHECK(res.result() == http::status::bad_request);
    CHECK(icemu::api::json::is_utf8(res.body()));
    CHECK(h.member("Message") ==
          "Unknown operation SWBExternalService.No\xef\xbf\xbd\xef\xbf\xbdSuch.");
}

TEST_CASE("aws surface answers bad bodies with SerializationException", "[aws]") {
    harness h;
    for (std::string const& body :
         {std::string(1000000, '['), std::string(R"({"MaxResults": 1, "MaxResults": 1000})"),
          std::string("{\"MaxResults\": 1}\0x", 19), std::string("{\"a\": \"\xc0\xaf\"}")}) {
        auto const res = h.call(http::verb::post, "SWBExternalService.ListInstances", body);
        CHECK(res.result() == http::status::bad_request);
        CHECK(h.member("__type") == "SerializationException");
    }
}
