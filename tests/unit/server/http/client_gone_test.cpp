// A client that goes away while its request is being handled: the handler is cancelled (and with
// it any fetch it is waiting on), on plain HTTP and under TLS; a client that stays, even one that
// sends more bytes meanwhile, gets its answer.
#include "tests/unit/server/http/test_server.hpp"

#include "server/http/response.hpp"

#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>

using namespace civicpub::server::http;
using namespace civicpub::server::http::testing;

namespace {

// GET /wait?ms=N waits N ms on a timer (a stand-in for a fetch from a silent host) and records
// whether it finished or was cancelled.
struct Outcome {
  std::atomic<bool> started{false};
  std::atomic<bool> finished{false};
  std::atomic<bool> cancelled{false};
};

Router wait_router(Outcome& outcome) {
  Router router;
  router.add(bhttp::verb::get, "/wait", [&outcome](RequestContext& ctx) -> asio::awaitable<Response> {
    outcome.started = true;
    const auto ms = std::stoi(ctx.query.substr(ctx.query.find("ms=") + 3));
    asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::milliseconds(ms));
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) {
      outcome.cancelled = true;
    } else {
      outcome.finished = true;
    }
    co_return json_response(bhttp::status::ok, R"({"waited":true})");
  });
  return router;
}

constexpr const char* kLongWait = "GET /wait?ms=120000 HTTP/1.1\r\nHost: town.test\r\n\r\n";

// No request deadline within the test's time: only the client's going away cancels a handler.
ServerSettings plain_settings() {
  auto settings = short_timeouts();
  settings.request_timeout = std::chrono::seconds(600);
  return settings;
}

ServerSettings tls_settings(const TempCertificate& certificate) {
  auto settings = plain_settings();
  settings.tls_cert_file = certificate.cert.string();
  settings.tls_key_file = certificate.key.string();
  return settings;
}

// A blocking OpenSSL client on a socket of its own (every step bounded by a 10 s socket timeout),
// so that the test decides exactly which bytes reach the server before the connection ends.
class RawTlsClient {
 public:
  explicit RawTlsClient(unsigned short port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd_ >= 0);
    timeval limit{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    ctx_ = SSL_CTX_new(TLS_client_method());
    REQUIRE(ctx_ != nullptr);
    ssl_ = SSL_new(ctx_);
    REQUIRE(ssl_ != nullptr);
    SSL_set_fd(ssl_, fd_);
    SSL_set_tlsext_host_name(ssl_, "localhost");
    REQUIRE(SSL_connect(ssl_) == 1);
  }
  ~RawTlsClient() {
    SSL_free(ssl_);
    SSL_CTX_free(ctx_);
    if (fd_ >= 0) ::close(fd_);
  }
  RawTlsClient(const RawTlsClient&) = delete;
  RawTlsClient& operator=(const RawTlsClient&) = delete;

  void send(std::string_view bytes) {
    REQUIRE(SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size())) ==
            static_cast<int>(bytes.size()));
  }
  std::string read_some() {
    std::array<char, 4096> chunk{};
    const int n = SSL_read(ssl_, chunk.data(), static_cast<int>(chunk.size()));
    return n > 0 ? std::string(chunk.data(), static_cast<std::size_t>(n)) : std::string();
  }
  // Sends close_notify (without waiting for the server's), as a browser closing a tab does.
  void close_notify() { REQUIRE(SSL_shutdown(ssl_) >= 0); }
  void close() {
    ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
};

}  // namespace

TEST_CASE("client gone - a plain HTTP client that closes cancels its handler") {
  Outcome outcome;
  TestServer server(wait_router(outcome), plain_settings());
  SECTION("it closes right after its request") {
    TestClient client(server.port());
    client.send(kLongWait);
    REQUIRE(eventually([&] { return outcome.started.load(); }));
  }
  SECTION("it pipelined a second request before it closed") {
    TestClient client(server.port());
    client.send(std::string(kLongWait) + "GET /wait?ms=1 HTTP/1.1\r\nHost: town.test\r\n\r\n");
    REQUIRE(eventually([&] { return outcome.started.load(); }));
  }
  // The client is destroyed at the end of its section: the connection closes.
  CHECK(eventually([&] { return outcome.cancelled.load(); }, 30000ms));
  CHECK_FALSE(outcome.finished);
  CHECK(server.stop().find("client went away; handler cancelled") != std::string::npos);
}

TEST_CASE("client gone - a client that stays gets its answer, also after sending more bytes") {
  Outcome outcome;
  TestServer server(wait_router(outcome), plain_settings());
  TestClient client(server.port());
  client.send(
      "GET /wait?ms=300 HTTP/1.1\r\nHost: town.test\r\n\r\n"
      "GET /wait?ms=1 HTTP/1.1\r\nHost: town.test\r\n\r\n");
  CHECK(client.read().result() == bhttp::status::ok);
  CHECK(client.read().result() == bhttp::status::ok);
  CHECK_FALSE(outcome.cancelled);
  CHECK(outcome.finished);
}

TEST_CASE("client gone - a TLS client that goes away cancels its handler") {
  TempCertificate certificate;
  Outcome outcome;
  TestServer server(wait_router(outcome), tls_settings(certificate));
  {
    RawTlsClient client(server.port());
    client.send(kLongWait);
    REQUIRE(eventually([&] { return outcome.started.load(); }));
    SECTION("with a close_notify first") { client.close_notify(); }
    SECTION("by closing the socket") {}
    client.close();
  }
  CHECK(eventually([&] { return outcome.cancelled.load(); }, 30000ms));
  CHECK_FALSE(outcome.finished);
  CHECK(server.stop().find("client went away; handler cancelled") != std::string::npos);
}

TEST_CASE("client gone - a TLS client that stays gets its answer") {
  TempCertificate certificate;
  Outcome outcome;
  TestServer server(wait_router(outcome), tls_settings(certificate));
  RawTlsClient client(server.port());
  client.send("GET /wait?ms=300 HTTP/1.1\r\nHost: town.test\r\n\r\n");
  std::string answer;
  while (answer.find(R"({"waited":true})") == std::string::npos) {
    auto more = client.read_some();
    REQUIRE_FALSE(more.empty());
    answer += more;
  }
  CHECK(answer.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(outcome.finished);
  CHECK_FALSE(outcome.cancelled);
}
