#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <string_view>

namespace icemu::server {

namespace beast = boost::beast;
namespace http = beast::http;

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

/// What a surface tells the server about the call it answered, for the request log and metrics.
/// The views must point to storage that outlives the call (static names, or the response headers).
struct call_info {
    std::string_view surface = "none";   // "aws", "huawei", "admin"
    std::string_view operation = "-";    // e.g. "CreatePermissionSet"; "-" when unknown
    std::string_view request_id = "-";   // the id the response carries
    /// How long the session waits (on an asynchronous timer) before writing the response:
    /// the latency of a fault rule. Never a sleep: other connections are served meanwhile.
    std::chrono::milliseconds delay{0};
};

/// Why the server answers a request itself instead of (or after) its handler.
enum class rejection {
    body_too_large, // the body exceeded the configured limit: 413
    internal_error, // the handler's changes could not be committed: 500
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
