#pragma once

// What the fuzz targets share: one service over a `:memory:` store with the three surfaces
// behind the server's router (no sockets, no asio), the checks every answer must pass, and the
// record format of the structured targets. The surfaces promise never to throw: an exception
// escaping one reaches libFuzzer and is reported as a crash, as it should be.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/admin/surface.hpp"
#include "api/aws/surface.hpp"
#include "api/core/clock.hpp"
#include "api/core/fixtures.hpp"
#include "api/core/service.hpp"
#include "api/huawei/surface.hpp"
#include "server/message.hpp"
#include "server/router.hpp"
#include "store/database.hpp"

namespace icemu::fuzz {

namespace http = server::http;

/// The instance every fresh state has (owner 123456789012): its 16 hex characters.
inline constexpr std::string_view initial_instance = "560aa041748d679e";

/// Stops the process with `what` and the exchange that broke a contract (abort: libFuzzer
/// keeps the input as a crash, and the replay driver fails).
[[noreturn]] void violation(std::string_view what, server::request const& req,
                            server::response const& res);

/// The service, its store and the surfaces, built once per process. restore() brings the state
/// back to the initial one between inputs, so that an input's outcome never depends on the
/// inputs before it (a crash reproduces from its file alone).
class world {
public:
    world();
    world(world const&) = delete;
    world& operator=(world const&) = delete;

    /// Answers `req` through the router, as a session does, and checks the answer (below).
    server::response dispatch(server::request const& req);
    /// Answers `req` as a session does after the parser reported a body over its limit.
    server::response reject_too_large(server::request const& req);
    /// The 400 the session answers for a request Beast could not parse, by the surface its
    /// request line names; checked like dispatch.
    server::response reject_malformed(server::request const& req);
    /// Throws away everything the last input changed.
    void restore();
    /// Applies fixtures to the store as a first start does (core::apply_fixtures).
    void apply_fixtures(api::core::fixture_set const& fixtures);

    /// The answer's contract, for the surface the router chose: a status the surface may
    /// answer, a body that is valid UTF-8 JSON in the surface's error dialect, the request id
    /// header; 500 only while a fault rule could have asked for it. Calls violation() if not.
    /// `owner`: the endpoint that answered (default: the one the router picks for `req`).
    void check(server::request const& req, server::response const& res,
               server::endpoint const* owner = nullptr);

    api::core::service& service() noexcept { return svc_; }

    /// Ids seen in answers, for the `$ps` and `$req` placeholders of the structured targets.
    std::string last_permission_set = "0000000000000000";
    std::string last_request = "00000000-0000-4000-8000-000000000000";

private:
    void remember(server::response const& res);

    store::database db_;
    api::core::clock clock_;
    api::core::service svc_;
    api::aws::surface aws_;
    api::huawei::surface huawei_;
    api::admin::surface admin_;
    server::router routes_;
};

/// The process's world (built at first use).
world& the_world();

/// Splits a structured input into records at each 0x1e byte (ASCII record separator, which
/// JSON text cannot hold unescaped); at most `max` records.
std::vector<std::string_view> records(std::string_view input, std::size_t max = 8);

/// `text` with `$ps` replaced by the last permission set's 16 hex, `$req` by the last request
/// id and `$ins` by the initial instance's 16 hex, so that a record can name what an earlier
/// record of the same input created.
std::string expand(std::string_view text, world const& w);

} // namespace icemu::fuzz
