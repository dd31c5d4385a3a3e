// The HTTP(S) server: one listener, one strand per connection, keep-alive, deadlines and size caps
// on every read and write. The app builds a Router, then:
//
//   HttpServer server(ioc, settings, router);
//   if (auto r = server.start(); !r) { /* r.error(): bind, TLS or trusted_proxies problem */ }
//   ... ioc.run() on N threads ...
//   co_await server.shutdown();   // e.g. from a signal_set handler coroutine
//
// Behaviour:
// - Each request gets a fresh parser with header_limit and body_limit. Over body_limit: 413 JSON,
//   then the connection is closed; headers over header_limit: 431; other malformed requests: 400.
// - Deadlines: waiting for the first request of a connection and reading a whole request
//   (headers and body) take at most read_timeout; waiting for the next request on a keep-alive
//   connection at most idle_timeout; writing a response at most write_timeout; the TLS handshake
//   at most read_timeout. A client that misses a deadline is disconnected without an answer.
// - max_connections: a connection accepted over the cap is closed at once (logged), so a flood
//   cannot fill the kernel backlog with connections that would time out anyway. The same for a
//   connection over max_connections_per_address from one client address, so that one client
//   cannot take every slot (trusted proxies are exempt).
// - request_timeout: a handler still running then is cancelled and answered 503; a handler is
//   cancelled too when its client closes the connection while waiting (plain HTTP only: under TLS
//   the close cannot be told apart from more bytes), so nobody's fetches run for nobody.
// - TLS: when tls_cert_file and tls_key_file are both set, every connection on the listener is
//   TLS (TLS 1.2+); there is no plain-HTTP fallback on the same port.
// - A handler exception becomes 500 {"error": "internal error"}; the detail goes to the log.
// - One access-log line per request at info level: remote method target status bytes duration.
// - Event streams (serve_streams, stream.hpp): a GET of a stream path becomes server-sent events
//   or a WebSocket and keeps the connection until it ends; shutdown closes streams at once.
#pragma once

#include "server/http/router.hpp"
#include "server/http/stream.hpp"
#include "common/error_kind.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace civicpub::server::http {

struct ServerSettings {
  std::string address = "127.0.0.1";  // IPv4 or IPv6 literal; "::" listens on both (dual stack)
  unsigned short port = 0;            // 0: an ephemeral port, see HttpServer::port()
  std::optional<std::string> tls_cert_file;  // PEM certificate chain
  std::optional<std::string> tls_key_file;   // PEM private key
  std::size_t header_limit = 8 * 1024;
  std::size_t body_limit = 1024 * 1024;
  std::chrono::seconds read_timeout{10};
  std::chrono::seconds write_timeout{10};
  std::chrono::seconds idle_timeout{30};
  std::chrono::seconds shutdown_grace{10};
  std::size_t max_connections = 1024;
  // Connections one client address may hold at once (0: no share); trusted proxies are exempt.
  std::size_t max_connections_per_address = 64;
  // Deadline for handling one request (the handler's own fetches included); past it the handler
  // is cancelled and the client gets 503. Zero: none.
  std::chrono::seconds request_timeout{30};
  std::vector<std::string> trusted_proxies;  // addresses or CIDR ranges, see trusted_proxies.hpp
  std::string default_host;  // RequestContext::host when a request has no Host header
  // Event loops of the connections' own: this many io_contexts, each run by one thread, new
  // connections handed to them in turn (as nginx runs one worker per core). One loop per thread
  // wakes no other thread when an operation completes; with every connection on one io_context
  // shared by several threads, cached reads cost 30-45% more CPU per answer on 2 cores
  // (docs/performance.md). 0: connections run on the io_context given to the server.
  std::size_t session_threads = 0;
};

namespace detail {
struct ServerState;
class Listener;
struct SessionLoops;
}  // namespace detail

class HttpServer {
 public:
  // `router` must outlive the server and every connection (the app owns both). Access and error
  // lines go to `log`.
  HttpServer(boost::asio::io_context& ioc, ServerSettings settings, const Router& router,
             std::shared_ptr<spdlog::logger> log = spdlog::default_logger());
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Event streams (stream.hpp) on this listener too; `routes` must outlive the server. Call
  // before start().
  void serve_streams(const StreamRoutes& routes);

  // Parses trusted_proxies, loads the TLS files, binds and starts accepting (on the io_context,
  // so it runs once ioc.run() does). Errors: ServerError (invalid_cidr, invalid_address,
  // tls_setup_failed, bind_failed, already_started).
  Result<void> start();

  // The bound port (the ephemeral one when settings.port was 0); 0 before start().
  unsigned short port() const;

  // Stops accepting, closes idle keep-alive connections, lets requests in flight finish (their
  // responses carry Connection: close) for up to shutdown_grace, then closes what remains and
  // cancels its handlers. Safe to call more than once.
  boost::asio::awaitable<void> shutdown();

 private:
  std::shared_ptr<detail::ServerState> state_;
  std::shared_ptr<detail::Listener> listener_;
  // Declared last: destroyed first, it stops and joins the session threads (a session stuck
  // past shutdown's forced close is abandoned there) while the state is still alive.
  std::unique_ptr<detail::SessionLoops> loops_;
  unsigned short port_ = 0;
};

}  // namespace civicpub::server::http
