#include "tests/unit/server/http/test_server.hpp"

#include "server/http/response.hpp"

#include <atomic>
#include <future>
#include <mutex>
#include <vector>

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

// Holds a session loop's only thread inside a handler (GET /block) until released, so that what
// the loop has queued (a new session, shutdown's close of idle connections) waits behind it.
struct LoopGate {
  std::atomic<bool> entered{false};
  std::promise<void> promise;
  std::shared_future<void> opened = promise.get_future().share();
  std::atomic<bool> released{false};
  void release() {
    if (!released.exchange(true)) promise.set_value();
  }
};

// Releases the gate before the server (declared earlier) is stopped, whatever a check did.
struct GateRelease {
  LoopGate& gate;
  ~GateRelease() { gate.release(); }
};

Router gated_router(LoopGate& gate) {
  Router router;
  router.add(bhttp::verb::get, "/block", [&gate](RequestContext&) -> asio::awaitable<Response> {
    gate.entered = true;
    gate.opened.wait();  // blocks the loop's thread on purpose
    co_return json_response(bhttp::status::ok, "{}");
  });
  router.add(bhttp::verb::get, "/fast", [](RequestContext&) -> asio::awaitable<Response> {
    co_return json_response(bhttp::status::ok, R"({"fast":true})");
  });
  return router;
}

}  // namespace

// Connections go to the two session loops in turn (the test at the end of this file), so the
// first and third connection share a loop, as do the second and fourth.
TEST_CASE("shutdown answers a request that arrived before it on a connection not yet served") {
  LoopGate gate;
  auto settings = short_timeouts();
  settings.session_threads = 2;
  TestServer server(gated_router(gate), settings);
  GateRelease release{gate};

  TestClient blocker(server.port());  // loop X
  blocker.send("GET /block HTTP/1.1\r\nHost: t\r\n\r\n");
  REQUIRE(eventually([&] { return gate.entered.load(); }));
  TestClient other(server.port());  // loop Y
  CHECK(other.get("/fast").result() == bhttp::status::ok);
  // Loop X is held: this connection's session is queued behind the handler, its request unread.
  TestClient late(server.port());  // loop X
  late.send("GET /fast HTTP/1.1\r\nHost: t\r\n\r\n");
  // Accepted in order: once this one is answered, the late connection is registered.
  TestClient fourth(server.port());  // loop Y
  CHECK(fourth.get("/fast").result() == bhttp::status::ok);

  auto done = server.begin_shutdown();
  CHECK(other.wait_closed(2000ms).empty());
  CHECK(fourth.wait_closed(2000ms).empty());
  gate.release();
  auto res = late.read();
  CHECK(res.result() == bhttp::status::ok);
  CHECK(res.body() == R"({"fast":true})");
  CHECK_FALSE(res.keep_alive());
  CHECK(blocker.read().result() == bhttp::status::ok);
  CHECK(done.wait_for(5s) == std::future_status::ready);
}

TEST_CASE("shutdown answers a request that arrived on a waiting keep-alive connection unread") {
  LoopGate gate;
  auto settings = short_timeouts();
  settings.session_threads = 2;
  TestServer server(gated_router(gate), settings);
  GateRelease release{gate};

  TestClient waiting(server.port());  // loop X
  CHECK(waiting.get("/fast").result() == bhttp::status::ok);  // now waiting for its next request
  TestClient other(server.port());  // loop Y
  CHECK(other.get("/fast").result() == bhttp::status::ok);
  TestClient blocker(server.port());  // loop X
  blocker.send("GET /block HTTP/1.1\r\nHost: t\r\n\r\n");
  REQUIRE(eventually([&] { return gate.entered.load(); }));
  // The next request reaches the socket while loop X cannot read it.
  waiting.send("GET /fast HTTP/1.1\r\nHost: t\r\n\r\n");

  auto done = server.begin_shutdown();
  CHECK(other.wait_closed(2000ms).empty());  // idle, nothing sent: closed at once
  gate.release();
  auto res = waiting.read();
  CHECK(res.result() == bhttp::status::ok);
  CHECK(res.body() == R"({"fast":true})");
  CHECK_FALSE(res.keep_alive());
  CHECK(blocker.read().result() == bhttp::status::ok);
  CHECK(done.wait_for(5s) == std::future_status::ready);
}

TEST_CASE("shutdown lets a request in flight finish and closes idle connections") {
  std::atomic<bool> started{false};
  auto settings = short_timeouts();
  settings.session_threads = GENERATE(0u, 2u);  // on the given io_context, or on loops of their own
  TestServer server(slow_router(started, 300ms), settings);
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
  settings.session_threads = GENERATE(0u, 2u);
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

TEST_CASE("with session loops, connections run on them in turn, not on the server's io_context") {
  std::mutex mutex;
  std::vector<const asio::execution_context*> seen;
  Router router;
  router.add(bhttp::verb::get, "/where", [&](RequestContext&) -> asio::awaitable<Response> {
    const auto executor = co_await asio::this_coro::executor;
    const auto* context = &asio::query(executor, asio::execution::context);
    {
      const std::lock_guard lock(mutex);
      seen.push_back(context);
    }
    co_return json_response(bhttp::status::ok, "{}");
  });
  auto settings = short_timeouts();
  settings.session_threads = 2;
  TestServer server(std::move(router), settings);
  for (int i = 0; i < 4; ++i) {
    TestClient client(server.port());
    CHECK(client.get("/where").result() == bhttp::status::ok);
    CHECK(client.get("/where").result() == bhttp::status::ok);  // the same connection again
  }
  REQUIRE(seen.size() == 8);
  for (const auto* context : seen) CHECK(context != &server.ioc());
  for (std::size_t i = 0; i < 8; i += 2) CHECK(seen[i] == seen[i + 1]);  // a connection stays
  CHECK(seen[0] != seen[2]);  // the next connection goes to the other loop
  CHECK(seen[0] == seen[4]);
}
