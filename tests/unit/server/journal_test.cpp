#include "server/journal.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "api/admin/journal.hpp"
#include "api/core/error.hpp"
#include "api/json/writer.hpp"

namespace {

using namespace icemu::server;

request post(std::string body) {
    request req{http::verb::post, "/", 11};
    req.set(http::field::authorization, "AWS4-HMAC-SHA256 Credential=AKID/x, Signature=abc");
    req.body() = std::move(body);
    return req;
}

response answer(http::status status, std::string body) {
    response res{status, 11};
    res.body() = std::move(body);
    return res;
}

call_info aws_call(std::string_view operation) {
    call_info info{"aws", operation, "req-1"};
    info.set_account("111122223333");
    return info;
}

std::vector<journal_entry> all(journal const& j) {
    std::vector<journal_entry> out;
    j.for_each_newest([&](journal_entry const& e) {
        out.push_back(e);
        return true;
    });
    return out;
}

} // namespace

TEST_CASE("journal: a ring of the last calls, newest first", "[journal]") {
    journal j(3, 100, [] { return std::int64_t{5000}; });
    for (int i = 0; i < 5; ++i)
        j.record(post(R"({"n":)" + std::to_string(i) + "}"), answer(http::status::ok, "{}"),
                 aws_call("ListInstances"), std::chrono::microseconds(1500));
    auto const calls = all(j);
    REQUIRE(calls.size() == 3);
    CHECK(calls[0].seq == 5);
    CHECK(calls[2].seq == 3);
    CHECK(calls[0].request == R"({"n":4})");
    CHECK(calls[0].clock_ms - calls[0].time_ms == 5000);
    CHECK(calls[0].duration_us == 1500);
    CHECK(calls[0].account_id == "111122223333");
    CHECK(calls[0].request_id == "req-1");
    CHECK(calls[0].method == "POST");
    CHECK(calls[0].error.empty());
    j.clear();
    CHECK(all(j).empty());
    j.record(post("{}"), answer(http::status::ok, "{}"), aws_call("A"), {});
    REQUIRE(all(j).size() == 1);
    CHECK(all(j)[0].seq == 6); // numbers go on after a clear
}

TEST_CASE("journal: size 0 records nothing", "[journal]") {
    journal j(0, 100);
    CHECK_FALSE(j.enabled());
    j.record(post("{}"), answer(http::status::ok, "{}"), aws_call("A"), {});
    CHECK(all(j).empty());
}

TEST_CASE("journal: bodies are cut at the limit and marked", "[journal]") {
    journal j(2, 8);
    j.record(post(R"({"Name":"long"})"), answer(http::status::ok, "{}"), aws_call("A"), {});
    auto const e = all(j).at(0);
    CHECK(e.request == R"({"Name":)");
    CHECK(e.request_truncated);
    CHECK_FALSE(e.response_truncated);
}

TEST_CASE("journal: secret members are never kept", "[journal]") {
    journal j(2, 1000);
    j.record(post(R"({"user":"ana","password":"hunter2","x":{"SecretAccessKey":"k"}})"),
             answer(http::status::ok, "{}"), aws_call("A"), {});
    j.record(post("password=hunter2"), answer(http::status::ok, "{}"), aws_call("B"), {});
    auto const calls = all(j);
    CHECK(calls[1].request == R"({"user":"ana","password":"***","x":{"SecretAccessKey":"***"}})");
    CHECK(calls[0].request.find("hunter2") == std::string::npos);
    CHECK(is_secret_member("Password"));
    CHECK(is_secret_member("client_secret"));
    CHECK_FALSE(is_secret_member("NextToken"));
}

TEST_CASE("journal: the error code of an error answer", "[journal]") {
    CHECK(error_code_of(R"({"__type":"ConflictException","message":"x"})") == "ConflictException");
    CHECK(error_code_of(R"({"__type": "com.amazon#ThrottlingException"})") ==
          "ThrottlingException");
    CHECK(error_code_of(R"({"error_code":"IIC.1006","error_msg":"x"})") == "IIC.1006");
    CHECK(error_code_of("not json").empty());
    journal j(1, 100);
    j.record(post("{}"), answer(http::status::bad_request, R"({"__type":"ValidationException"})"),
             aws_call("A"), {});
    CHECK(all(j).at(0).error == "ValidationException");
}

TEST_CASE("journal: the admin view filters, counts and refuses bad filters", "[journal]") {
    using icemu::api::admin::count_journal;
    using icemu::api::admin::render_journal;
    journal j(10, 1000);
    j.record(post(R"({"TargetId":"1","Nested":{"a":1,"b":2}})"), answer(http::status::ok, "{}"),
             aws_call("ProvisionPermissionSet"), {});
    j.record(post(R"({"TargetId":"2"})"), answer(http::status::ok, "{}"),
             aws_call("ProvisionPermissionSet"), {});
    j.record(post("{}"), answer(http::status::bad_request, R"({"__type":"ValidationException"})"),
             aws_call("ListInstances"), {});
    CHECK(count_journal(j, R"({"operation":"ProvisionPermissionSet"})") == 2);
    CHECK(count_journal(j, R"({"request":{"TargetId":"1"}})") == 1);
    CHECK(count_journal(j, R"({"request":{"Nested":{"b":2}}})") == 1);
    CHECK(count_journal(j, R"({"request":{"Nested":{"b":3}}})") == 0);
    CHECK(count_journal(j, R"({"status":400,"error":"ValidationException"})") == 1);
    CHECK(count_journal(j, R"({"since":2})") == 1);
    CHECK_THROWS_AS(count_journal(j, R"({"status":"400"})"), icemu::api::core::error);
    CHECK_THROWS_AS(count_journal(j, R"({"bogus":1})"), icemu::api::core::error);

    icemu::api::json::writer out;
    render_journal(out, j, "/_icemu/journal?status=400");
    std::string const text(out.view());
    CHECK(text.find(R"("seq":3)") != std::string::npos);
    CHECK(text.find(R"("seq":2)") == std::string::npos);
    CHECK(text.find(R"("response":{"__type":"ValidationException"})") != std::string::npos);
    icemu::api::json::writer bad;
    CHECK_THROWS_WITH(render_journal(bad, j, "/_icemu/journal?limit=0"), Catch::Contains("limit"));
    icemu::api::json::writer unknown;
    CHECK_THROWS_WITH(render_journal(unknown, j, "/_icemu/journal?colour=red"),
                      Catch::Contains("colour"));
}
