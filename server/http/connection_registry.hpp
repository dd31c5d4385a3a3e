// The open connections, so shutdown can close idle ones at once and the rest after the grace
// period. Internal to the server (see server.hpp).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace civicpub::server::http::detail {

// One connection. Every member is touched only on `strand`, the connection's executor: a strand
// of its own, or a session loop run by one thread (ServerState::next_session_executor).
struct Connection {
  explicit Connection(boost::asio::any_io_executor s) : strand(std::move(s)) {}

  boost::asio::any_io_executor strand;
  std::string peer;  // the client address as accepted (set once, before add())
  boost::beast::tcp_stream* tcp = nullptr;  // null once the session has ended
  bool busy = false;                        // a request is being read, handled or answered
  bool awaiting_request = false;            // waiting for the next request's first bytes
  boost::asio::cancellation_signal cancel;  // bound to the session coroutine

  // Ends the connection if no request is in progress. Posted to the strand.
  // - Waiting for a request: if its first bytes have arrived, nothing (the session reads and
  //   answers it, then closes because the server is stopping); otherwise the pending read is
  //   cancelled and the session ends. Cancelled, not closed: a read that already took the
  //   request's bytes but whose completion is still queued keeps its result, and the answer
  //   can still be written.
  // - A stream (busy false while it waits for events): the socket is closed.
  void close_if_idle();
  // Closes the socket and cancels whatever the session awaits (a slow handler included).
  void close_now();
};

// Touched only on the server's strand (the accept loop and shutdown run there).
class ConnectionRegistry {
 public:
  explicit ConnectionRegistry(boost::asio::any_io_executor strand) : empty_(strand) {}

  std::size_t size() const { return connections_.size(); }
  // Open connections from the client address `peer`.
  std::size_t count_from(const std::string& peer) const;
  void add(std::shared_ptr<Connection> connection);
  void remove(const std::shared_ptr<Connection>& connection);
  void close_idle();
  void close_all();
  // Completes when no connection is left (at once if none is).
  boost::asio::awaitable<void> wait_empty();

 private:
  std::unordered_set<std::shared_ptr<Connection>> connections_;
  std::unordered_map<std::string, std::size_t> per_peer_;
  boost::asio::steady_timer empty_;  // cancelled when the last connection goes
};

}  // namespace civicpub::server::http::detail
