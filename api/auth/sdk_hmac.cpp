#include "api/auth/sdk_hmac.hpp"

#include <algorithm>
#include <vector>

#include "api/auth/canonical.hpp"
#include "api/auth/crypto.hpp"
#include "server/path_router.hpp"

namespace icemu::api::auth {

namespace {

constexpr std::string_view algorithm_name = "SDK-HMAC-SHA256";
// The API gateway's texts (after "Incorrect IAM authentication information: "). A detail
// after "verify aksk signature fail, " is icemu's, for problems the gateway does not explain.
constexpr std::string_view signature_fail = "verify aksk signature fail";
constexpr std::string_view unsigned_payload = "UNSIGNED-PAYLOAD";

verdict refuse(failure why, std::string message) {
    return {nullptr, why, std::move(message)};
}

verdict malformed(failure why, std::string const& detail) {
    return refuse(why, std::string(signature_fail) + ", " + detail);
}

struct authorization {
    std::string_view algorithm;
    std::string_view access;
    std::string_view signed_headers;
    std::string_view signature;
};

authorization parse(std::string_view header) {
    authorization out;
    auto const space = header.find(' ');
    out.algorithm = header.substr(0, space);
    if (space == std::string_view::npos)
        return out;
    for (std::string_view const item : split_list(header.substr(space + 1), ',')) {
        auto const eq = item.find('=');
        if (eq == std::string_view::npos)
            continue;
        auto const key = trim(item.substr(0, eq));
        auto const value = trim(item.substr(eq + 1));
        if (key == "Access")
            out.access = value;
        else if (key == "SignedHeaders")
            out.signed_headers = value;
        else if (key == "Signature")
            out.signature = value;
    }
    return out;
}

bool contains(std::vector<std::string_view> const& names, std::string_view name) {
    return std::any_of(names.begin(), names.end(),
                       [&](std::string_view n) { return lower(n) == name; });
}

} // namespace

std::string sdk_hmac_canonical_uri(std::string_view raw_path) {
    std::string const path = server::path_router::percent_decode(raw_path);
    std::string out;
    std::string_view rest = path;
    for (;;) {
        auto const slash = rest.find('/');
        out.append(uri_encode(rest.substr(0, slash), false));
        if (slash == std::string_view::npos)
            break;
        out.push_back('/');
        rest.remove_prefix(slash + 1);
    }
    if (!out.ends_with('/'))
        out.push_back('/');
    return out;
}

std::string sdk_hmac_canonical_query(std::string_view raw_query) {
    auto pairs = query_pairs(raw_query, true);
    std::sort(pairs.begin(), pairs.end());
    std::string out;
    for (auto const& [name, value] : pairs) {
        if (!out.empty())
            out.push_back('&');
        out.append(uri_encode(name, false)).append("=").append(uri_encode(value, false));
    }
    return out;
}

std::string sdk_hmac_canonical_request(server::request const& req,
                                       std::string_view signed_headers) {
    auto const [path, query] = split_target(req.target());
    std::string out(req.method_string());
    out.push_back('\n');
    out.append(sdk_hmac_canonical_uri(path)).push_back('\n');
    out.append(sdk_hmac_canonical_query(query)).push_back('\n');
    for (std::string_view const name : split_list(signed_headers, ';'))
        out.append(lower(name)).append(":").append(header_values(req, name, false)).push_back('\n');
    out.push_back('\n');
    out.append(signed_headers).push_back('\n');
    auto const content = req.find("X-Sdk-Content-Sha256");
    if (content != req.end() && trim(content->value()) == unsigned_payload)
        out.append(unsigned_payload);
    else
        out.append(sha256_hex(req.body()));
    return out;
}

verdict verify_sdk_hmac(server::request const& req, verifier const& keys) {
    auto const header = req.find(server::http::field::authorization);
    if (header == req.end()) {
        // Token authentication: icemu issues no IAM tokens, so none decrypts.
        if (has_header(req, "X-Auth-Token"))
            return refuse(failure::missing, "decrypt token fail");
        return refuse(failure::missing, "x-auth-token not found");
    }
    std::string_view const text = trim(header->value());
    auto const auth = parse(text);
    if (auth.algorithm != algorithm_name)
        return malformed(failure::incomplete, "unsupported algorithm '" +
                                                  std::string(auth.algorithm) +
                                                  "' (icemu verifies SDK-HMAC-SHA256)");
    if (auth.access.empty() || auth.signed_headers.empty() || auth.signature.empty())
        return malformed(failure::incomplete,
                         "the Authorization header needs Access, SignedHeaders and Signature");
    auto const date_header = req.find("X-Sdk-Date");
    if (date_header == req.end())
        return malformed(failure::incomplete, "X-Sdk-Date is missing");
    std::string_view const date = trim(date_header->value());
    auto const signed_at = parse_basic_date(date);
    if (!signed_at)
        return malformed(failure::incomplete,
                         "X-Sdk-Date '" + std::string(date) + "' is not yyyymmddThhmmssZ");
    auto const now = keys.now_s();
    if (*signed_at < now - signing_window_s || *signed_at > now + signing_window_s)
        return refuse(failure::expired, "calc ak sk signature fail:signature expired");

    credential const* who = keys.find(auth.access);
    // The gateway masks the AK it did not find.
    if (who == nullptr)
        return refuse(failure::unknown_key, "Get secretKey failed,ak:******,err:ak not exist");
    auto const signed_names = split_list(auth.signed_headers, ';');
    if (!contains(signed_names, "host"))
        return malformed(failure::bad_signature, "host must be a signed header");
    for (std::string_view const name : signed_names)
        if (!has_header(req, name))
            return malformed(failure::bad_signature,
                             "signed header '" + std::string(name) + "' is not in the request");
    bool const has_token = has_header(req, "X-Security-Token");
    if (has_token && !contains(signed_names, "x-security-token"))
        return malformed(failure::bad_signature, "x-security-token must be a signed header");

    std::string const canonical = sdk_hmac_canonical_request(req, auth.signed_headers);
    std::string const to_sign =
        std::string(algorithm_name) + "\n" + std::string(date) + "\n" + sha256_hex(canonical);
    std::string const expected = hex(hmac_sha256(who->secret_access_key, to_sign));
    if (!constant_time_equal(expected, auth.signature))
        return refuse(failure::bad_signature, std::string(signature_fail));

    if (auto const domain = req.find("X-Domain-Id");
        domain != req.end() && trim(domain->value()) != who->account_id)
        return refuse(failure::wrong_domain, "X-Domain-Id " + std::string(trim(domain->value())) +
                                                 " is not the account of the AK");
    if (who->session_token &&
        (!has_token ||
         !constant_time_equal(header_values(req, "X-Security-Token", false), *who->session_token)))
        return refuse(failure::bad_token, "decrypt token fail");
    return {who, failure::none, {}};
}

} // namespace icemu::api::auth
