#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "server/message.hpp"

namespace icemu::server {

/// One journaled call of a surface. Bodies hold at most the journal's body limit; a longer one
/// is cut there and marked truncated.
struct journal_entry {
    std::uint64_t seq = 0;     // 1 for the first call journaled since start (never reused)
    std::int64_t time_ms = 0;  // wall clock, epoch ms, when the answer was written
    std::int64_t clock_ms = 0; // the scheduler's virtual clock then (wall + offset)
    std::int64_t duration_us = 0;
    unsigned status = 0;
    std::string surface;
    std::string operation; // "-" when the call named none icemu knows
    std::string method;
    std::string path;       // the request target, query included
    std::string account_id; // empty when the call was refused before authentication
    std::string error;      // AWS __type / Huawei error_code of an error answer; else empty
    std::string request_id;
    std::string request;
    std::string response;
    bool request_truncated = false;
    bool response_truncated = false;
};

/// The request journal: the last `capacity` calls of the protocol surfaces (admin calls are not
/// journaled), in a ring whose slots are reused, so that recording a call allocates nothing once
/// the ring has been round (strings keep their capacity). Secrets are never kept: no header is
/// stored, and the values of secret members of JSON request bodies (see is_secret_member) are
/// replaced by "***" (answers are icemu's own and hold none). Single-threaded, like the sessions
/// that record into it.
class journal {
public:
    /// `capacity` 0: off (record does nothing). `clock_offset_ms` gives the virtual clock's
    /// offset from wall time (none: 0).
    journal(std::size_t capacity, std::size_t max_body_bytes,
            std::function<std::int64_t()> clock_offset_ms = {});

    bool enabled() const noexcept { return capacity_ > 0; }
    std::size_t capacity() const noexcept { return capacity_; }
    std::size_t max_body_bytes() const noexcept { return max_body_; }
    /// How many calls the ring holds now.
    std::size_t size() const noexcept;

    /// Journals one answered call (not an admin one: the caller checks).
    void record(request const& req, response const& res, call_info const& info,
                std::chrono::nanoseconds took);

    /// Calls `f(entry)` for each call held, newest first, while it returns true.
    void for_each_newest(std::function<bool(journal_entry const&)> const& f) const;

    /// Forgets every call; sequence numbers go on from where they were.
    void clear() noexcept;

private:
    // Filled as calls come (reserved, not constructed: a start pays nothing for the ring).
    std::vector<journal_entry> slots_;
    std::size_t capacity_;
    std::size_t max_body_;
    std::function<std::int64_t()> clock_offset_;
    std::uint64_t next_seq_ = 1;
    std::uint64_t first_seq_ = 1; // the oldest seq clear() kept (calls before it are gone)
};

/// True for a JSON member whose value the journal never keeps (a password, a secret key or
/// token), compared without case: "password", "secret", "SecretAccessKey", "SessionToken", ...
bool is_secret_member(std::string_view name) noexcept;

/// The error code of an error answer's JSON body: AWS `__type` (after a `#`, if any) or Huawei
/// `error_code`; empty if it has neither.
std::string_view error_code_of(std::string_view body) noexcept;

} // namespace icemu::server
