#pragma once

#include <array>
#include <chrono>
#include <exception>
#include <optional>
#include <string_view>
#include <utility>

#include "api/core/error.hpp"
#include "api/core/model.hpp"
#include "api/core/rules.hpp"

namespace icemu::api::core {

struct service;

/// The resources a call names that must be the caller's when tenancy is enforced: each
/// non-empty instance id in order, else the instance of `permission_set_id` (a permission set
/// named alone, as Huawei's tag paths do).
struct tenancy_targets {
    std::array<std::string_view, 2> instance_ids{};
    std::string_view permission_set_id;
};

/// One call of a surface, decoded: what the pipeline asks of it. A surface derives one per
/// request; the views it hands out point into its request and must outlive run_call.
class call {
public:
    call(caller by, std::string_view name) : who(std::move(by)), operation(name) {}
    virtual ~call() = default;
    call(call const&) = delete;
    call& operator=(call const&) = delete;

    caller who;                 // the caller, as the surface authenticated it
    std::string_view operation; // e.g. "DescribePermissionSet": tenancy's messages name it

    /// What the error rules see (asked only while error rules exist).
    virtual call_facts facts() const = 0;
    /// The error a matched error rule makes this call answer, in the surface's words.
    virtual error fault(fault_code code) const = 0;
    /// The surface's checks that run after the error rules (none by default).
    virtual void check() {}
    /// What tenancy authorizes.
    virtual tenancy_targets targets() const = 0;
    /// The call itself: reads its input, makes its core calls, writes its answer.
    virtual void run(service& svc) = 0;
};

/// Runs the rest of a call for every surface, in this order: the error rules (a match sets
/// `delay` to its latency, which the surface waits before answering, and throws
/// `c.fault(...)`), the surface's checks, tenancy (when enforced), settling
/// the requests due, and the call itself. Throws core::error for every failure a client may be
/// told: a storage failure becomes storage_error(). Other exceptions pass through unchanged.
void run_call(service& svc, call& c, std::chrono::milliseconds& delay);

/// The core error a storage failure (an SQLite extended result code) is answered with:
/// errc::internal with reason store_full, store_read_only or store_failed. Its text never holds
/// the storage's own (which may hold SQL).
error storage_error(int sqlite_code);

/// storage_error() of `failure` if it is a storage failure, else none (the admin API, which
/// answers outside the pipeline).
std::optional<error> storage_error_of(std::exception_ptr const& failure);

} // namespace icemu::api::core
