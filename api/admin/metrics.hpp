#pragma once

#include <string>
#include <string_view>

#include "api/core/service.hpp"

namespace icemu::api::admin {

/// The Content-Type of the Prometheus text exposition format.
inline constexpr std::string_view prometheus_content_type = "text/plain; version=0.0.4";

/// Appends the core's gauges in Prometheus text (no timestamps): icemu_async_requests{kind,
/// status} (every combination, 0 included), icemu_scheduler_queue_depth (requests in flight)
/// and icemu_store_bytes. Throws the storage's own error on a
/// storage failure (core::storage_error_of tells it).
void render_core_metrics(std::string& out, core::service& svc);

} // namespace icemu::api::admin
