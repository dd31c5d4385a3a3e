#include "server/http/connection_registry.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace civicpub::server::http::detail {
namespace asio = boost::asio;

void Connection::close_if_idle() {
  if (!tcp || busy) return;
  if (awaiting_request) {
    boost::system::error_code ec;
    if (tcp->socket().available(ec) > 0 && !ec) return;
    tcp->socket().cancel(ec);
    return;
  }
  tcp->close();
}

void Connection::close_now() {
  if (tcp) tcp->close();
  cancel.emit(asio::cancellation_type::terminal);
}

std::size_t ConnectionRegistry::count_from(const std::string& peer) const {
  auto found = per_peer_.find(peer);
  return found == per_peer_.end() ? 0 : found->second;
}

void ConnectionRegistry::add(std::shared_ptr<Connection> connection) {
  ++per_peer_[connection->peer];
  connections_.insert(std::move(connection));
}

void ConnectionRegistry::remove(const std::shared_ptr<Connection>& connection) {
  if (connections_.erase(connection) > 0) {
    auto found = per_peer_.find(connection->peer);
    if (found != per_peer_.end() && --found->second == 0) per_peer_.erase(found);
  }
  if (connections_.empty()) empty_.cancel();
}

void ConnectionRegistry::close_idle() {
  for (const auto& c : connections_) {
    asio::post(c->strand, [c] { c->close_if_idle(); });
  }
}

void ConnectionRegistry::close_all() {
  for (const auto& c : connections_) {
    asio::post(c->strand, [c] { c->close_now(); });
  }
}

asio::awaitable<void> ConnectionRegistry::wait_empty() {
  while (!connections_.empty()) {
    empty_.expires_at(asio::steady_timer::time_point::max());
    auto [ec] = co_await empty_.async_wait(asio::as_tuple(asio::use_awaitable));
    // operation_aborted is the signal from remove(), or our own cancellation by a racing timer
    // (then the caller is no longer waiting and the loop's next check ends it).
    if (ec != asio::error::operation_aborted) break;
    if ((co_await asio::this_coro::cancellation_state).cancelled() != asio::cancellation_type::none)
      co_return;
  }
}

}  // namespace civicpub::server::http::detail
