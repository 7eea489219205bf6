#include "server/session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "server/session_impl.hpp"

namespace icemu::server {

net::awaitable<void> pause(net::any_io_executor executor, std::chrono::milliseconds delay) {
    net::steady_timer timer(std::move(executor), delay);
    co_await timer.async_wait(net::as_tuple(net::use_awaitable));
}

template net::awaitable<void> run_session<beast::tcp_stream>(beast::tcp_stream&, session_env,
                                                             session_control&);

} // namespace icemu::server
