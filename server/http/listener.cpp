#include "server/http/listener.hpp"

#include "federation/spawn.hpp"
#include "server/http/errors.hpp"
#include "server/http/session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace civicpub::server::http::detail {
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {
// After an accept error such as EMFILE, pause instead of spinning on the same error.
constexpr auto kAcceptErrorPause = std::chrono::milliseconds(100);

// The client's address, and its text (an IPv4-mapped IPv6 address counts as the IPv4 one).
template <class Socket>
std::optional<std::pair<asio::ip::address, std::string>> peer_of(const Socket& socket) {
  boost::system::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  if (ec) return std::nullopt;
  auto address = endpoint.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  }
  return std::pair{address, address.to_string()};
}
}  // namespace

Listener::Listener(std::shared_ptr<ServerState> state)
    : state_(std::move(state)), acceptor_(state_->strand) {}

Result<unsigned short> Listener::open(const std::string& address, unsigned short port) {
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(address, ec);
  if (ec) return ServerError::invalid_address;
  tcp::endpoint endpoint(addr, port);
  auto fail = [&](const char* step) -> Result<unsigned short> {
    state_->log->error("cannot {} {}:{}: {}", step, address, port, ec.message());
    acceptor_.close(ec);
    return ServerError::bind_failed;
  };
  if (acceptor_.open(endpoint.protocol(), ec); ec) return fail("open");
  if (acceptor_.set_option(asio::socket_base::reuse_address(true), ec); ec) return fail("set up");
  if (addr.is_v6() && addr.to_v6().is_unspecified()) {
    // "::" should also take IPv4 clients, whatever the system default for v6only is.
    if (acceptor_.set_option(asio::ip::v6_only(false), ec); ec) return fail("set up");
  }
  if (acceptor_.bind(endpoint, ec); ec) return fail("bind");
  if (acceptor_.listen(asio::socket_base::max_listen_connections, ec); ec) return fail("listen");
  return acceptor_.local_endpoint().port();
}

void Listener::start() {
  asio::co_spawn(
      state_->strand, [self = shared_from_this()] { return self->accept_loop(); },
      federation::log_escaped_exception(state_->log, "http accept loop"));
}

void Listener::close() {
  boost::system::error_code ec;
  acceptor_.close(ec);
}

asio::awaitable<void> Listener::accept_loop() {
  constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
  while (acceptor_.is_open()) {
    // Each connection's steps never run concurrently (a session loop of one thread, or a strand
    // of its own), while different connections use every loop or io_context thread.
    auto [ec, socket] = co_await acceptor_.async_accept(state_->next_session_executor(), kUseTuple);
    if (state_->stopping || !acceptor_.is_open()) break;
    if (ec) {
      state_->log->warn("accept failed: {}", ec.message());
      asio::steady_timer pause(state_->strand, kAcceptErrorPause);
      co_await pause.async_wait(kUseTuple);
      continue;
    }
    if (state_->connections.size() >= state_->settings.max_connections) {
      // Over the cap: close at once (see server.hpp) rather than leave it queued in the backlog.
      state_->log->warn("connection limit {} reached, closing a new connection",
                        state_->settings.max_connections);
      socket.close(ec);
      continue;
    }
    auto peer = peer_of(socket);
    if (!peer) continue;  // the client already left
    // A trusted proxy (http.trusted_proxies) carries every client's connections: only the total
    // cap applies to it; its own limits are the proxy's business.
    if (state_->settings.max_connections_per_address > 0 && !state_->trusted.trusts(peer->first) &&
        state_->connections.count_from(peer->second) >=
            state_->settings.max_connections_per_address) {
      state_->log->warn("connection limit {} per address reached by {}, closing a new connection",
                        state_->settings.max_connections_per_address, peer->second);
      socket.close(ec);
      continue;
    }
    start_session(std::move(socket), std::move(peer->second));
  }
}

void Listener::start_session(tcp::socket socket, std::string peer) {
  auto connection = std::make_shared<Connection>(socket.get_executor());
  connection->peer = std::move(peer);
  state_->connections.add(connection);
  auto on_exit = [connection, log = federation::log_escaped_exception(state_->log, "http session")](
                     std::exception_ptr e) { log(e); };
  asio::co_spawn(connection->strand, run_session(state_, connection, std::move(socket)),
                 asio::bind_cancellation_slot(connection->cancel.slot(), std::move(on_exit)));
}

}  // namespace civicpub::server::http::detail
