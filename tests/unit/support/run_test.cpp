// The test world's coroutine runner: it returns what the coroutine returns, rethrows what it
// throws, and turns a hang into a failure with a message instead of a stuck ctest.
#include "tests/unit/support/run.hpp"

#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

namespace asio = boost::asio;
using civicpub::test::run;
using civicpub::test::run_on;
using civicpub::test::run_until;
using civicpub::test::RunTimeout;
using namespace std::chrono_literals;

namespace {

asio::awaitable<int> answer_after_a_tick() {
  asio::steady_timer timer(co_await asio::this_coro::executor, 1ms);
  co_await timer.async_wait(asio::use_awaitable);
  co_return 42;
}

asio::awaitable<void> never_finishes() {
  asio::steady_timer timer(co_await asio::this_coro::executor,
                           asio::steady_timer::time_point::max());
  co_await timer.async_wait(asio::use_awaitable);
}

asio::awaitable<int> fails() {
  co_await asio::this_coro::executor;
  throw std::runtime_error("broken");
}

}  // namespace

TEST_CASE("run: returns the value of an awaitable or of a callable that makes one") {
  CHECK(run(answer_after_a_tick()) == 42);
  CHECK(run([] { return answer_after_a_tick(); }) == 42);
  bool ran = false;
  auto body = [&]() -> asio::awaitable<void> {
    co_await answer_after_a_tick();
    ran = true;
  };
  run(body);
  CHECK(ran);
}

TEST_CASE("run: an exception inside the coroutine reaches the test") {
  CHECK_THROWS_WITH(run(fails()), "broken");
}

TEST_CASE("run: a coroutine that never finishes fails at the deadline, with a message") {
  const auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_AS(run(never_finishes(), 50ms), RunTimeout);
  CHECK(std::chrono::steady_clock::now() - start < 20s);
  CHECK_THROWS_WITH(run(never_finishes(), 50ms), Catch::Contains("still running after 50 ms"));
}

TEST_CASE("run: work the coroutine leaves behind is waited for, and fails at the deadline") {
  bool late = false;
  auto leaves_a_timer = [&]() -> asio::awaitable<int> {
    auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor, 20ms);
    timer->async_wait([timer, &late](boost::system::error_code) { late = true; });
    co_return 1;
  };
  CHECK(run(leaves_a_timer) == 1);
  CHECK(late);  // run() returned only once the io_context had nothing left to do
  CHECK_THROWS_WITH(run(
                        []() -> asio::awaitable<void> {
                          asio::co_spawn(co_await asio::this_coro::executor, never_finishes(),
                                         asio::detached);
                        },
                        50ms),
                    Catch::Contains("finished, but its io_context still had work"));
}

TEST_CASE("run_on: drives a test-owned io_context, again and again") {
  asio::io_context ioc;
  CHECK(run_on(ioc, answer_after_a_tick()) == 42);
  CHECK(run_on(ioc, answer_after_a_tick()) == 42);
  CHECK_THROWS_AS(run_on(ioc, never_finishes(), 20ms), RunTimeout);
}

TEST_CASE("run_until: false when the condition does not hold by the deadline") {
  asio::io_context ioc;
  int ticks = 0;
  asio::steady_timer timer(ioc, 1ms);
  timer.async_wait([&](boost::system::error_code) { ++ticks; });
  CHECK(run_until(ioc, [&] { return ticks == 1; }));
  CHECK_FALSE(run_until(
      ioc, [&] { return ticks == 2; }, 20ms));
}
