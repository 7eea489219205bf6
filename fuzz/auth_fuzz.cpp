// Signature verification (the verify auth mode): raw bytes through Beast's request parser, then
// both verifiers (AWS SigV4 and Huawei SDK-HMAC-SHA256) against one configured credential and
// a fixed clock, and the SigV4 canonical URI and query of the request's target. Whatever the
// Authorization header, date, signed-header list or body holds, a verifier answers a verdict:
// accepted with the credential, or refused with a reason and a message, never both, never a
// crash.

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "api/auth/credentials.hpp"
#include "api/auth/sdk_hmac.hpp"
#include "api/auth/sigv4.hpp"

namespace {

namespace auth = icemu::api::auth;
namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

// 2026-11-23T08:40:00Z: the seeds are signed a few minutes after it, inside the window.
constexpr std::int64_t fixed_now = 1795423200;

auth::verifier const& keys() {
    static auth::verifier const v(
        {{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "123456789012", std::nullopt},
         {"AKTESTEXAMPLE0000000", "huawei-secret", "0123456789abcdef0123456789abcdef",
          std::string("session-token")}},
        [] { return fixed_now; });
    return v;
}

void check(auth::verdict const& v) {
    // Accepted exactly when a credential is named and no failure is; a refusal explains itself.
    bool const accepted = static_cast<bool>(v);
    if (accepted != (v.why == auth::failure::none))
        std::abort();
    if (!accepted && v.message.empty())
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(64 * 1024);
    parser.eager(true);
    beast::error_code ec;
    parser.put(net::buffer(data, size), ec);
    if (!ec && !parser.is_done())
        parser.put_eof(ec);
    if (ec || !parser.is_done())
        return 0;
    auto const& req = parser.get();
    check(auth::verify_sigv4(req, keys()));
    check(auth::verify_sdk_hmac(req, keys()));
    std::string_view const target = req.target();
    auto const q = target.find('?');
    static_cast<void>(auth::sigv4_canonical_uri(target.substr(0, q)));
    if (q != std::string_view::npos)
        static_cast<void>(auth::sigv4_canonical_query(target.substr(q + 1)));
    return 0;
}
