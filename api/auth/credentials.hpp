#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace icemu::api::auth {

/// One configured credential: an access key id (an AWS access key, or a Huawei AK) with its
/// secret and the account it acts for; `session_token`, when set, must come with every request
/// signed by it (X-Amz-Security-Token, X-Security-Token).
struct credential {
    std::string access_key_id;
    std::string secret_access_key;
    std::string account_id;
    std::optional<std::string> session_token;
};

/// Seconds since the epoch of the system clock: the wall clock that the signing window is
/// measured against (never the scheduler's virtual clock).
std::int64_t wall_seconds();

/// The credentials of the verify auth mode, looked up by access key id, and the clock of the
/// 15-minute signing window. Immutable after construction; safe to share between surfaces.
class verifier {
public:
    using clock_fn = std::function<std::int64_t()>; // epoch seconds

    /// Keys must be unique (the configuration checks it; a later duplicate is ignored).
    explicit verifier(std::vector<credential> credentials, clock_fn now_s = wall_seconds);

    /// The credential with this access key id, or null. The pointer lives as long as `*this`.
    credential const* find(std::string_view access_key_id) const;
    /// Now, in epoch seconds, by the verifier's clock.
    std::int64_t now_s() const { return now_s_(); }

private:
    std::unordered_map<std::string, credential> by_key_;
    clock_fn now_s_;
};

/// How far (either way) a request's signing date may be from now: 15 minutes, as AWS and the
/// Huawei API gateway allow.
inline constexpr std::int64_t signing_window_s = 15 * 60;

/// Why a request was refused. Each surface maps it to its own error (AWS exception names,
/// Huawei 401 APIG.0301).
enum class failure {
    none,
    missing,       // no credentials at all (no Authorization header)
    incomplete,    // a malformed Authorization header or signing date
    unknown_key,   // no configured credential has the access key id
    bad_signature, // a wrong signature, scope or set of signed headers
    expired,       // the signing date is outside the 15-minute window
    bad_token,     // the session token does not match the credential's
    wrong_domain,  // (Huawei) X-Domain-Id names another account than the AK's
};

/// The outcome of a verification: the credential when the request is accepted, else why not
/// with a message in the dialect of the verifier's surface.
struct verdict {
    credential const* who = nullptr;
    failure why = failure::none;
    std::string message;

    explicit operator bool() const noexcept { return who != nullptr; }
};

/// Epoch seconds of an ISO 8601 basic-format UTC time `yyyymmddThhmmssZ`, if it is one.
std::optional<std::int64_t> parse_basic_date(std::string_view text);
/// `yyyymmddThhmmssZ` of epoch seconds.
std::string format_basic_date(std::int64_t epoch_s);

} // namespace icemu::api::auth
