#pragma once

#include <string>

#include "api/core/service.hpp"

namespace icemu::api::admin {

/// `icemu export --db FILE`: the document of `GET /_icemu/state` for the store file at `path`,
/// opened read-only (never created, migrated or written). `options` are the configuration's, as a
/// server started on the file would have them (its `scheduler` member comes from them). Throws
/// what core::read_only_store throws: for a file of another schema version, or one that cannot be
/// read.
std::string export_state(std::string const& path, core::service_options options);

} // namespace icemu::api::admin
