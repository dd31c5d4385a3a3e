// Drives HttpClient::send to completion on a test-owned io_context (test::run_on, with its
// deadline).
#pragma once

#include "federation/http/error.hpp"
#include "federation/http/http_client.hpp"

#include "tests/unit/support/run.hpp"

#include <boost/asio/io_context.hpp>

namespace civicpub::testing {

// Short deadlines so the timeout tests finish quickly; loopback opened explicitly.
inline federation::http::ClientSettings loopback_settings() {
  federation::http::ClientSettings settings;
  settings.user_agent = "civicpub-test/0 (+https://civicpub.test/)";
  settings.resolve_timeout = std::chrono::milliseconds(300);
  settings.connect_timeout = std::chrono::milliseconds(300);
  settings.handshake_timeout = std::chrono::milliseconds(300);
  settings.write_timeout = std::chrono::milliseconds(300);
  settings.read_timeout = std::chrono::milliseconds(300);
  settings.allow_private = {federation::http::parse_cidr("127.0.0.0/8").value()};
  return settings;
}

class ClientHarness {
 public:
  explicit ClientHarness(federation::http::ClientSettings settings)
      : client_(io_.get_executor(), std::move(settings)) {}

  Result<federation::http::OutboundResponse> send(federation::http::OutboundRequest request) {
    return test::run_on(io_, client_.send(std::move(request)));
  }

  Result<federation::http::OutboundResponse> get(std::string url) {
    federation::http::OutboundRequest request;
    request.url = std::move(url);
    return send(std::move(request));
  }

  federation::http::HttpClient& client() { return client_; }

 private:
  boost::asio::io_context io_;
  federation::http::HttpClient client_;
};

}  // namespace civicpub::testing
