// One outbound connection (plain TCP or TLS over TCP) and the per-host pool of idle keep-alive
// connections (INTEROP.md section 3: a fresh TLS handshake costs far more than a signature).
#pragma once

#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace civicpub::federation::http {

struct Connection {
  // Exactly one of the two is set. Beast's tcp_stream carries the per-operation deadline
  // (expires_after) that every connect, handshake, write and read sets first.
  std::optional<boost::beast::tcp_stream> plain;
  std::optional<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls;
  std::chrono::steady_clock::time_point idle_since{};

  boost::beast::tcp_stream& tcp() { return tls ? boost::beast::get_lowest_layer(*tls) : *plain; }
};

class ConnectionPool {
 public:
  ConnectionPool(std::size_t max_idle_per_key, std::chrono::seconds idle_ttl);

  // The most recently used idle connection for `key`, or null. Expired ones are closed.
  std::unique_ptr<Connection> take(const std::string& key);
  // Parks a connection whose last response allowed keep-alive. Past the cap the oldest idle
  // connection of that key is closed.
  void put(const std::string& key, std::unique_ptr<Connection> connection);

  std::size_t idle_count(const std::string& key) const;

 private:
  void drop_expired_locked(std::chrono::steady_clock::time_point now);

  std::size_t max_idle_per_key_;
  std::chrono::seconds idle_ttl_;
  mutable std::mutex mutex_;  // send() may run on several io_context threads at once
  std::map<std::string, std::deque<std::unique_ptr<Connection>>> idle_;
};

}  // namespace civicpub::federation::http
