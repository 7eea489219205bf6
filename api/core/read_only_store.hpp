#pragma once

#include <memory>
#include <string>

#include "api/core/service.hpp"

namespace icemu::api::core {

class identity_store;

/// A store file opened read-only (never created, migrated or written) with the core over it, for
/// reading a stopped icemu's state offline (`icemu export`). The constructor throws the store's
/// errors (std::exception): a file that is missing or unreadable, or of another schema version.
class read_only_store {
public:
    read_only_store(std::string const& path, service_options options);
    ~read_only_store();
    read_only_store(read_only_store const&) = delete;
    read_only_store& operator=(read_only_store const&) = delete;

    service& svc() noexcept;
    identity_store& identity() noexcept;

private:
    struct parts;
    std::unique_ptr<parts> parts_;
};

} // namespace icemu::api::core
