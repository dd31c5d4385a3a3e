#include "tests/unit/server/http/test_server.hpp"

#include "server/http/errors.hpp"
#include "server/http/response.hpp"

#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>


using namespace civicpub::server::http;
using namespace civicpub::server::http::testing;

namespace {

Router scheme_router() {
  Router router;
  router.add(bhttp::verb::get, "/scheme", [](RequestContext& ctx) -> asio::awaitable<Response> {
    co_return json_response(bhttp::status::ok, "\"" + ctx.scheme + "\"");
  });
  return router;
}

}  // namespace

TEST_CASE("server speaks HTTPS with the configured certificate") {
  TempCertificate certificate;
  auto settings = short_timeouts();
  settings.tls_cert_file = certificate.cert.string();
  settings.tls_key_file = certificate.key.string();
  TestServer server(scheme_router(), settings);

  asio::io_context ioc;
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  ctx.load_verify_file(certificate.cert.string());
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  stream.set_verify_mode(asio::ssl::verify_peer);
  stream.set_verify_callback(asio::ssl::host_name_verification("localhost"));
  REQUIRE(SSL_set_tlsext_host_name(stream.native_handle(), "localhost"));

  auto res = run_for(ioc, [&]() -> asio::awaitable<bhttp::response<bhttp::string_body>> {
    beast::get_lowest_layer(stream).expires_after(5s);
    co_await beast::get_lowest_layer(stream).async_connect(
        {asio::ip::make_address("127.0.0.1"), server.port()}, asio::use_awaitable);
    co_await stream.async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, "/scheme", 11};
    req.set(bhttp::field::host, "localhost");
    co_await bhttp::async_write(stream, req, asio::use_awaitable);
    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> out;
    co_await bhttp::async_read(stream, buffer, out, asio::use_awaitable);
    co_return out;
  });
  CHECK(res.result() == bhttp::status::ok);
  CHECK(res.body() == R"("https")");

  // Plain HTTP on the TLS listener gets no HTTP answer.
  TestClient plain(server.port());
  plain.send("GET /scheme HTTP/1.1\r\nHost: t\r\n\r\n");
  CHECK(plain.wait_closed().rfind("HTTP/1.1 200", 0) == std::string::npos);
}

TEST_CASE("start fails cleanly on unusable TLS files and bad settings") {
  asio::io_context ioc;
  Router router;
  auto settings = short_timeouts();
  settings.tls_cert_file = "/nonexistent/cert.pem";
  settings.tls_key_file = "/nonexistent/key.pem";
  HttpServer tls(ioc, settings, router);
  auto r = tls.start();
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == ServerError::tls_setup_failed);

  auto bad_proxy = short_timeouts();
  bad_proxy.trusted_proxies = {"not-a-range"};
  HttpServer proxy(ioc, bad_proxy, router);
  CHECK(proxy.start().error() == ServerError::invalid_cidr);

  auto bad_address = short_timeouts();
  bad_address.address = "localhost:80";
  HttpServer address(ioc, bad_address, router);
  CHECK(address.start().error() == ServerError::invalid_address);
}
