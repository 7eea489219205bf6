#pragma once

#include <string>
#include <string_view>

#include "api/auth/credentials.hpp"
#include "server/message.hpp"

namespace icemu::api::auth {

/// Verifies the Huawei Cloud `SDK-HMAC-SHA256` signature of `req` (`Authorization:
/// SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=..., Signature=...` and `X-Sdk-Date`) against
/// `keys`, within 15 minutes of `keys.now_s()` (icemu's choice for the window, as APIG's
/// documentation states). The canonical request uses the request's own SignedHeaders (`host`
/// must be one, and each must be present), its method, path (decoded, each segment
/// re-encoded, a trailing `/` added), sorted query and the SHA-256 of its body (or
/// `UNSIGNED-PAYLOAD` when X-Sdk-Content-Sha256 says so). X-Security-Token, when sent, must be
/// signed, and must equal the credential's session token when it has one; X-Domain-Id, when
/// sent, must be the credential's account. A refusal's message is the text after the API
/// gateway's "Incorrect IAM authentication information: " (401 APIG.0301).
verdict verify_sdk_hmac(server::request const& req, verifier const& keys);

/// The canonical URI of a raw request path: percent-decoded, split on `/`, each segment
/// re-encoded (unreserved characters kept), joined, with a trailing `/`.
std::string sdk_hmac_canonical_uri(std::string_view raw_path);

/// The canonical query of a raw query string: pairs decoded (`+` is a space), sorted by name
/// then value, re-encoded, joined with `&`.
std::string sdk_hmac_canonical_query(std::string_view raw_query);

/// The canonical request of `req` for the given SignedHeaders value (for tests).
std::string sdk_hmac_canonical_request(server::request const& req, std::string_view signed_headers);

} // namespace icemu::api::auth
