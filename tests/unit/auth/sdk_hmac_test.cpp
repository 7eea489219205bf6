#include "api/auth/sdk_hmac.hpp"

#include <catch2/catch.hpp>
#include <initializer_list>
#include <string>
#include <utility>

#include "api/auth/credentials.hpp"
#include "api/auth/crypto.hpp"

// Vectors: Huawei Cloud's documented SDK-HMAC-SHA256 signer (tools/gen_auth_vectors.py),
// cross-checked with the npm core client's AKSKSigner, at X-Sdk-Date 20150830T123600Z.

namespace {

namespace auth = icemu::api::auth;
namespace server = icemu::server;
namespace http = server::http;

constexpr std::int64_t signing_time = 1440938160; // 20150830T123600Z
constexpr char const* ak = "AKTEST";
constexpr char const* sk = "sk-test-secret";
constexpr char const* domain = "0123456789abcdef0123456789abcdef";
constexpr char const* signed_list = "content-type;host;x-domain-id;x-sdk-date";

auth::verifier keys(std::int64_t now = signing_time) {
    return auth::verifier(
        {{ak, sk, domain, std::nullopt}, {"AKTOKEN", sk, domain, "security-token-1"}},
        [now] { return now; });
}

// A request as the Huawei SDK signs it: Content-Type, Host, X-Domain-Id, X-Sdk-Date.
server::request make(http::verb method, std::string target, std::string const& signature,
                     std::string body = {}) {
    server::request req{method, target, 11};
    req.set(http::field::content_type, "application/json");
    req.set(http::field::host, "127.0.0.1:4577");
    req.set("X-Domain-Id", domain);
    req.set("X-Sdk-Date", "20150830T123600Z");
    req.set(http::field::authorization, std::string("SDK-HMAC-SHA256 Access=") + ak +
                                            ", SignedHeaders=" + signed_list +
                                            ", Signature=" + signature);
    req.body() = std::move(body);
    return req;
}

server::request list_permission_sets() {
    return make(http::verb::get,
                "/v1/instances/ins-560aa041748d679e/permission-sets?limit=10&name=Read%20Only",
                "2ca5a5f5889e5dc4d18180f07a12436cec0818e95667829099241e3d73dc6f40");
}

server::request create_permission_set(std::string body = R"({"name":"ReadOnly"})") {
    return make(http::verb::post, "/v1/instances/ins-560aa041748d679e/permission-sets",
                "0c39d9254e176d3d99b07ea7b2f43cf8e387cabb2c3db087ee06990198f30511",
                std::move(body));
}

// Signs `req` (with `signed_headers`) under `secret` the way the SDK does.
void sign(server::request& req, std::string const& signed_headers, std::string const& key = ak,
          std::string const& secret = sk) {
    std::string const to_sign =
        "SDK-HMAC-SHA256\n" + std::string(req["X-Sdk-Date"]) + "\n" +
        auth::sha256_hex(auth::sdk_hmac_canonical_request(req, signed_headers));
    req.set(http::field::authorization,
            "SDK-HMAC-SHA256 Access=" + key + ", SignedHeaders=" + signed_headers +
                ", Signature=" + auth::hex(auth::hmac_sha256(secret, to_sign)));
}

} // namespace

TEST_CASE("sdk-hmac: the reference signer's vectors verify", "[auth][sdk_hmac]") {
    auto const k = keys();
    SECTION("GET with a query (sorted, a space encoded as %20)") {
        auto const v = auth::verify_sdk_hmac(list_permission_sets(), k);
        REQUIRE(v);
        CHECK(v.who->account_id == domain);
    }
    SECTION("POST with a body") {
        CHECK(auth::verify_sdk_hmac(create_permission_set(), k));
    }
    SECTION("a percent-encoded path segment (the Python SDK's tag paths)") {
        CHECK(auth::verify_sdk_hmac(
            make(http::verb::get,
                 "/v1/instances/identitycenter%3Apermissionset/ps-0123456789abcdef/tags",
                 "cb91f769997079e2d2120b9805811c470bcbdc600cc0f57a1cae7179bb169280"),
            k));
        // The npm client sends the colon as it is: the same canonical path.
        CHECK(auth::verify_sdk_hmac(
            make(http::verb::get,
                 "/v1/instances/identitycenter:permissionset/ps-0123456789abcdef/tags",
                 "cb91f769997079e2d2120b9805811c470bcbdc600cc0f57a1cae7179bb169280"),
            k));
    }
    SECTION("query order and + as a space") {
        CHECK(auth::verify_sdk_hmac(
            make(http::verb::get, "/v1/instances?marker=b&limit=5&filter=a+b",
                 "4430816690b91dcc4e71b14f637a87eee7a4e05d9bd81290b8a1a17e85cc3a41"),
            k));
    }
}

TEST_CASE("sdk-hmac: canonical forms", "[auth][sdk_hmac]") {
    CHECK(auth::sdk_hmac_canonical_uri("/v1/instances") == "/v1/instances/");
    CHECK(auth::sdk_hmac_canonical_uri("/v1/instances/") == "/v1/instances/");
    CHECK(auth::sdk_hmac_canonical_uri("/v1/a%3Ab/c d") == "/v1/a%3Ab/c%20d/");
    CHECK(auth::sdk_hmac_canonical_query("") == "");
    CHECK(auth::sdk_hmac_canonical_query("b=2&a=x+y&a=1&c") == "a=1&a=x%20y&b=2&c=");
}

TEST_CASE("sdk-hmac: refusals carry the API gateway's texts", "[auth][sdk_hmac]") {
    auto const k = keys();
    SECTION("no credentials at all") {
        auto req = list_permission_sets();
        req.erase(http::field::authorization);
        auto v = auth::verify_sdk_hmac(req, k);
        CHECK(v.why == auth::failure::missing);
        CHECK(v.message == "x-auth-token not found");
        req.set("X-Auth-Token", "MIIabc");
        v = auth::verify_sdk_hmac(req, k);
        CHECK(v.message == "decrypt token fail");
    }
    SECTION("a wrong secret") {
        auth::verifier const other({{ak, "another", domain, std::nullopt}},
                                   [] { return signing_time; });
        auto const v = auth::verify_sdk_hmac(list_permission_sets(), other);
        CHECK(v.why == auth::failure::bad_signature);
        CHECK(v.message == "verify aksk signature fail");
    }
    SECTION("a body other than the one signed") {
        auto const v = auth::verify_sdk_hmac(create_permission_set(R"({"name":"Admin"})"), k);
        CHECK(v.why == auth::failure::bad_signature);
        CHECK(v.message == "verify aksk signature fail");
    }
    SECTION("a query other than the one signed") {
        auto req = list_permission_sets();
        req.target("/v1/instances/ins-560aa041748d679e/permission-sets?limit=11&name=Read%20Only");
        CHECK(auth::verify_sdk_hmac(req, k).message == "verify aksk signature fail");
    }
    SECTION("an unknown AK, masked") {
        auto req = list_permission_sets();
        sign(req, signed_list, "AKUNKNOWN");
        auto const v = auth::verify_sdk_hmac(req, k);
        CHECK(v.why == auth::failure::unknown_key);
        CHECK(v.message == "Get secretKey failed,ak:******,err:ak not exist");
    }
    SECTION("a date outside 15 minutes, either way") {
        auto v = auth::verify_sdk_hmac(list_permission_sets(), keys(signing_time + 15 * 60 + 1));
        CHECK(v.why == auth::failure::expired);
        CHECK(v.message == "calc ak sk signature fail:signature expired");
        v = auth::verify_sdk_hmac(list_permission_sets(), keys(signing_time - 15 * 60 - 1));
        CHECK(v.why == auth::failure::expired);
        CHECK(auth::verify_sdk_hmac(list_permission_sets(), keys(signing_time + 15 * 60)));
    }
    SECTION("a malformed header or date") {
        auto req = list_permission_sets();
        req.set(http::field::authorization,
                "SDK-HMAC-SM3 Access=AKTEST, SignedHeaders=host, "
                "Signature=00");
        auto v = auth::verify_sdk_hmac(req, k);
        CHECK(v.why == auth::failure::incomplete);
        CHECK(v.message ==
              "verify aksk signature fail, unsupported algorithm 'SDK-HMAC-SM3' "
              "(icemu verifies SDK-HMAC-SHA256)");
        req.set(http::field::authorization, "SDK-HMAC-SHA256 Access=AKTEST, Signature=00");
        v = auth::verify_sdk_hmac(req, k);
        CHECK(v.message ==
              "verify aksk signature fail, the Authorization header needs Access, "
              "SignedHeaders and Signature");
        req = list_permission_sets();
        req.set("X-Sdk-Date", "2015-08-30");
        v = auth::verify_sdk_hmac(req, k);
        CHECK(v.message ==
              "verify aksk signature fail, X-Sdk-Date '2015-08-30' is not "
              "yyyymmddThhmmssZ");
        req.erase("X-Sdk-Date");
        CHECK(auth::verify_sdk_hmac(req, k).message ==
              "verify aksk signature fail, X-Sdk-Date is missing");
    }
    SECTION("host unsigned, a signed header absent") {
        auto req = list_permission_sets();
        sign(req, "content-type;x-domain-id;x-sdk-date");
        auto v = auth::verify_sdk_hmac(req, k);
        CHECK(v.why == auth::failure::bad_signature);
        CHECK(v.message == "verify aksk signature fail, host must be a signed header");
        req = list_permission_sets();
        req.erase(http::field::content_type);
        v = auth::verify_sdk_hmac(req, k);
        CHECK(v.message ==
              "verify aksk signature fail, signed header 'content-type' is not in the request");
    }
    SECTION("X-Domain-Id must be the AK's account") {
        auto req = list_permission_sets();
        req.set("X-Domain-Id", "ffffffffffffffffffffffffffffffff");
        sign(req, signed_list);
        auto v = auth::verify_sdk_hmac(req, k);
        CHECK(v.why == auth::failure::wrong_domain);
        CHECK(v.message ==
              "X-Domain-Id ffffffffffffffffffffffffffffffff is not the account of the AK");
        // Without the header the AK alone decides.
        req.erase("X-Domain-Id");
        sign(req, "content-type;host;x-sdk-date");
        CHECK(auth::verify_sdk_hmac(req, k));
    }
    SECTION("security tokens") {
        auto req = list_permission_sets();
        req.set("X-Security-Token", "security-token-1");
        sign(req, signed_list, "AKTOKEN");
        auto v = auth::verify_sdk_hmac(req, k);
        CHECK(v.why == auth::failure::bad_signature);
        CHECK(v.message == "verify aksk signature fail, x-security-token must be a signed header");
        sign(req, std::string(signed_list) + ";x-security-token", "AKTOKEN");
        CHECK(auth::verify_sdk_hmac(req, k));
        req.set("X-Security-Token", "security-token-2");
        sign(req, std::string(signed_list) + ";x-security-token", "AKTOKEN");
        v = auth::verify_sdk_hmac(req, k);
        CHECK(v.why == auth::failure::bad_token);
        CHECK(v.message == "decrypt token fail");
    }
    SECTION("UNSIGNED-PAYLOAD stands for the body when X-Sdk-Content-Sha256 says so") {
        auto req = create_permission_set();
        req.set("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD");
        sign(req, std::string(signed_list) + ";x-sdk-content-sha256");
        req.body() = "anything";
        CHECK(auth::verify_sdk_hmac(req, k));
    }
}
