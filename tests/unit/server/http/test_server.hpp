// An HttpServer on an ephemeral loopback port with its own io_context threads, and a raw Beast
// client with a deadline on every step, for the in-process server tests.
#pragma once

#include "server/http/server.hpp"

#include <spdlog/sinks/ostream_sink.h>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <future>
#include <sstream>
#include <thread>

namespace civicpub::server::http::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using namespace std::chrono_literals;

inline ServerSettings short_timeouts() {
  ServerSettings s;
  s.address = "127.0.0.1";
  s.port = 0;
  s.read_timeout = 1s;
  s.write_timeout = 1s;
  s.idle_timeout = 2s;
  s.shutdown_grace = 2s;
  s.default_host = "town.test";
  return s;
}

// Runs the coroutine `make_op` on `ioc` until it finishes; fails the test if `limit` passes
// first. The callable goes to co_spawn whole: invoking a lambda coroutine as a temporary would
// leave the frame pointing at destroyed captures.
template <class F, class T = typename std::invoke_result_t<F>::value_type>
T run_for(asio::io_context& ioc, F make_op, std::chrono::milliseconds limit = 5000ms) {
  std::optional<T> value;
  std::exception_ptr error;
  bool done = false;
  asio::co_spawn(ioc, std::move(make_op), [&](std::exception_ptr e, T v) {
    done = true;
    error = e;
    if (!e) value = std::move(v);
  });
  ioc.restart();
  ioc.run_for(limit);
  if (!done) FAIL("client operation timed out");
  if (error) std::rethrow_exception(error);
  return std::move(*value);
}

class TestServer {
 public:
  explicit TestServer(Router router, ServerSettings settings = short_timeouts())
      : router_(std::move(router)),
        log_(std::make_shared<spdlog::logger>(
            "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_text_))),
        server_(ioc_, std::move(settings), router_, log_) {
    log_->set_level(spdlog::level::debug);
    auto started = server_.start();
    REQUIRE(started.has_value());
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { ioc_.run(); });
  }
  ~TestServer() { stop(); }

  unsigned short port() const { return server_.port(); }
  asio::io_context& ioc() { return ioc_; }

  // Starts HttpServer::shutdown on the server's threads.
  std::future<void> begin_shutdown() {
    return asio::co_spawn(ioc_, server_.shutdown(), asio::use_future);
  }

  // Shuts down, joins the threads and returns everything logged.
  std::string stop() {
    if (!threads_.empty()) {
      auto done = begin_shutdown();
      done.wait_for(10s);
      guard_.reset();
      ioc_.stop();
      for (auto& t : threads_) t.join();
      threads_.clear();
    }
    return log_text_.str();
  }

 private:
  asio::io_context ioc_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_{ioc_.get_executor()};
  Router router_;
  std::ostringstream log_text_;
  std::shared_ptr<spdlog::logger> log_;
  HttpServer server_;
  std::vector<std::thread> threads_;
};

// A plain-TCP client; each call runs its own io_context with a deadline.
class TestClient {
 public:
  explicit TestClient(unsigned short port) : stream_(ioc_) {
    run_for(ioc_, [this, port]() -> asio::awaitable<int> {
      co_await stream_.async_connect({asio::ip::make_address("127.0.0.1"), port},
                                     asio::use_awaitable);
      co_return 0;
    });
  }

  void send(std::string raw) {
    run_for(ioc_, [this, raw]() -> asio::awaitable<int> {
      co_await asio::async_write(stream_, asio::buffer(raw), asio::use_awaitable);
      co_return 0;
    });
  }

  bhttp::response<bhttp::string_body> read(bool head = false) {
    return run_for(ioc_, [this, head]() -> asio::awaitable<bhttp::response<bhttp::string_body>> {
      bhttp::response_parser<bhttp::string_body> parser;
      parser.skip(head);
      parser.body_limit(64 * 1024 * 1024);  // answers bigger than the sockets' buffers
      co_await bhttp::async_read(stream_, buffer_, parser, asio::use_awaitable);
      co_return parser.release();
    });
  }

  bhttp::response<bhttp::string_body> get(std::string target) {
    send("GET " + target + " HTTP/1.1\r\nHost: town.test\r\n\r\n");
    return read();
  }

  // Reads until the server closes the connection; returns the bytes received meanwhile. Fails the
  // test if the connection is still open after `limit`.
  std::string wait_closed(std::chrono::milliseconds limit = 5000ms) {
    return run_for(
        ioc_,
        [this]() -> asio::awaitable<std::string> {
          std::string got(static_cast<const char*>(buffer_.data().data()), buffer_.size());
          std::array<char, 4096> chunk;
          for (;;) {
            auto [ec, n] = co_await stream_.async_read_some(asio::buffer(chunk),
                                                            asio::as_tuple(asio::use_awaitable));
            got.append(chunk.data(), n);
            if (ec) co_return got;
          }
        },
        limit);
  }

 private:
  asio::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

// A self-signed certificate for "localhost", made for this test run.
struct TempCertificate {
  std::filesystem::path dir;
  std::filesystem::path cert;
  std::filesystem::path key;

  TempCertificate() {
    std::string pattern = (std::filesystem::temp_directory_path() / "civicpub-tls-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    dir = pattern;
    cert = dir / "cert.pem";
    key = dir / "key.pem";
    std::string command =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
        "-addext subjectAltName=DNS:localhost -keyout '" +
        key.string() + "' -out '" + cert.string() + "' 2>/dev/null";
    REQUIRE(std::system(command.c_str()) == 0);
  }
  ~TempCertificate() { std::filesystem::remove_all(dir); }
};

// Polls `pred` until it holds or `limit` passes.
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = 5000ms) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

}  // namespace civicpub::server::http::testing
