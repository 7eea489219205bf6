#include "server/session.hpp"

#include <boost/beast/core/tcp_stream.hpp>

#include "server/session_impl.hpp"

namespace icemu::server {

template net::awaitable<void> run_session<beast::tcp_stream>(beast::tcp_stream&, session_env,
                                                             session_control&);

} // namespace icemu::server
