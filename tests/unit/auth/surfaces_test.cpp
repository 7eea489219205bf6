// The verify auth mode as each surface renders it: refusals in the surface's own dialect, the
// credential's account as the caller, and tenancy on every instance a call names.
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <regex>
#include <string>

#include "api/auth/credentials.hpp"
#include "api/auth/crypto.hpp"
#include "api/auth/sdk_hmac.hpp"
#include "api/auth/sigv4.hpp"
#include "api/aws/surface.hpp"
#include "api/core/service.hpp"
#include "api/huawei/surface.hpp"
#include "server/message.hpp"
#include "store/database.hpp"
#include "tests/support/fixed_clock.hpp"

namespace {

namespace auth = icemu::api::auth;
namespace aws = icemu::api::aws;
namespace core = icemu::api::core;
namespace huawei = icemu::api::huawei;
namespace server = icemu::server;
namespace store = icemu::store;
namespace http = server::http;
using icemu::test::fixed_clock;

constexpr std::int64_t now_s = 1440938160; // 20150830T123600Z
constexpr char const* now_text = "20150830T123600Z";
constexpr char const* alice_account = "111111111111";
constexpr char const* bob_account = "0123456789abcdef0123456789abcdef";

core::service_options options() {
    core::service_options out;
    out.scheduler.mode = core::scheduler_mode::manual;
    out.instances = {{alice_account, "", "", ""}, {bob_account, "", "", ""}};
    out.enforce_tenancy = true;
    return out;
}

rapidjson::Document parse(std::string const& text) {
    rapidjson::Document doc;
    doc.Parse(text.c_str());
    REQUIRE_FALSE(doc.HasParseError());
    REQUIRE(doc.IsObject());
    return doc;
}

// Both surfaces in the verify mode over one store: alice (AKIDALICE) and bob (AKIDBOB) each
// own one instance.
struct harness {
    harness() {
        svc.instances.ensure_initial_state();
        for (auto const& row : svc.instances.list({}).items)
            (row.owner_account == alice_account ? alice_instance : bob_instance) = row.id;
    }

    // A SigV4-signed sso-admin call, as botocore signs it (the signer is checked against
    // botocore in sigv4_test.cpp).
    server::response aws_call(std::string const& operation, std::string body,
                              std::string const& key = "AKIDALICE",
                              std::string const& secret = "alice-secret") {
        server::request req{http::verb::post, "/", 11};
        req.set(http::field::host, "127.0.0.1:4577");
        req.set(http::field::content_type, "application/x-amz-json-1.1");
        req.set("X-Amz-Target", "SWBExternalService." + operation);
        req.set("X-Amz-Date", now_text);
        req.body() = std::move(body);
        req.prepare_payload();
        std::string const signed_headers = "content-type;host;x-amz-date;x-amz-target";
        std::string const to_sign =
            std::string("AWS4-HMAC-SHA256\n") + now_text +
            "\n20150830/us-east-1/sso/aws4_request\n" +
            auth::sha256_hex(auth::sigv4_canonical_request(req, signed_headers));
        auto k = auth::hmac_sha256("AWS4" + secret, "20150830");
        k = auth::hmac_sha256(auth::as_key(k), "us-east-1");
        k = auth::hmac_sha256(auth::as_key(k), "sso");
        k = auth::hmac_sha256(auth::as_key(k), "aws4_request");
        req.set(http::field::authorization,
                "AWS4-HMAC-SHA256 Credential=" + key +
                    "/20150830/us-east-1/sso/aws4_request, SignedHeaders=" + signed_headers +
                    ", Signature=" + auth::hex(auth::hmac_sha256(auth::as_key(k), to_sign)));
        return aws_surface.handle(req, info);
    }

    // An SDK-HMAC-SHA256-signed Huawei call, as the SDK signs it.
    server::response huawei_call(http::verb method, std::string const& target,
                                 std::string body = {}, std::string const& key = "AKBOB",
                                 std::string const& secret = "bob-secret") {
        server::request req{method, target, 11};
        req.set(http::field::host, "127.0.0.1:4577");
        req.set(http::field::content_type, "application/json");
        req.set("X-Sdk-Date", now_text);
        req.body() = std::move(body);
        req.prepare_payload();
        std::string const signed_headers = "content-type;host;x-sdk-date";
        std::string const to_sign =
            std::string("SDK-HMAC-SHA256\n") + now_text + "\n" +
            auth::sha256_hex(auth::sdk_hmac_canonical_request(req, signed_headers));
        req.set(http::field::authorization,
                "SDK-HMAC-SHA256 Access=" + key + ", SignedHeaders=" + signed_headers +
                    ", Signature=" + auth::hex(auth::hmac_sha256(secret, to_sign)));
        return huawei_surface.handle(req, info);
    }

    std::string alice_arn() const { return "arn:aws:sso:::instance/ssoins-" + alice_instance; }

    auth::verifier keys{{{"AKIDALICE", "alice-secret", alice_account, std::nullopt},
                         {"AKBOB", "bob-secret", bob_account, std::nullopt}},
                        [] { return now_s; }};
    fixed_clock time;
    store::database db{{}};
    core::service svc{db, time.clock, options()};
    aws::surface aws_surface{svc, "123456789012", &keys};
    huawei::surface huawei_surface{svc, &keys};
    server::call_info info;
    std::string alice_instance;
    std::string bob_instance;
};

} // namespace

TEST_CASE("verify mode, AWS: refusals in Coral's shape", "[auth][aws]") {
    harness h;
    server::request req{http::verb::post, "/", 11};
    req.set("X-Amz-Target", "SWBExternalService.ListInstances");
    req.body() = "{}";
    req.prepare_payload();
    auto res = h.aws_surface.handle(req, h.info);
    CHECK(res.result() == http::status::bad_request);
    CHECK(res["x-amzn-ErrorType"] == "MissingAuthenticationTokenException");
    CHECK(res["Content-Type"] == "application/x-amz-json-1.1");
    CHECK_FALSE(res["x-amzn-RequestId"].empty());
    CHECK(res.body() == R"({"__type":"MissingAuthenticationTokenException",)"
                        R"("message":"Request is missing Authentication Token"})");
    CHECK(h.info.operation == "ListInstances");

    res = h.aws_call("ListInstances", "{}", "AKIDNOBODY");
    CHECK(res.result() == http::status::bad_request);
    CHECK(res.body() == R"({"__type":"UnrecognizedClientException",)"
                        R"("message":"The security token included in the request is invalid."})");
    res = h.aws_call("ListInstances", "{}", "AKIDALICE", "wrong-secret");
    CHECK(res["x-amzn-ErrorType"] == "InvalidSignatureException");
    std::string const message = parse(res.body())["message"].GetString();
    CHECK(message.starts_with(
        "The request signature we calculated does not match the signature you provided. Check "
        "your AWS Secret Access Key and signing method. Consult the service documentation for "
        "details.\n\nThe Canonical String for this request should have been\n'POST\n/\n"));
    // Unknown operations are answered before authentication, as Coral does.
    res = h.aws_call("NoSuchOperation", "{}", "AKIDNOBODY");
    CHECK(res["x-amzn-ErrorType"] == "UnknownOperationException");
}

TEST_CASE("verify mode, AWS: the credential's account is the caller", "[auth][aws]") {
    harness h;
    auto res = h.aws_call("ListInstances", "{}");
    REQUIRE(res.result() == http::status::ok);
    auto doc = parse(res.body());
    REQUIRE(doc["Instances"].Size() == 1);
    CHECK(doc["Instances"][0]["OwnerAccountId"].GetString() == std::string(alice_account));

    res = h.aws_call("DescribeInstance", R"({"InstanceArn":")" + h.alice_arn() + R"("})");
    CHECK(res.result() == http::status::ok);
    res = h.aws_call("CreatePermissionSet",
                     R"({"InstanceArn":")" + h.alice_arn() + R"(","Name":"ReadOnly"})");
    REQUIRE(res.result() == http::status::ok);
    std::string const ps_arn = parse(res.body())["PermissionSet"]["PermissionSetArn"].GetString();
    res = h.aws_call("ProvisionPermissionSet", R"({"InstanceArn":")" + h.alice_arn() +
                                                   R"(","PermissionSetArn":")" + ps_arn +
                                                   R"(","TargetType":"ALL_PROVISIONED_ACCOUNTS"})");
    CHECK(res.result() == http::status::ok);
}

TEST_CASE("verify mode, AWS: another account's instance is AccessDenied", "[auth][aws]") {
    harness h;
    auto res = h.aws_call("CreatePermissionSet",
                          R"({"InstanceArn":")" + h.alice_arn() + R"(","Name":"ReadOnly"})");
    REQUIRE(res.result() == http::status::ok);
    std::string const ps_arn = parse(res.body())["PermissionSet"]["PermissionSetArn"].GetString();
    // One credential list serves both surfaces: bob's Huawei AK signs SigV4 as well.
    res = h.aws_call(
        "DescribePermissionSet",
        R"({"InstanceArn":")" + h.alice_arn() + R"(","PermissionSetArn":")" + ps_arn + R"("})",
        "AKBOB", "bob-secret");
    CHECK(res.result() == http::status::bad_request);
    CHECK(res["x-amzn-ErrorType"] == "AccessDeniedException");
    auto doc = parse(res.body());
    CHECK(doc["Message"].GetString() ==
          "User: arn:aws:iam::" + std::string(bob_account) +
              ":root is not authorized to perform: sso:DescribePermissionSet on resource: " +
              h.alice_arn() +
              " because no resource-based policy allows the sso:DescribePermissionSet action");
    // Tags name the instance inside ResourceArn (InstanceArn is optional there).
    res = h.aws_call("ListTagsForResource", R"({"ResourceArn":")" + ps_arn + R"("})", "AKBOB",
                     "bob-secret");
    CHECK(res["x-amzn-ErrorType"] == "AccessDeniedException");
    res = h.aws_call("ListTagsForResource", R"({"ResourceArn":")" + ps_arn + R"("})");
    CHECK(res.result() == http::status::ok);
    // Bob's list has his own instance only.
    res = h.aws_call("ListInstances", "{}", "AKBOB", "bob-secret");
    doc = parse(res.body());
    REQUIRE(doc["Instances"].Size() == 1);
    CHECK(doc["Instances"][0]["OwnerAccountId"].GetString() == std::string(bob_account));
}

TEST_CASE("verify mode, Huawei: refusals are 401 APIG.0301 with X-Request-Id", "[auth][huawei]") {
    harness h;
    std::regex const hex32("[0-9a-f]{32}");
    server::request req{http::verb::get, "/v1/instances", 11};
    req.prepare_payload();
    auto res = h.huawei_surface.handle(req, h.info);
    CHECK(res.result() == http::status::unauthorized);
    auto doc = parse(res.body());
    CHECK(doc["error_code"].GetString() == std::string("APIG.0301"));
    CHECK(doc["error_msg"].GetString() ==
          std::string("Incorrect IAM authentication information: x-auth-token not found"));
    CHECK(std::regex_match(std::string(res["X-Request-Id"]), hex32));
    CHECK(doc["request_id"].GetString() == std::string(res["X-Request-Id"]));
    CHECK(h.info.operation == "ListInstances");

    res = h.huawei_call(http::verb::get, "/v1/instances", {}, "AKBOB", "wrong");
    CHECK(parse(res.body())["error_msg"].GetString() ==
          std::string("Incorrect IAM authentication information: verify aksk signature fail"));
    res = h.huawei_call(http::verb::get, "/v1/instances", {}, "AKNOBODY");
    CHECK(parse(res.body())["error_msg"].GetString() ==
          std::string("Incorrect IAM authentication information: Get secretKey "
                      "failed,ak:******,err:ak not exist"));
    // An unknown path is the gateway's 404 before any authentication.
    res = h.huawei_call(http::verb::get, "/v1/nothing", {}, "AKNOBODY");
    CHECK(res.result() == http::status::not_found);
}

TEST_CASE("verify mode, Huawei: tenancy on instances and tag paths", "[auth][huawei]") {
    harness h;
    auto res = h.huawei_call(http::verb::get, "/v1/instances");
    REQUIRE(res.result() == http::status::ok);
    auto doc = parse(res.body());
    REQUIRE(doc["instances"].Size() == 1);
    CHECK(doc["instances"][0]["instance_id"].GetString() == "ins-" + h.bob_instance);

    std::string const alice_base = "/v1/instances/ins-" + h.alice_instance;
    res = h.huawei_call(http::verb::get, alice_base + "/permission-sets");
    CHECK(res.result() == http::status::forbidden);
    doc = parse(res.body());
    CHECK(doc["error_code"].GetString() == std::string("IIC.1000"));
    CHECK(doc["error_msg"].GetString() ==
          std::string("No permission for action ListPermissionSets."));

    // Alice (through AWS) makes a permission set; bob may not tag it by its id alone.
    res = h.aws_call("CreatePermissionSet",
                     R"({"InstanceArn":")" + h.alice_arn() + R"(","Name":"ReadOnly"})");
    REQUIRE(res.result() == http::status::ok);
    std::string const ps_arn = parse(res.body())["PermissionSet"]["PermissionSetArn"].GetString();
    std::string const ps = ps_arn.substr(ps_arn.rfind('/') + 1);
    res = h.huawei_call(http::verb::get,
                        "/v1/instances/identitycenter%3Apermissionset/" + ps + "/tags");
    CHECK(res.result() == http::status::forbidden);
    CHECK(parse(res.body())["error_msg"].GetString() ==
          std::string("No permission for action ListTagResources."));
    res =
        h.huawei_call(http::verb::post, "/v1/instances/ins-" + h.bob_instance + "/permission-sets",
                      R"({"name":"Mine"})");
    CHECK(res.result() == http::status::ok);
}
