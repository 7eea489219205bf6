#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace icemu::server {

/// Asks `GET /_icemu/health` of the server at host:port (`0.0.0.0`, `::` or empty → 127.0.0.1)
/// and returns 0 on HTTP 200, 1 otherwise (refused, timed out, other status). Never takes
/// much longer than `timeout` in total and never throws. For `icemu healthcheck`.
int probe_health(std::string const& host, std::uint16_t port, std::chrono::milliseconds timeout);

} // namespace icemu::server
