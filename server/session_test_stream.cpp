// run_session over beast::test::stream, for the unit tests. A separate object file of the
// static library, so the server binary, which never names it, does not link it.
#include <boost/beast/_experimental/test/stream.hpp>

#include "server/session.hpp"
#include "server/session_impl.hpp"

namespace icemu::server {

template net::awaitable<void> run_session<beast::test::stream>(beast::test::stream&, session_env,
                                                               session_control&);

} // namespace icemu::server
