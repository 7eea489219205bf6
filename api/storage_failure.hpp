#pragma once

#include "server/message.hpp"
#include "store/error.hpp"

namespace icemu::api {

/// The rejection that tells a client why a storage failure lost its change: the store is full or
/// read-only; `internal_error` for anything else. Shared by the surfaces (a failure inside an
/// operation) and main.cpp (a failed group commit), so both answer alike.
constexpr server::rejection storage_rejection(int sqlite_code) noexcept {
    switch (store::classify(sqlite_code)) {
    case store::failure::full: return server::rejection::store_full;
    case store::failure::read_only: return server::rejection::store_read_only;
    case store::failure::other: break;
    }
    return server::rejection::internal_error;
}

} // namespace icemu::api
