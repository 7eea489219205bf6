#include "api/auth/sigv4.hpp"

#include <catch2/catch.hpp>
#include <initializer_list>
#include <string>
#include <utility>

#include "api/auth/credentials.hpp"
#include "api/auth/crypto.hpp"

// Vectors: the AWS SigV4 test suite (service "service") and botocore's signer
// (tools/gen_auth_vectors.py prints the botocore ones), all at 2015-08-30T12:36:00Z.

namespace {

namespace auth = icemu::api::auth;
namespace server = icemu::server;
namespace http = server::http;

constexpr std::int64_t suite_time = 1440938160; // 20150830T123600Z
constexpr char const* akid = "AKIDEXAMPLE";
constexpr char const* secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr char const* sso_body =
    R"({"InstanceArn":"arn:aws:sso:::instance/ssoins-560aa041748d679e"})";

auth::verifier keys(std::int64_t now = suite_time) {
    return auth::verifier({{akid, secret, "111122223333", std::nullopt},
                           {"AKIDTOKEN", secret, "444455556666", "session-token-1"}},
                          [now] { return now; });
}

std::string authorization(std::string const& signed_headers, std::string const& signature,
                          std::string const& service = "sso", std::string const& key = akid) {
    return "AWS4-HMAC-SHA256 Credential=" + key + "/20150830/us-east-1/" + service +
           "/aws4_request, SignedHeaders=" + signed_headers + ", Signature=" + signature;
}

using header_list = std::initializer_list<std::pair<char const*, std::string>>;

server::request make(http::verb method, std::string target, header_list headers,
                     std::string body = {}) {
    server::request req{method, target, 11};
    for (auto const& [name, value] : headers)
        req.insert(name, value);
    req.body() = std::move(body);
    return req;
}

// A suite request: Host example.amazonaws.com, X-Amz-Date, signed host;x-amz-date.
server::request suite(http::verb method, std::string target, std::string const& signature) {
    return make(method, std::move(target),
                {{"Host", "example.amazonaws.com"},
                 {"X-Amz-Date", "20150830T123600Z"},
                 {"Authorization", authorization("host;x-amz-date", signature, "service")}});
}

// What botocore sends for sso-admin ListPermissionSets, signed for the body sso_body.
server::request sso_admin(std::string body = sso_body) {
    return make(
        http::verb::post, "/",
        {{"Host", "127.0.0.1:4577"},
         {"Content-Type", "application/x-amz-json-1.1"},
         {"X-Amz-Target", "SWBExternalService.ListPermissionSets"},
         {"X-Amz-Date", "20150830T123600Z"},
         {"Authorization",
          authorization("content-type;host;x-amz-date;x-amz-target",
                        "a28cf653edaf351afd2e736755a83ce790fe1d9a1636c9d525a955196346c47a")}},
        std::move(body));
}

std::string const mismatch =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";

} // namespace

TEST_CASE("sigv4: the AWS test suite's vectors verify", "[auth][sigv4]") {
    auto const k = keys();
    SECTION("get-vanilla") {
        auto const v = auth::verify_sigv4(
            suite(http::verb::get, "/",
                  "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
            k, "service");
        REQUIRE(v);
        CHECK(v.who->account_id == "111122223333");
    }
    SECTION("get-vanilla-query-order-key-case: the query is sorted") {
        CHECK(auth::verify_sigv4(
            suite(http::verb::get, "/?Param2=value2&Param1=value1",
                  "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
            k, "service"));
    }
    SECTION("post-vanilla") {
        CHECK(auth::verify_sigv4(
            suite(http::verb::post, "/",
                  "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
            k, "service"));
    }
    SECTION("get-utf8: the path's bytes are percent-encoded") {
        CHECK(auth::verify_sigv4(
            suite(http::verb::get, "/\xe1\x88\xb4",
                  "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"),
            k, "service"));
    }
}

TEST_CASE("sigv4: botocore's signatures verify", "[auth][sigv4]") {
    auto const k = keys();
    SECTION("an sso-admin call as botocore signs it") {
        auto const v = auth::verify_sigv4(sso_admin(), k);
        REQUIRE(v);
        CHECK(v.who->access_key_id == akid);
    }
    SECTION("header values are trimmed and inner spaces collapsed") {
        CHECK(auth::verify_sigv4(
            make(http::verb::get, "/",
                 {{"Host", "example.amazonaws.com"},
                  {"My-Header1", "  value1  "},
                  {"My-Header2", "\"a   b   c\""},
                  {"X-Amz-Date", "20150830T123600Z"},
                  {"Authorization",
                   authorization(
                       "host;my-header1;my-header2;x-amz-date",
                       "d729edc909e0fd4d6fccfded3774f995383cf9f39d2a2855162fbae6fbc2e7bf")}}),
            k));
    }
    SECTION("a repeated header's values are joined in arrival order") {
        auto req = make(
            http::verb::get, "/",
            {{"Host", "example.amazonaws.com"},
             {"My-Header1", "value4"},
             {"My-Header1", "value1"},
             {"My-Header1", "value3"},
             {"X-Amz-Date", "20150830T123600Z"},
             {"Authorization",
              authorization("host;my-header1;x-amz-date",
                            "f519391117779b3204f5e5d0b024e390a17600f2ccdc7af61588ae2223bafb37")}});
        CHECK(auth::verify_sigv4(req, k));
        CHECK(auth::sigv4_canonical_request(req, "host;my-header1;x-amz-date")
                  .find("\nmy-header1:value4,value1,value3\n") != std::string::npos);
    }
    SECTION("query pairs are sorted by name, then value") {
        CHECK(auth::verify_sigv4(
            make(http::verb::get, "/?b=2&a=3&a=1&c=",
                 {{"Host", "example.amazonaws.com"},
                  {"X-Amz-Date", "20150830T123600Z"},
                  {"Authorization",
                   authorization(
                       "host;x-amz-date",
                       "c5f8cf43701a0b11cbf461817b18eab2db989da394d06c3c49e0c16d17839cde")}}),
            k));
    }
    SECTION("encoded query values") {
        CHECK(auth::verify_sigv4(
            make(http::verb::get, "/?p=value%20one&q=a%2Fb",
                 {{"Host", "example.amazonaws.com"},
                  {"X-Amz-Date", "20150830T123600Z"},
                  {"Authorization",
                   authorization(
                       "host;x-amz-date",
                       "0633344b979d3976f2bdc7305f4641bfa6b7df3d68dedccdbfddff448c8f70bb")}}),
            k));
    }
    SECTION("dot segments and empty segments are removed from the path") {
        CHECK(auth::verify_sigv4(
            make(http::verb::get, "/example1/example2/../..",
                 {{"Host", "example.amazonaws.com"},
                  {"X-Amz-Date", "20150830T123600Z"},
                  {"Authorization",
                   authorization(
                       "host;x-amz-date",
                       "159ea0425cd1d790589587b762ef08864f9ccaf27624a7fcb649dc45ccc19842")}}),
            k));
        CHECK(auth::verify_sigv4(
            make(http::verb::get, "//a//b/./c/",
                 {{"Host", "example.amazonaws.com"},
                  {"X-Amz-Date", "20150830T123600Z"},
                  {"Authorization",
                   authorization(
                       "host;x-amz-date",
                       "e5d306b0d829d60d374897c6e65f61d73fd64ee659d2f41764ca573e8b9fcbc1")}}),
            k));
    }
    SECTION("a session token, signed, matching the credential's") {
        auto const v = auth::verify_sigv4(
            make(http::verb::post, "/",
                 {{"Host", "127.0.0.1:4577"},
                  {"Content-Type", "application/x-amz-json-1.1"},
                  {"X-Amz-Target", "SWBExternalService.ListInstances"},
                  {"X-Amz-Date", "20150830T123600Z"},
                  {"X-Amz-Security-Token", "session-token-1"},
                  {"Authorization",
                   authorization("content-type;host;x-amz-date;x-amz-security-token;x-amz-target",
                                 "d73ef1da1fcdd8d8dab38801c4ba4532613ef95e18ecd982a39f54d949a73fef",
                                 "sso", "AKIDTOKEN")}},
                 "{}"),
            k);
        REQUIRE(v);
        CHECK(v.who->account_id == "444455556666");
    }
}

TEST_CASE("sigv4: canonical forms", "[auth][sigv4]") {
    CHECK(auth::sigv4_canonical_uri("") == "/");
    CHECK(auth::sigv4_canonical_uri("/") == "/");
    CHECK(auth::sigv4_canonical_uri("//") == "/");
    CHECK(auth::sigv4_canonical_uri("/./example") == "/example");
    CHECK(auth::sigv4_canonical_uri("/example space/") == "/example%20space/");
    // An escape that arrived is encoded again (non-S3 services sign the path twice-encoded).
    CHECK(auth::sigv4_canonical_uri("/a%20b") == "/a%2520b");
    CHECK(auth::sigv4_canonical_query("") == "");
    CHECK(auth::sigv4_canonical_query("Param1") == "Param1=");
    CHECK(auth::sigv4_canonical_query("b=1&A=2&a=1") == "A=2&a=1&b=1");
    CHECK(auth::sigv4_canonical_query("x=%7e&y=a+b&z=%2A") == "x=~&y=a%2Bb&z=%2A");
}

TEST_CASE("sigv4: refusals name the problem as Coral does", "[auth][sigv4]") {
    auto const k = keys();
    SECTION("no Authorization header, or not a SigV4 one") {
        auto req = sso_admin();
        req.erase(http::field::authorization);
        auto v = auth::verify_sigv4(req, k);
        CHECK(v.why == auth::failure::missing);
        CHECK(v.message == "Request is missing Authentication Token");
        req.set(http::field::authorization, "Basic dXNlcjpwYXNz");
        CHECK(auth::verify_sigv4(req, k).why == auth::failure::missing);
    }
    SECTION("missing parameters and date") {
        auto req = sso_admin();
        req.erase("X-Amz-Date");
        req.set(http::field::authorization, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/x");
        auto const v = auth::verify_sigv4(req, k);
        CHECK(v.why == auth::failure::incomplete);
        CHECK(v.message ==
              "Authorization header requires 'Signature' parameter. Authorization header requires "
              "'SignedHeaders' parameter. Authorization header requires existence of either a "
              "'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 "
              "Credential=AKIDEXAMPLE/x");
    }
    SECTION("a parameter without =") {
        auto req = sso_admin();
        req.set(http::field::authorization, "AWS4-HMAC-SHA256 Credential, Signature=x");
        auto const v = auth::verify_sigv4(req, k);
        CHECK(v.why == auth::failure::incomplete);
        CHECK(v.message ==
              "'Credential' not a valid key=value pair (missing equal-sign) in Authorization "
              "header: 'AWS4-HMAC-SHA256 Credential, Signature=x'.");
    }
    SECTION("a date that is not ISO 8601 basic format") {
        auto req = sso_admin();
        req.set("X-Amz-Date", "2015-08-30T12:36:00Z");
        auto const v = auth::verify_sigv4(req, k);
        CHECK(v.why == auth::failure::incomplete);
        CHECK(v.message ==
              "Date must be in ISO-8601 'basic format'. Got '2015-08-30T12:36:00Z'. See "
              "http://en.wikipedia.org/wiki/ISO_8601");
    }
    SECTION("a signature older than 15 minutes") {
        auto const v = auth::verify_sigv4(sso_admin(), keys(suite_time + 15 * 60 + 1));
        CHECK(v.why == auth::failure::expired);
        CHECK(v.message ==
              "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z "
              "(20150830T125101Z - 15 min.)");
        CHECK(auth::verify_sigv4(sso_admin(), keys(suite_time + 15 * 60)));
    }
    SECTION("a signature dated more than 15 minutes ahead") {
        auto const v = auth::verify_sigv4(sso_admin(), keys(suite_time - 15 * 60 - 1));
        CHECK(v.why == auth::failure::expired);
        CHECK(v.message ==
              "Signature not yet current: 20150830T123600Z is still later than 20150830T123559Z "
              "(20150830T122059Z + 15 min.)");
        CHECK(auth::verify_sigv4(sso_admin(), keys(suite_time - 15 * 60)));
    }
    SECTION("host not signed") {
        auto req = sso_admin();
        req.set(http::field::authorization,
                authorization("content-type;x-amz-date;x-amz-target", std::string(64, '0')));
        auto const v = auth::verify_sigv4(req, k);
        CHECK(v.why == auth::failure::bad_signature);
        CHECK(v.message == "'Host' must be a 'SignedHeader' in the AWS Authorization.");
    }
    SECTION("another algorithm") {
        auto req = sso_admin();
        req.set(http::field::authorization,
                "AWS4-HMAC-SHA512 Credential=AKIDEXAMPLE/20150830/us-east-1/sso/aws4_request, "
                "SignedHeaders=host, Signature=00");
        auto const v = auth::verify_sigv4(req, k);
        CHECK(v.why == auth::failure::incomplete);
        CHECK(v.message ==
              "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ");
    }
    SECTION("a credential with the wrong number of parts") {
        auto req = sso_admin();
        req.set(http::field::authorization,
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/sso/aws4_request, "
                "SignedHeaders=host, Signature=00");
        auto const v = auth::verify_sigv4(req, k);
        CHECK(v.why == auth::failure::incomplete);
        CHECK(v.message ==
              "Credential must have exactly 5 slash-delimited elements, e.g. "
              "keyid/date/region/service/term, got 'AKIDEXAMPLE/20150830/sso/aws4_request'");
    }
    SECTION("a scope for another service, terminator and date") {
        auto req = sso_admin();
        req.set(http::field::authorization,
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150831/us-east-1/s3/aws5_request, "
                "SignedHeaders=host, Signature=00");
        auto const v = auth::verify_sigv4(req, k);
        CHECK(v.why == auth::failure::bad_signature);
        CHECK(v.message ==
              "Credential should be scoped to correct service: 'sso'. Credential should be "
              "scoped with a valid terminator: 'aws4_request', not 'aws5_request'. Date in "
              "Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
              "HTTP: '20150831' != '20150830', from '20150830T123600Z'.");
    }
    SECTION("any region is accepted in the scope") {
        auto req = sso_admin();
        req.set(http::field::authorization,
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-3/sso/aws4_request, "
                "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=00");
        // The scope passes; only the signature (made for us-east-1) is wrong.
        auto const v = auth::verify_sigv4(req, k);
        CHECK(v.why == auth::failure::bad_signature);
        CHECK(v.message.starts_with(mismatch));
    }
    SECTION("an unknown access key id") {
        auto req = sso_admin();
        req.set(http::field::authorization,
                authorization("content-type;host;x-amz-date;x-amz-target",
                              "a28cf653edaf351afd2e736755a83ce790fe1d9a1636c9d525a955196346c47a",
                              "sso", "AKIDUNKNOWN"));
        auto const v = auth::verify_sigv4(req, k);
        CHECK(v.why == auth::failure::unknown_key);
        CHECK(v.message == "The security token included in the request is invalid.");
    }
    SECTION("a wrong secret") {
        auth::verifier const other({{akid, "another-secret", "111122223333", std::nullopt}},
                                   [] { return suite_time; });
        auto const v = auth::verify_sigv4(sso_admin(), other);
        CHECK(v.why == auth::failure::bad_signature);
        CHECK(v.message.starts_with(mismatch + "\n\nThe Canonical String for this request "
                                               "should have been\n'POST\n/\n\ncontent-type:"));
        CHECK(v.message.find("'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n"
                             "20150830T123600Z\n20150830/us-east-1/sso/aws4_request\n") !=
              std::string::npos);
    }
    SECTION("a body other than the one signed") {
        auto const v = auth::verify_sigv4(sso_admin(R"({"InstanceArn":"x"})"), k);
        CHECK(v.why == auth::failure::bad_signature);
        CHECK(v.message.find(auth::sha256_hex(R"({"InstanceArn":"x"})") + "'") !=
              std::string::npos);
    }
    SECTION("a signed header that is not in the request") {
        auto req = sso_admin();
        req.erase("X-Amz-Target");
        auto const v = auth::verify_sigv4(req, k);
        CHECK(v.why == auth::failure::bad_signature);
        CHECK(v.message ==
              "'x-amz-target' is in SignedHeaders but is not a header of the request.");
    }
    SECTION("a session token that is not signed") {
        auto req = sso_admin();
        req.set("X-Amz-Security-Token", "anything");
        auto const v = auth::verify_sigv4(req, k);
        CHECK(v.why == auth::failure::bad_signature);
        CHECK(v.message ==
              "'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization.");
    }
}

TEST_CASE("sigv4: session tokens", "[auth][sigv4]") {
    // Each request below is signed correctly (by this verifier's own rules, checked against
    // botocore above) so that only the token decides.
    auto const sign = [](std::string const& key, std::optional<std::string> const& token) {
        auto req = make(http::verb::post, "/",
                        {{"Host", "127.0.0.1:4577"}, {"X-Amz-Date", "20150830T123600Z"}}, "{}");
        std::string signed_headers = "host;x-amz-date";
        if (token) {
            req.set("X-Amz-Security-Token", *token);
            signed_headers += ";x-amz-security-token";
        }
        std::string const canonical = auth::sigv4_canonical_request(req, signed_headers);
        std::string const to_sign =
            "AWS4-HMAC-SHA256\n20150830T123600Z\n"
            "20150830/us-east-1/sso/aws4_request\n" +
            auth::sha256_hex(canonical);
        auto k = auth::hmac_sha256(std::string("AWS4") + secret, "20150830");
        k = auth::hmac_sha256(auth::as_key(k), "us-east-1");
        k = auth::hmac_sha256(auth::as_key(k), "sso");
        k = auth::hmac_sha256(auth::as_key(k), "aws4_request");
        req.set(http::field::authorization,
                authorization(signed_headers,
                              auth::hex(auth::hmac_sha256(auth::as_key(k), to_sign)), "sso", key));
        return req;
    };
    auto const k = keys();
    CHECK(auth::verify_sigv4(sign("AKIDTOKEN", "session-token-1"), k));
    auto v = auth::verify_sigv4(sign("AKIDTOKEN", "session-token-2"), k);
    CHECK(v.why == auth::failure::bad_token);
    CHECK(v.message == "The security token included in the request is invalid");
    v = auth::verify_sigv4(sign("AKIDTOKEN", std::nullopt), k);
    CHECK(v.why == auth::failure::bad_token);
    // A credential without a session token accepts a signed one (icemu's choice).
    CHECK(auth::verify_sigv4(sign(akid, "whatever"), k));
    CHECK(auth::verify_sigv4(sign(akid, std::nullopt), k));
}
