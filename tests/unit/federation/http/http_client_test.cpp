#include "federation/http/http_client.hpp"

#include "tests/unit/federation/http/http_client_support.hpp"
#include "tests/unit/support/http_test_server.hpp"

#include <catch2/catch.hpp>

#include <chrono>

using civicpub::federation::http::HttpError;
using civicpub::federation::http::OutboundRequest;
using namespace civicpub::testing;
namespace bhttp = boost::beast::http;

namespace {

TestServer::Handler echo_handler() {
  return [](const TestRequest& request) {
    auto response = text_response(200, std::string(request.method_string()) + " " +
                                           std::string(request.target()) + " " + request.body());
    response.set("X-Seen-Host", request[bhttp::field::host]);
    response.set("X-Seen-Agent", request[bhttp::field::user_agent]);
    response.set("X-Seen-Type", request[bhttp::field::content_type]);
    return response;
  };
}

}  // namespace

TEST_CASE("HttpClient GETs from a loopback server when loopback is allow-listed") {
  TestServer server(ServerMode::http, echo_handler());
  ClientHarness harness(loopback_settings());

  auto response = harness.get(server.url("/users/alice?page=2#frag"));
  REQUIRE(response.has_value());
  CHECK(response->status == 200);
  CHECK(response->body == "GET /users/alice?page=2 ");
  CHECK(response->header("X-SEEN-HOST") == "127.0.0.1:" + std::to_string(server.port()));
  CHECK(response->header("x-seen-agent") == "civicpub-test/0 (+https://civicpub.test/)");
  CHECK(response->header("content-type") == "text/plain");
  // Response header names come back lowercase.
  for (const auto& header : response->headers) {
    CHECK(header.first.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string::npos);
  }
  CHECK(response->final_url == server.url("/users/alice?page=2"));
}

TEST_CASE("HttpClient POSTs a body with its headers and a computed Content-Length") {
  TestServer server(ServerMode::http, echo_handler());
  ClientHarness harness(loopback_settings());

  OutboundRequest request;
  request.method = bhttp::verb::post;
  request.url = server.url("/inbox");
  request.headers = {{"Content-Type", "application/activity+json"}, {"Content-Length", "999"}};
  request.body = R"({"type":"Follow"})";
  auto response = harness.send(request);
  REQUIRE(response.has_value());
  CHECK(response->body == R"(POST /inbox {"type":"Follow"})");
  CHECK(response->header("x-seen-type") == "application/activity+json");
}

TEST_CASE("HttpClient refuses loopback unless it is allow-listed") {
  TestServer server(ServerMode::http, echo_handler());
  auto settings = loopback_settings();
  settings.allow_private.clear();
  ClientHarness harness(settings);

  auto response = harness.get(server.url("/"));
  REQUIRE(response.has_error());
  CHECK(response.error() == HttpError::blocked_address);
  CHECK(civicpub::kind_of(response.error()) == civicpub::ErrorKind::forbidden);
  CHECK(server.accepted() == 0);

  // A name pointed at loopback (host override standing in for DNS) is refused just the same.
  settings.host_overrides = {{"peer.test", "127.0.0.1"}};
  ClientHarness named(settings);
  auto by_name = named.get(server.url("/", "peer.test"));
  REQUIRE(by_name.has_error());
  CHECK(by_name.error() == HttpError::blocked_address);
  CHECK(server.accepted() == 0);
}

TEST_CASE("HttpClient resolves names through host overrides and sends the name as Host") {
  TestServer server(ServerMode::http, echo_handler());
  auto settings = loopback_settings();
  // Override keys are matched against the lowercased URL host, port first.
  settings.host_overrides = {{"peer.test:" + std::to_string(server.port()), "127.0.0.1"}};
  ClientHarness lower(settings);

  auto response = lower.get(server.url("/x", "PEER.test"));
  REQUIRE(response.has_value());
  CHECK(response->header("x-seen-host") == "peer.test:" + std::to_string(server.port()));
}

TEST_CASE("HttpClient refuses schemes other than http and https and malformed URLs") {
  ClientHarness harness(loopback_settings());
  auto ftp = harness.get("ftp://127.0.0.1/file");
  REQUIRE(ftp.has_error());
  CHECK(ftp.error() == HttpError::unsupported_scheme);
  auto garbage = harness.get("not a url");
  REQUIRE(garbage.has_error());
  CHECK(garbage.error() == HttpError::bad_url);
  auto userinfo = harness.get("http://user:pw@127.0.0.1/");
  REQUIRE(userinfo.has_error());
  CHECK(userinfo.error() == HttpError::bad_url);
  CHECK(civicpub::kind_of(userinfo.error()) == civicpub::ErrorKind::invalid_input);
}

TEST_CASE("HttpClient reuses a keep-alive connection for the same host") {
  TestServer server(ServerMode::http, echo_handler());
  ClientHarness harness(loopback_settings());

  REQUIRE(harness.get(server.url("/one")).has_value());
  CHECK(harness.client().idle_connections(server.url("/")) == 1);
  REQUIRE(harness.get(server.url("/two")).has_value());
  CHECK(server.requests() == 2);
  CHECK(server.accepted() == 1);
}

TEST_CASE("HttpClient does not pool a connection the server closes") {
  TestServer server(ServerMode::http, [](const TestRequest&) {
    auto response = text_response(200, "bye");
    response.keep_alive(false);
    return response;
  });
  ClientHarness harness(loopback_settings());
  REQUIRE(harness.get(server.url("/")).has_value());
  CHECK(harness.client().idle_connections(server.url("/")) == 0);
  REQUIRE(harness.get(server.url("/")).has_value());
  CHECK(server.accepted() == 2);
}

TEST_CASE("HttpClient retries once on a fresh connection when a pooled one is dead") {
  // The server promises keep-alive but closes every connection after one answer, as a peer's
  // idle timeout would while the connection sits in our pool.
  TestServer server(ServerMode::http_then_close, echo_handler());
  ClientHarness harness(loopback_settings());
  REQUIRE(harness.get(server.url("/one")).has_value());
  CHECK(harness.client().idle_connections(server.url("/")) == 1);

  auto second = harness.get(server.url("/two"));
  REQUIRE(second.has_value());
  CHECK(second->body == "GET /two ");
  CHECK(server.accepted() == 2);
  CHECK(server.requests() == 2);
}

TEST_CASE("HttpClient caps idle connections per host") {
  TestServer server(ServerMode::http, echo_handler());
  auto settings = loopback_settings();
  settings.max_idle_per_host = 0;
  ClientHarness harness(settings);
  REQUIRE(harness.get(server.url("/")).has_value());
  CHECK(harness.client().idle_connections(server.url("/")) == 0);
  REQUIRE(harness.get(server.url("/")).has_value());
  CHECK(server.accepted() == 2);
}

TEST_CASE("HttpClient times out on a server that never answers") {
  TestServer server(ServerMode::silent);
  ClientHarness harness(loopback_settings());
  auto started = std::chrono::steady_clock::now();
  auto response = harness.get(server.url("/slow"));
  auto elapsed = std::chrono::steady_clock::now() - started;
  REQUIRE(response.has_error());
  CHECK(response.error() == HttpError::timeout);
  CHECK(civicpub::kind_of(response.error()) == civicpub::ErrorKind::transient);
  CHECK(elapsed >= std::chrono::milliseconds(250));
  CHECK(elapsed < std::chrono::seconds(3));
  CHECK(server.accepted() == 1);  // a timeout is not retried
}

TEST_CASE("HttpClient stops reading an endless body at the cap") {
  TestServer server(ServerMode::endless_chunks);
  auto settings = loopback_settings();
  settings.max_response_bytes = 64 * 1024;
  settings.read_timeout = std::chrono::seconds(5);  // the cap, not the deadline, must stop it
  ClientHarness harness(settings);
  auto started = std::chrono::steady_clock::now();
  auto response = harness.get(server.url("/forever"));
  REQUIRE(response.has_error());
  CHECK(response.error() == HttpError::too_large);
  CHECK(civicpub::kind_of(response.error()) == civicpub::ErrorKind::too_large);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(4));
}

TEST_CASE("HttpClient reports a refused connection as connect_failed") {
  unsigned short closed_port = 0;
  {
    TestServer gone(ServerMode::http, echo_handler());
    closed_port = gone.port();
  }
  ClientHarness harness(loopback_settings());
  auto response = harness.get("http://127.0.0.1:" + std::to_string(closed_port) + "/");
  REQUIRE(response.has_error());
  CHECK(response.error() == HttpError::connect_failed);
}

TEST_CASE("HttpClient resolves a name itself and checks every address it gets") {
  // "localhost" comes from /etc/hosts (no DNS traffic) and may carry 127.0.0.1 and ::1.
  TestServer server(ServerMode::http, echo_handler());
  auto settings = loopback_settings();
  settings.allow_private = {civicpub::federation::http::parse_cidr("127.0.0.0/8").value(),
                            civicpub::federation::http::parse_cidr("::1/128").value()};
  ClientHarness allowed(settings);
  auto response = allowed.get(server.url("/named", "localhost"));
  REQUIRE(response.has_value());
  CHECK(response->header("x-seen-host") == "localhost:" + std::to_string(server.port()));

  settings.allow_private.clear();
  ClientHarness strict(settings);
  auto refused = strict.get(server.url("/named", "localhost"));
  REQUIRE(refused.has_error());
  CHECK(refused.error() == HttpError::blocked_address);
  CHECK(server.accepted() == 1);
}
