#include "tests/unit/server/http/test_server.hpp"

#include "server/http/response.hpp"

#include <atomic>

using namespace civicpub::server::http;
using namespace civicpub::server::http::testing;

namespace {

// GET /slow waits `delay` on a timer (a stand-in for a slow database or peer) before answering.
Router slow_router(std::atomic<bool>& started, std::chrono::milliseconds delay) {
  Router router;
  router.add(bhttp::verb::get, "/slow",
             [&started, delay](RequestContext&) -> asio::awaitable<Response> {
               started = true;
               asio::steady_timer timer(co_await asio::this_coro::executor, delay);
               co_await timer.async_wait(asio::use_awaitable);
               co_return json_response(bhttp::status::ok, R"({"done":true})");
             });
  router.add(bhttp::verb::get, "/fast", [](RequestContext&) -> asio::awaitable<Response> {
    co_return json_response(bhttp::status::ok, "{}");
  });
  return router;
}

}  // namespace

TEST_CASE("shutdown lets a request in flight finish and closes idle connections") {
  std::atomic<bool> started{false};
  TestServer server(slow_router(started, 300ms));
  TestClient idle(server.port());
  CHECK(idle.get("/fast").result() == bhttp::status::ok);  // now an idle keep-alive connection

  TestClient busy(server.port());
  busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
  REQUIRE(eventually([&] { return started.load(); }));

  auto done = server.begin_shutdown();
  CHECK(idle.wait_closed(2000ms).empty());  // closed at once, long before the grace period
  auto res = busy.read();
  CHECK(res.result() == bhttp::status::ok);
  CHECK(res.body() == R"({"done":true})");
  CHECK_FALSE(res.keep_alive());  // Connection: close while stopping
  CHECK(done.wait_for(5s) == std::future_status::ready);

  // No longer accepting.
  asio::io_context ioc;
  asio::ip::tcp::socket socket(ioc);
  boost::system::error_code ec;
  socket.connect({asio::ip::make_address("127.0.0.1"), server.port()}, ec);
  CHECK(ec);
}

TEST_CASE("shutdown cuts off a handler that outlives the grace period") {
  std::atomic<bool> started{false};
  auto settings = short_timeouts();
  settings.shutdown_grace = 1s;
  TestServer server(slow_router(started, 60000ms), settings);
  TestClient busy(server.port());
  busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
  REQUIRE(eventually([&] { return started.load(); }));

  const auto start = std::chrono::steady_clock::now();
  auto done = server.begin_shutdown();
  CHECK(done.wait_for(5s) == std::future_status::ready);
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(took >= 900ms);
  CHECK(took < 4s);
  busy.wait_closed(2000ms);
}
