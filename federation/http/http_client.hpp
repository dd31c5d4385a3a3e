// civicpub's outbound HTTP client for federation (INTEROP.md sections 3 and 6): resolves names
// itself and checks every address against the SSRF guard, verifies TLS certificates and host
// names, puts a deadline on every step, caps response bodies, follows a few redirects (checking
// each hop again) and keeps idle connections per (scheme, host, port).
#pragma once

#include "federation/http/checked_resolver.hpp"
#include "federation/http/cidr.hpp"
#include "federation/http/connection.hpp"
#include "federation/http/transport.hpp"
#include "federation/http/url_target.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace civicpub::federation::http {

struct ClientSettings {
  std::string user_agent;  // civicpub/<version> (+https://<host>/); sent unless the request has one
  std::chrono::milliseconds resolve_timeout{5000};
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds handshake_timeout{5000};
  std::chrono::milliseconds write_timeout{10000};
  std::chrono::milliseconds read_timeout{10000};  // the whole response, headers and body
  std::size_t max_response_bytes = 1024 * 1024;
  int max_redirects = 3;
  std::vector<Cidr> allow_private;           // federation.allow_private_addresses
  std::optional<std::string> extra_ca_file;  // PEM, trusted besides the system CAs
  std::size_t max_idle_per_host = 4;
  std::size_t max_idle_total = 512;  // idle keep-alive connections to all hosts together
  std::chrono::seconds idle_ttl{60};
  std::map<std::string, std::string> host_overrides;  // "host[:port]" -> IP, for tests
};

class HttpClient : public Transport {
 public:
  // Throws std::runtime_error when the extra CA file cannot be loaded (a start-up error).
  HttpClient(boost::asio::any_io_executor executor, ClientSettings settings);

  boost::asio::awaitable<Result<OutboundResponse>> send(OutboundRequest request) override;

  // Idle pooled connections for a URL's (scheme, host, port); for tests and metrics.
  std::size_t idle_connections(std::string_view url) const;

 private:
  // One request and response on a pooled or fresh connection; no redirect handling.
  boost::asio::awaitable<Result<OutboundResponse>> round_trip(const Target& target,
                                                              const OutboundRequest& request);
  boost::asio::awaitable<Result<std::unique_ptr<Connection>>> open(const Target& target);
  boost::asio::awaitable<Result<void>> handshake(Connection& connection, const Target& target);
  // Adds the system's CA bundle to tls_ once, before the first TLS connection (see the .cpp).
  void ensure_system_cas();

  boost::asio::any_io_executor executor_;
  ClientSettings settings_;
  CheckedResolver resolver_;
  boost::asio::ssl::context tls_;
  std::once_flag system_cas_;
  ConnectionPool pool_;
};

}  // namespace civicpub::federation::http
