#pragma once

#include <algorithm>
#include <array>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>

namespace icemu::server {

namespace beast = boost::beast;
namespace http = beast::http;

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

/// What a surface tells the server about the call it answered, for the request log and metrics.
/// The views must point to storage that outlives the call (static names, or the response headers).
struct call_info {
    std::string_view surface = "none"; // "aws", "huawei", "admin"
    std::string_view operation = "-";  // e.g. "CreatePermissionSet"; "-" when unknown
    std::string_view request_id = "-"; // the id the response carries
    /// How long the session waits (on an asynchronous timer) before writing the response:
    /// the latency of a fault rule. Never a sleep: other connections are served meanwhile.
    std::chrono::milliseconds delay{0};

    /// The caller's account as the surface authenticated it (for the journal); empty when the
    /// call was refused before. Kept inline: an AWS account (12 digits) or a Huawei domain id
    /// (32 hex) needs no allocation; a longer one is cut.
    void set_account(std::string_view account) noexcept {
        account_size = std::min(account.size(), account_text.size());
        std::copy_n(account.data(), account_size, account_text.data());
    }
    std::string_view account() const noexcept { return {account_text.data(), account_size}; }

    std::array<char, 64> account_text{}; // set_account() writes these two
    std::size_t account_size = 0;
};

/// Why the server answers a request itself instead of (or after) its handler.
enum class rejection {
    body_too_large,       // the body exceeded limits.max_body_bytes: 413
    internal_error,       // the handler's changes could not be committed: 500
    header_too_large,     // the request line and headers exceeded limits.max_header_bytes: 431
    request_timeout,      // the request did not arrive within limits.request_timeout_ms: 408
    too_many_connections, // limits.max_connections connections were open already: 503
    store_full,      // not committed: the store reached its size limit or the disk is full: 500
    store_read_only, // not committed: the store is read-only: 500
    malformed,       // not HTTP/1.1 Beast can parse (request line, a field, chunking): 400
};

/// The HTTP status that answers a rejection.
constexpr http::status status_of(rejection why) noexcept {
    switch (why) {
    case rejection::body_too_large: return http::status::payload_too_large;
    case rejection::header_too_large: return http::status::request_header_fields_too_large;
    case rejection::request_timeout: return http::status::request_timeout;
    case rejection::too_many_connections: return http::status::service_unavailable;
    case rejection::malformed: return http::status::bad_request;
    case rejection::internal_error:
    case rejection::store_full:
    case rejection::store_read_only: break;
    }
    return http::status::internal_server_error;
}

/// A sentence for clients that says what happened and names the setting (never internals).
constexpr std::string_view describe(rejection why) noexcept {
    switch (why) {
    case rejection::body_too_large:
        return "The request body is larger than icemu accepts (limits.max_body_bytes).";
    case rejection::header_too_large:
        return "The request headers are larger than icemu accepts (limits.max_header_bytes).";
    case rejection::request_timeout:
        return "The request did not arrive completely within limits.request_timeout_ms.";
    case rejection::too_many_connections:
        return "icemu has as many connections open as it accepts (limits.max_connections); "
               "retry later.";
    case rejection::store_full:
        return "The store is full (store.max_size_mib, or the disk): the change was not saved.";
    case rejection::store_read_only:
        return "The store is read-only (store.read_only): the change was not saved.";
    case rejection::malformed:
        return "The request is not well-formed HTTP/1.1 (its request line, a header field or its "
               "chunked body).";
    case rejection::internal_error: break;
    }
    return "An internal error occurred; the change was not saved.";
}

/// True if Beast's parser refused a request with `ec` because it is not HTTP/1.1 it can parse
/// (answered rejection::malformed), as opposed to a connection that ended or a limit.
inline bool is_malformed(beast::error_code const& ec) noexcept {
    using http::error;
    for (error const e :
         {error::bad_line_ending, error::bad_method, error::bad_target, error::bad_version,
          error::bad_field, error::bad_value, error::bad_content_length,
          error::bad_transfer_encoding, error::bad_chunk, error::bad_chunk_extension,
          error::bad_obs_fold, error::multiple_content_length})
        if (ec == e)
            return true;
    return false;
}

/// Thrown by a commit function (see commit_gate) to say which rejection answers the requests
/// whose changes the failed commit lost; any other exception answers `internal_error`.
class commit_failure : public std::runtime_error {
public:
    commit_failure(rejection why, std::string const& what) : std::runtime_error(what), why_(why) {}
    rejection why() const noexcept { return why_; }

private:
    rejection why_;
};

/// A protocol surface mounted on the router. Both calls are synchronous and never throw:
/// a surface renders every failure in its own dialect.
class endpoint {
public:
    virtual ~endpoint() = default;
    /// Answers one request; fills `info` for the log.
    virtual response handle(request const& req, call_info& info) = 0;
    /// Renders a rejection decided by the server (see `rejection`) in the surface's dialect.
    virtual response reject(request const& req, rejection why, call_info& info) = 0;
};

} // namespace icemu::server
