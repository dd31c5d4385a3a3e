// One outbound connection (plain TCP or TLS over TCP) and the per-host pool of idle keep-alive
// connections (INTEROP.md section 3: a fresh TLS handshake costs far more than a signature).
#pragma once

#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <chrono>
#include <cstddef>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace civicpub::federation::http {

struct Connection {
  // Exactly one of the two is set. Beast's tcp_stream carries the per-operation deadline
  // (expires_after) that every connect, handshake, write and read sets first.
  std::optional<boost::beast::tcp_stream> plain;
  std::optional<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls;
  std::chrono::steady_clock::time_point idle_since{};

  boost::beast::tcp_stream& tcp() { return tls ? boost::beast::get_lowest_layer(*tls) : *plain; }
};

// Idle connections by key (scheme://host:port), at most `max_idle_per_key` each and
// `max_idle_total` in all, each closed after `idle_ttl` idle. Every operation costs the same
// however many hosts have idle connections: one list in the order connections were parked
// (oldest first) holds them, and expiring pops from its front (issue 15: walking every host's
// queue on each take and put made a fan-out to 2,000 hosts quadratic).
class ConnectionPool {
 public:
  ConnectionPool(std::size_t max_idle_per_key, std::chrono::seconds idle_ttl,
                 std::size_t max_idle_total = 512);

  // The most recently used idle connection for `key`, or null. Expired ones are closed.
  std::unique_ptr<Connection> take(const std::string& key);
  // Parks a connection whose last response allowed keep-alive. Past a cap the oldest idle
  // connection (of that key, or of all) is closed.
  void put(const std::string& key, std::unique_ptr<Connection> connection);

  std::size_t idle_count(const std::string& key) const;
  std::size_t idle_total() const;

 private:
  struct Parked {
    std::string key;
    std::unique_ptr<Connection> connection;
  };
  using Order = std::list<Parked>;

  void drop_expired_locked(std::chrono::steady_clock::time_point now);
  // Closes the parked connection `it`, the oldest of its key.
  void drop_oldest_of_key_locked(Order::iterator it);

  std::size_t max_idle_per_key_;
  std::chrono::seconds idle_ttl_;
  std::size_t max_idle_total_;
  mutable std::mutex mutex_;  // send() may run on several io_context threads at once
  Order parked_;              // oldest first (idle_since never decreases along it)
  std::unordered_map<std::string, std::deque<Order::iterator>> by_key_;  // oldest first
};

}  // namespace civicpub::federation::http
