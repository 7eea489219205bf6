#include "api/auth/sigv4.hpp"

#include <algorithm>
#include <vector>

#include "api/auth/canonical.hpp"
#include "api/auth/crypto.hpp"

namespace icemu::api::auth {

namespace {

// The texts below are Coral's (the framework behind AWS JSON services), as DynamoDB answers
// them; sso-admin is a Coral service too.
constexpr std::string_view algorithm_name = "AWS4-HMAC-SHA256";
constexpr std::string_view missing_token = "Request is missing Authentication Token";
constexpr std::string_view invalid_key = "The security token included in the request is invalid.";
// Coral answers a session token it does not accept without the final period.
constexpr std::string_view invalid_token = "The security token included in the request is invalid";
constexpr std::string_view mismatch =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";
constexpr std::string_view token_header = "x-amz-security-token";

verdict refuse(failure why, std::string message) {
    return {nullptr, why, std::move(message)};
}

// The parameters of an `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`
// header. Views into the header value.
struct authorization {
    std::string_view algorithm;
    std::string_view credential;
    std::string_view signed_headers;
    std::string_view signature;
};

// Splits the header into its algorithm and parameters; a parameter without `=` is Coral's
// IncompleteSignatureException, returned as its message.
std::string parse(std::string_view header, authorization& out) {
    auto const space = header.find(' ');
    out.algorithm = header.substr(0, space);
    std::string_view rest =
        space == std::string_view::npos ? std::string_view{} : header.substr(space + 1);
    for (std::string_view const item : split_list(rest, ',')) {
        auto const eq = item.find('=');
        if (eq == std::string_view::npos)
            return "'" + std::string(item) +
                   "' not a valid key=value pair (missing equal-sign) in Authorization header: '" +
                   std::string(header) + "'.";
        auto const key = trim(item.substr(0, eq));
        auto const value = trim(item.substr(eq + 1));
        if (key == "Credential")
            out.credential = value;
        else if (key == "SignedHeaders")
            out.signed_headers = value;
        else if (key == "Signature")
            out.signature = value;
    }
    return {};
}

// RFC 3986 §5.2.4 without dot segments, and without empty segments (AWS collapses `//`), as
// botocore normalises a path before signing it.
std::string remove_dot_segments(std::string_view path) {
    std::vector<std::string_view> kept;
    for (std::string_view rest = path; !rest.empty();) {
        auto const slash = rest.find('/');
        auto const segment = rest.substr(0, slash);
        rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
        if (segment.empty() || segment == ".")
            continue;
        if (segment == "..") {
            if (!kept.empty())
                kept.pop_back();
            continue;
        }
        kept.push_back(segment);
    }
    std::string out = path.starts_with('/') ? "/" : "";
    for (std::size_t i = 0; i < kept.size(); ++i) {
        if (i > 0)
            out.push_back('/');
        out.append(kept[i]);
    }
    if (path.ends_with('/') && !kept.empty())
        out.push_back('/');
    return out;
}

bool contains(std::vector<std::string_view> const& names, std::string_view name) {
    return std::any_of(names.begin(), names.end(),
                       [&](std::string_view n) { return lower(n) == name; });
}

// The scope problems of a credential `keyid/date/region/service/aws4_request`, in Coral's
// words and order; empty when the scope is right.
std::string scope_problems(std::vector<std::string_view> const& parts, std::string_view service,
                           std::string_view date) {
    std::string out;
    if (parts[2].empty())
        out += "Credential should be scoped to a valid region, not ''. ";
    if (parts[3] != service)
        out += "Credential should be scoped to correct service: '" + std::string(service) + "'. ";
    if (parts[4] != "aws4_request")
        out += "Credential should be scoped with a valid terminator: 'aws4_request', not '" +
               std::string(parts[4]) + "'. ";
    if (parts[1] != date.substr(0, 8))
        out +=
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
            "from HTTP: '" +
            std::string(parts[1]) + "' != '" + std::string(date.substr(0, 8)) + "', from '" +
            std::string(date) + "'.";
    while (out.ends_with(' '))
        out.pop_back();
    return out;
}

} // namespace

std::string sigv4_canonical_uri(std::string_view raw_path) {
    std::string const path = raw_path.empty() ? "/" : remove_dot_segments(raw_path);
    return uri_encode(path.empty() ? "/" : path, true);
}

std::string sigv4_canonical_query(std::string_view raw_query) {
    std::vector<std::pair<std::string, std::string>> encoded;
    for (auto const& [name, value] : query_pairs(raw_query, false))
        encoded.emplace_back(uri_encode(name, false), uri_encode(value, false));
    std::sort(encoded.begin(), encoded.end());
    std::string out;
    for (auto const& [name, value] : encoded) {
        if (!out.empty())
            out.push_back('&');
        out.append(name).append("=").append(value);
    }
    return out;
}

std::string sigv4_canonical_request(server::request const& req, std::string_view signed_headers) {
    auto const [path, query] = split_target(req.target());
    std::string out(req.method_string());
    out.push_back('\n');
    out.append(sigv4_canonical_uri(path)).push_back('\n');
    out.append(sigv4_canonical_query(query)).push_back('\n');
    for (std::string_view const name : split_list(signed_headers, ';'))
        out.append(lower(name)).append(":").append(header_values(req, name, true)).push_back('\n');
    out.push_back('\n');
    out.append(signed_headers).push_back('\n');
    out.append(sha256_hex(req.body()));
    return out;
}

verdict verify_sigv4(server::request const& req, verifier const& keys, std::string_view service) {
    auto const header = req.find(server::http::field::authorization);
    if (header == req.end() || !trim(header->value()).starts_with("AWS4-"))
        return refuse(failure::missing, std::string(missing_token));
    std::string_view const text = trim(header->value());

    authorization auth;
    if (auto problem = parse(text, auth); !problem.empty())
        return refuse(failure::incomplete, std::move(problem));
    auto date_header = req.find("X-Amz-Date");
    if (date_header == req.end())
        date_header = req.find(server::http::field::date);
    std::string missing;
    if (auth.credential.empty())
        missing += "Authorization header requires 'Credential' parameter. ";
    if (auth.signature.empty())
        missing += "Authorization header requires 'Signature' parameter. ";
    if (auth.signed_headers.empty())
        missing += "Authorization header requires 'SignedHeaders' parameter. ";
    if (date_header == req.end())
        missing +=
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
            "header. ";
    if (!missing.empty())
        return refuse(failure::incomplete, missing + "Authorization=" + std::string(text));

    std::string_view const date = trim(date_header->value());
    auto const signed_at = parse_basic_date(date);
    if (!signed_at)
        return refuse(failure::incomplete, "Date must be in ISO-8601 'basic format'. Got '" +
                                               std::string(date) +
                                               "'. See http://en.wikipedia.org/wiki/ISO_8601");
    auto const now = keys.now_s();
    if (*signed_at < now - signing_window_s)
        return refuse(failure::expired, "Signature expired: " + std::string(date) +
                                            " is now earlier than " +
                                            format_basic_date(now - signing_window_s) + " (" +
                                            format_basic_date(now) + " - 15 min.)");
    if (*signed_at > now + signing_window_s)
        return refuse(failure::expired, "Signature not yet current: " + std::string(date) +
                                            " is still later than " +
                                            format_basic_date(now + signing_window_s) + " (" +
                                            format_basic_date(now) + " + 15 min.)");

    auto const signed_names = split_list(auth.signed_headers, ';');
    if (!contains(signed_names, "host"))
        return refuse(failure::bad_signature,
                      "'Host' must be a 'SignedHeader' in the AWS Authorization.");
    if (auth.algorithm != algorithm_name)
        return refuse(failure::incomplete, "Unsupported AWS 'algorithm': '" +
                                               std::string(auth.algorithm) +
                                               "' (only AWS4-HMAC-SHA256 for now). ");
    std::string_view credential_text = auth.credential;
    while (credential_text.ends_with('/'))
        credential_text.remove_suffix(1);
    std::vector<std::string_view> parts;
    for (std::string_view rest = credential_text;;) {
        auto const slash = rest.find('/');
        parts.push_back(rest.substr(0, slash));
        if (slash == std::string_view::npos)
            break;
        rest.remove_prefix(slash + 1);
    }
    if (parts.size() != 5)
        return refuse(failure::incomplete,
                      "Credential must have exactly 5 slash-delimited elements, e.g. "
                      "keyid/date/region/service/term, got '" +
                          std::string(auth.credential) + "'");
    if (auto problems = scope_problems(parts, service, date); !problems.empty())
        return refuse(failure::bad_signature, std::move(problems));

    credential const* who = keys.find(parts[0]);
    if (who == nullptr)
        return refuse(failure::unknown_key, std::string(invalid_key));
    // icemu's choices (texts in Coral's style): a header named in SignedHeaders must be there,
    // and a session token must be signed, or a proxy could drop or swap it unnoticed.
    for (std::string_view const name : signed_names)
        if (!has_header(req, name))
            return refuse(failure::bad_signature, "'" + std::string(name) +
                                                      "' is in SignedHeaders but is not a header "
                                                      "of the request.");
    bool const has_token = has_header(req, token_header);
    if (has_token && !contains(signed_names, token_header))
        return refuse(failure::bad_signature,
                      "'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization.");

    std::string const canonical = sigv4_canonical_request(req, auth.signed_headers);
    std::string const scope = std::string(parts[1]) + "/" + std::string(parts[2]) + "/" +
                              std::string(parts[3]) + "/aws4_request";
    std::string const to_sign = std::string(algorithm_name) + "\n" + std::string(date) + "\n" +
                                scope + "\n" + sha256_hex(canonical);
    digest key = hmac_sha256("AWS4" + who->secret_access_key, parts[1]);
    key = hmac_sha256(as_key(key), parts[2]);
    key = hmac_sha256(as_key(key), parts[3]);
    key = hmac_sha256(as_key(key), "aws4_request");
    std::string const expected = hex(hmac_sha256(as_key(key), to_sign));
    if (!constant_time_equal(expected, auth.signature))
        return refuse(failure::bad_signature,
                      std::string(mismatch) +
                          "\n\nThe Canonical String for this request should have been\n'" +
                          canonical + "'\n\nThe String-to-Sign should have been\n'" + to_sign +
                          "'\n");

    if (who->session_token &&
        (!has_token ||
         !constant_time_equal(header_values(req, token_header, false), *who->session_token)))
        return refuse(failure::bad_token, std::string(invalid_token));
    return {who, failure::none, {}};
}

} // namespace icemu::api::auth
