#pragma once

#include "api/core/error.hpp"
#include "server/message.hpp"

namespace icemu::api {

/// The rejection that tells a client why a storage failure lost its change: the store is full or
/// read-only; `internal_error` for any other failure (and any reason that is no storage failure).
/// Shared by the surfaces (a core::error from core::storage_error) and main.cpp (a failed group
/// commit), so all answer alike.
constexpr server::rejection storage_rejection(core::reason why) noexcept {
    switch (why) {
    case core::reason::store_full: return server::rejection::store_full;
    case core::reason::store_read_only: return server::rejection::store_read_only;
    default: break;
    }
    return server::rejection::internal_error;
}

} // namespace icemu::api
