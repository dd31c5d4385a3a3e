// Loopback servers for the HTTP client tests: each runs its own io_context on a thread, listens on
// 127.0.0.1 with an ephemeral port and counts accepted connections. Never anything but loopback.
#pragma once

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace civicpub::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

using TestRequest = bhttp::request<bhttp::string_body>;
using TestResponse = bhttp::response<bhttp::string_body>;

// What a server does with each accepted connection.
enum class ServerMode {
  http,             // answer each request with the handler, keep-alive as the client asks
  http_then_close,  // answer one request promising keep-alive, then close the connection
  silent,           // read raw bytes forever (even a TLS ClientHello), never answer
  endless_chunks,   // answer with a chunked body that never ends
};

class TestServer {
 public:
  using Handler = std::function<TestResponse(const TestRequest&)>;

  explicit TestServer(ServerMode mode, Handler handler = {}, asio::ssl::context* tls = nullptr)
      : mode_(mode),
        handler_(std::move(handler)),
        tls_(tls),
        acceptor_(io_, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    asio::co_spawn(io_, accept_loop(), [](std::exception_ptr) {});
    thread_ = std::thread([this] { io_.run(); });
  }
  ~TestServer() {
    io_.stop();
    thread_.join();
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  std::string url(const std::string& path, const std::string& host = "127.0.0.1") const {
    return std::string(tls_ ? "https://" : "http://") + host + ":" + std::to_string(port()) + path;
  }
  int accepted() const { return accepted_.load(); }
  int requests() const { return requests_.load(); }

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      ++accepted_;
      asio::co_spawn(io_, session(std::move(socket)), [](std::exception_ptr) {});
    }
  }

  asio::awaitable<void> session(asio::ip::tcp::socket socket) {
    beast::tcp_stream tcp(std::move(socket));
    if (mode_ == ServerMode::silent) co_return co_await swallow(tcp);
    if (!tls_) co_return co_await serve(tcp);
    beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp), *tls_);
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server,
                                                asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    co_await serve(stream);
  }

  template <class Stream>
  asio::awaitable<void> serve(Stream& stream) {
    beast::flat_buffer buffer;
    for (;;) {
      TestRequest request;
      auto [ec, n] =
          co_await bhttp::async_read(stream, buffer, request, asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      ++requests_;
      if (mode_ == ServerMode::endless_chunks) co_return co_await endless(stream);
      TestResponse response = handler_(request);
      response.version(11);
      response.keep_alive(request.keep_alive() && response.keep_alive());
      response.prepare_payload();
      auto [wec, wn] =
          co_await bhttp::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
      if (wec || !response.keep_alive() || mode_ == ServerMode::http_then_close) co_return;
    }
  }

  asio::awaitable<void> swallow(beast::tcp_stream& tcp) {
    char sink[4096];
    for (;;) {
      auto [ec, n] =
          co_await tcp.async_read_some(asio::buffer(sink), asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
    }
  }

  template <class Stream>
  asio::awaitable<void> endless(Stream& stream) {
    static constexpr std::string_view kHead =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n";
    const std::string chunk = "400\r\n" + std::string(0x400, 'x') + "\r\n";
    auto [ec, n] = co_await asio::async_write(stream, asio::buffer(kHead),
                                              asio::as_tuple(asio::use_awaitable));
    while (!ec) {
      std::tie(ec, n) = co_await asio::async_write(stream, asio::buffer(chunk),
                                                   asio::as_tuple(asio::use_awaitable));
    }
  }

  ServerMode mode_;
  Handler handler_;
  asio::ssl::context* tls_;
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  std::atomic<int> accepted_{0};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

inline TestResponse text_response(unsigned status, std::string body) {
  TestResponse response{static_cast<bhttp::status>(status), 11};
  response.set(bhttp::field::content_type, "text/plain");
  response.body() = std::move(body);
  return response;
}

inline TestResponse redirect_response(unsigned status, std::string location) {
  auto response = text_response(status, "");
  response.set(bhttp::field::location, std::move(location));
  return response;
}

}  // namespace civicpub::testing
