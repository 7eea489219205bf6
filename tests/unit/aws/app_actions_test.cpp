// The AWS surface's decoding of the application family: ARNs in and out, documents answered as
// they were given, UpdateApplication's and UpdateTrustedTokenIssuer's merges, and tag operations
// on application ARNs.
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <regex>
#include <string>
#include <string_view>

#include "api/aws/surface.hpp"
#include "api/core/service.hpp"
#include "server/message.hpp"
#include "store/database.hpp"
#include "tests/support/fixed_clock.hpp"

namespace {

namespace aws = icemu::api::aws;
namespace core = icemu::api::core;
namespace server = icemu::server;
namespace store = icemu::store;
namespace http = server::http;
using icemu::test::fixed_clock;

constexpr char const* instance_arn = "arn:aws:sso:::instance/ssoins-560aa041748d679e";

core::service_options options() {
    core::service_options out;
    out.scheduler.mode = core::scheduler_mode::manual;
    out.instances = {{"123456789012", "560aa041748d679e", "", ""}};
    return out;
}

struct harness {
    harness() { svc.instances.ensure_initial_state(); }

    server::response call(std::string_view operation, std::string const& body) {
        server::request req{http::verb::post, "/", 11};
        req.set("X-Amz-Target", "SWBExternalService." + std::string(operation));
        req.set(http::field::content_type, "application/x-amz-json-1.1");
        req.body() = body;
        req.prepare_payload();
        return surface.handle(req, info);
    }
    // The answer's body, after checking it is a 200.
    std::string ok(std::string_view operation, std::string const& body) {
        auto const res = call(operation, body);
        INFO(res.body());
        REQUIRE(res.result() == http::status::ok);
        return res.body();
    }
    std::string member(std::string const& body, char const* name) {
        rapidjson::Document doc;
        doc.Parse(body.c_str());
        REQUIRE(doc.IsObject());
        REQUIRE(doc.HasMember(name));
        return doc[name].GetString();
    }
    std::string create_application(std::string const& extra = "") {
        return member(
            ok("CreateApplication", std::string(R"({"InstanceArn":")") + instance_arn +
                                        R"(","Name":"App","ApplicationProviderArn":)"
                                        R"("arn:aws:sso::aws:applicationProvider/custom")" +
                                        extra + "}"),
            "ApplicationArn");
    }

    fixed_clock time;
    store::database db{{}};
    core::service svc{db, time.clock, options()};
    aws::surface surface{svc};
    server::call_info info;
};

std::string arn_member(std::string const& arn) {
    return R"({"ApplicationArn":")" + arn + R"(")";
}

} // namespace

TEST_CASE("aws CreateApplication answers the application's ARNs", "[aws][apps]") {
    harness h;
    auto const body =
        h.ok("CreateApplication", std::string(R"({"InstanceArn":")") + instance_arn +
                                      R"(","Name":"App","ApplicationProviderArn":)"
                                      R"("arn:aws:sso::aws:applicationProvider/custom"})");
    auto const arn = h.member(body, "ApplicationArn");
    CHECK(std::regex_match(arn, std::regex("arn:aws:sso::123456789012:application/"
                                           "ssoins-560aa041748d679e/apl-[0-9a-f]{16}")));
    CHECK(h.member(body, "InstanceArn") == instance_arn);
    CHECK(std::regex_match(h.member(body, "IdentityStoreArn"),
                           std::regex("arn:aws:identitystore::123456789012:identitystore/"
                                      "d-[0-9a-f]{10}")));
}

TEST_CASE("aws UpdateApplication replaces the sign-in options and keeps Visibility",
          "[aws][apps]") {
    harness h;
    auto const arn = h.create_application(
        R"(,"PortalOptions":{"Visibility":"DISABLED","SignInOptions":{"Origin":"APPLICATION",)"
        R"("ApplicationUrl":"https://a.example.com"}})");
    h.ok("UpdateApplication",
         arn_member(arn) + R"(,"PortalOptions":{"SignInOptions":{"Origin":"IDENTITY_CENTER"}}})");
    auto const described = h.ok("DescribeApplication", arn_member(arn) + "}");
    CHECK_THAT(
        described,
        Catch::Contains(
            R"("PortalOptions":{"Visibility":"DISABLED","SignInOptions":{"Origin":"IDENTITY_CENTER"}})"));
}

TEST_CASE("aws grants and scopes are answered as they were put", "[aws][apps]") {
    harness h;
    auto const arn = h.create_application();
    h.ok(
        "PutApplicationGrant",
        arn_member(arn) +
            R"(,"GrantType":"urn:ietf:params:oauth:grant-type:jwt-bearer",)"
            R"("Grant":{"JwtBearer":{"AuthorizedTokenIssuers":[{"AuthorizedAudiences":["a","b"]}]}}})");
    CHECK(
        h.ok("GetApplicationGrant",
             arn_member(arn) + R"(,"GrantType":"urn:ietf:params:oauth:grant-type:jwt-bearer"})") ==
        R"({"Grant":{"JwtBearer":{"AuthorizedTokenIssuers":[{"AuthorizedAudiences":["a","b"]}]}}})");
    h.ok("PutApplicationAccessScope", arn_member(arn) + R"(,"Scope":"s:one"})");
    CHECK(h.ok("ListApplicationAccessScopes", arn_member(arn) + "}") ==
          R"({"Scopes":[{"Scope":"s:one"}]})");
}

TEST_CASE("aws tag operations take an application ARN", "[aws][apps]") {
    harness h;
    auto const arn = h.create_application(R"(,"Tags":[{"Key":"a","Value":"1"}])");
    h.ok("TagResource", R"({"ResourceArn":")" + arn + R"(","Tags":[{"Key":"b","Value":"2"}]})");
    CHECK(h.ok("ListTagsForResource", R"({"ResourceArn":")" + arn + R"("})") ==
          R"({"Tags":[{"Key":"a","Value":"1"},{"Key":"b","Value":"2"}]})");
    auto const other = arn.substr(0, arn.size() - 16) + "0000000000000000";
    auto const res = h.call("ListTagsForResource", R"({"ResourceArn":")" + other + R"("})");
    CHECK(res.result() == http::status::bad_request);
    CHECK(res["x-amzn-ErrorType"] == "ResourceNotFoundException");
}

TEST_CASE("aws UpdateTrustedTokenIssuer replaces the members it names", "[aws][apps]") {
    harness h;
    auto const arn =
        h.member(h.ok("CreateTrustedTokenIssuer",
                      std::string(R"({"InstanceArn":")") + instance_arn +
                          R"(","Name":"idp","TrustedTokenIssuerType":"OIDC_JWT",)"
                          R"("TrustedTokenIssuerConfiguration":{"OidcJwtConfiguration":{)"
                          R"("IssuerUrl":"https://idp.example.com","ClaimAttributePath":"email",)"
                          R"("IdentityStoreAttributePath":"emails.value",)"
                          R"("JwksRetrievalOption":"OPEN_ID_DISCOVERY"}}})"),
                 "TrustedTokenIssuerArn");
    h.ok("UpdateTrustedTokenIssuer",
         R"({"TrustedTokenIssuerArn":")" + arn +
             R"(","TrustedTokenIssuerConfiguration":{"OidcJwtConfiguration":{)"
             R"("ClaimAttributePath":"sub"}}})");
    CHECK_THAT(h.ok("DescribeTrustedTokenIssuer", R"({"TrustedTokenIssuerArn":")" + arn + R"("})"),
               Catch::Contains(R"({"OidcJwtConfiguration":{"IssuerUrl":"https://idp.example.com",)"
                               R"("ClaimAttributePath":"sub",)"
                               R"("IdentityStoreAttributePath":"emails.value",)"
                               R"("JwksRetrievalOption":"OPEN_ID_DISCOVERY"}})"));
}
