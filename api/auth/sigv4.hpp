#pragma once

#include <string>
#include <string_view>

#include "api/auth/credentials.hpp"
#include "server/message.hpp"

namespace icemu::api::auth {

/// Verifies the AWS Signature Version 4 of `req` (its `Authorization: AWS4-HMAC-SHA256
/// Credential=..., SignedHeaders=..., Signature=...` header) for `service` in any region,
/// against `keys` and within 15 minutes of `keys.now_s()` (X-Amz-Date, else Date). The
/// canonical request uses the request's own SignedHeaders (`host` must be one, and each must
/// be present), its method, path, query and the SHA-256 of its body. X-Amz-Security-Token,
/// when sent, must be signed, and must equal the credential's session token when it has one.
/// A refusal carries the real Coral message; `why` picks the exception (missing →
/// MissingAuthenticationTokenException, incomplete → IncompleteSignatureException,
/// unknown_key and bad_token → UnrecognizedClientException, the rest →
/// InvalidSignatureException).
verdict verify_sigv4(server::request const& req, verifier const& keys,
                     std::string_view service = "sso");

/// The SigV4 canonical URI of a raw request path: dot segments and empty segments removed,
/// then every byte but the unreserved ones and `/` percent-encoded (so an escape that arrived
/// is encoded again, as AWS SDKs sign non-S3 paths).
std::string sigv4_canonical_uri(std::string_view raw_path);

/// The SigV4 canonical query of a raw query string: pairs decoded, re-encoded (RFC 3986
/// unreserved characters kept), sorted by name then value, joined with `&`.
std::string sigv4_canonical_query(std::string_view raw_query);

/// The canonical request of `req` for the given SignedHeaders value (for tests and the
/// InvalidSignatureException message).
std::string sigv4_canonical_request(server::request const& req, std::string_view signed_headers);

} // namespace icemu::api::auth
