#include "federation/http/http_client.hpp"

#include "tests/unit/federation/http/http_client_support.hpp"
#include "tests/unit/support/http_test_server.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

using civicpub::federation::http::HttpClient;
using civicpub::federation::http::HttpError;
using namespace civicpub::testing;

namespace {

namespace fs = std::filesystem;

// A self-signed certificate for `name`, made at test time with the openssl tool.
struct TestCertificate {
  fs::path dir;
  fs::path cert;
  fs::path key;

  explicit TestCertificate(const std::string& name) {
    static int counter = 0;
    dir = fs::temp_directory_path() /
          ("civicpub-tls-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    fs::create_directories(dir);
    cert = dir / "cert.pem";
    key = dir / "key.pem";
    std::string command = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -keyout '" +
                          key.string() + "' -out '" + cert.string() + "' -subj '/CN=" + name +
                          "' -addext 'subjectAltName=DNS:" + name + "' >/dev/null 2>&1";
    if (std::system(command.c_str()) != 0) throw std::runtime_error("openssl req failed");
  }
  ~TestCertificate() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  boost::asio::ssl::context server_context() const {
    boost::asio::ssl::context context(boost::asio::ssl::context::tls_server);
    context.use_certificate_chain_file(cert.string());
    context.use_private_key_file(key.string(), boost::asio::ssl::context::pem);
    return context;
  }
};

TestServer::Handler hello() {
  return [](const TestRequest&) { return text_response(200, "hello over tls"); };
}

civicpub::federation::http::ClientSettings tls_settings(const TestCertificate& ca,
                                                        unsigned short port) {
  auto settings = loopback_settings();
  settings.extra_ca_file = ca.cert.string();
  settings.host_overrides = {{"civicpub.test:" + std::to_string(port), "127.0.0.1"}};
  return settings;
}

}  // namespace

TEST_CASE("HttpClient verifies a TLS server against the extra CA and reuses the connection") {
  TestCertificate certificate("civicpub.test");
  auto server_tls = certificate.server_context();
  TestServer server(ServerMode::http, hello(), &server_tls);
  ClientHarness harness(tls_settings(certificate, server.port()));

  auto response = harness.get(server.url("/actor", "civicpub.test"));
  REQUIRE(response.has_value());
  CHECK(response->status == 200);
  CHECK(response->body == "hello over tls");
  REQUIRE(harness.get(server.url("/again", "civicpub.test")).has_value());
  CHECK(server.accepted() == 1);
}

TEST_CASE("HttpClient refuses a certificate for another host name") {
  TestCertificate certificate("other.test");
  auto server_tls = certificate.server_context();
  TestServer server(ServerMode::http, hello(), &server_tls);
  ClientHarness harness(tls_settings(certificate, server.port()));

  auto response = harness.get(server.url("/actor", "civicpub.test"));
  REQUIRE(response.has_error());
  CHECK(response.error() == HttpError::tls_failed);
  CHECK(server.requests() == 0);
}

TEST_CASE("HttpClient refuses a certificate from an unknown CA") {
  TestCertificate certificate("civicpub.test");
  auto server_tls = certificate.server_context();
  TestServer server(ServerMode::http, hello(), &server_tls);
  auto settings = tls_settings(certificate, server.port());
  settings.extra_ca_file.reset();
  ClientHarness harness(settings);

  auto response = harness.get(server.url("/actor", "civicpub.test"));
  REQUIRE(response.has_error());
  CHECK(response.error() == HttpError::tls_failed);
  CHECK(server.requests() == 0);
}

TEST_CASE("HttpClient times out a TLS handshake the server never answers") {
  TestServer server(ServerMode::silent);  // plain TCP: reads the ClientHello and says nothing
  auto settings = loopback_settings();
  ClientHarness harness(settings);
  auto response = harness.get("https://127.0.0.1:" + std::to_string(server.port()) + "/");
  REQUIRE(response.has_error());
  CHECK(response.error() == HttpError::timeout);
}

TEST_CASE("HttpClient refuses to start with an unreadable extra CA file") {
  auto settings = loopback_settings();
  settings.extra_ca_file = "/nonexistent/civicpub-ca.pem";
  boost::asio::io_context io;
  CHECK_THROWS_AS(HttpClient(io.get_executor(), settings), std::runtime_error);
}
