#pragma once

namespace icemu::server {

/// How much the log says: a record is written when its level is at least the configured one.
enum class log_level { debug, info, warn, error };

} // namespace icemu::server
