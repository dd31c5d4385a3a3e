// The bounds on remote fetches (federation/http/fetch_guard.hpp): a deadline across the whole
// fetch, a cap per host that refuses at once, a backoff for a failing host, remembered failures.
// A held FakeTransport send is a host that accepts and never answers (a tarpit).
#include "federation/http/fetch_guard.hpp"

#include "federation/http/error.hpp"
#include "tests/unit/support/catch_result.hpp"
#include "tests/unit/support/fake_transport.hpp"
#include "tests/unit/support/run.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

using namespace civicpub;
using federation::http::FetchGuard;
using federation::http::FetchGuardSettings;
using federation::http::HttpError;
using federation::http::OutboundRequest;
using federation::http::OutboundResponse;
using test::FakeTransport;

namespace {

OutboundRequest get(std::string url) {
  OutboundRequest request;
  request.url = std::move(url);
  return request;
}

struct ManualClock {
  std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now();
  FetchGuard::Now fn() {
    return [this] { return now; };
  }
};

// Spawns a send whose result lands in `out`.
void spawn_send(boost::asio::io_context& ioc, FetchGuard& guard, std::string url,
                std::vector<Result<OutboundResponse>>& out) {
  boost::asio::co_spawn(ioc, guard.send(get(std::move(url))),
                        [&out](std::exception_ptr e, Result<OutboundResponse> r) {
                          if (e) std::rethrow_exception(e);
                          out.push_back(std::move(r));
                        });
}

}  // namespace

TEST_CASE("fetch guard - a fetch from a host that never answers ends at the deadline") {
  boost::asio::io_context ioc;
  FakeTransport tarpit;
  tarpit.hold = true;
  FetchGuardSettings settings;
  settings.deadline = std::chrono::milliseconds(200);
  FetchGuard guard(ioc.get_executor(), tarpit, settings);
  std::vector<Result<OutboundResponse>> out;
  spawn_send(ioc, guard, "https://tarpit.example/key", out);
  REQUIRE(test::run_until(ioc, [&] { return out.size() == 1; }));
  CHECK(out[0].error() == HttpError::timeout);
  CHECK(tarpit.active == 0);  // the held send was cancelled, not left behind
  CHECK(guard.in_flight("https://tarpit.example/") == 0);
}

TEST_CASE("fetch guard - over the per-host cap a fetch is refused at once, other hosts go on") {
  boost::asio::io_context ioc;
  FakeTransport tarpit;
  tarpit.hold = true;
  FetchGuardSettings settings;
  settings.max_per_host = 2;
  settings.deadline = std::chrono::hours(1);  // only release() ends the held sends
  FetchGuard guard(ioc.get_executor(), tarpit, settings);
  std::vector<Result<OutboundResponse>> out;
  for (int i = 0; i < 5; ++i) {
    spawn_send(ioc, guard, "https://tarpit.example/key/" + std::to_string(i), out);
  }
  REQUIRE(test::run_until(ioc, [&] { return out.size() == 3 && tarpit.active == 2; }));
  for (const auto& r : out) CHECK(r.error() == HttpError::host_busy);
  CHECK(tarpit.max_active_per_host["tarpit.example"] == 2);
  CHECK(guard.in_flight("https://tarpit.example/") == 2);

  // Another host is not held up by the first one's share.
  tarpit.hold = false;
  spawn_send(ioc, guard, "https://other.example/key", out);
  REQUIRE(test::run_until(ioc, [&] { return out.size() == 4; }));
  CHECK(out[3].has_value());
  tarpit.release();
  REQUIRE(test::run_until(ioc, [&] { return out.size() == 6; }));
  CHECK(guard.in_flight("https://tarpit.example/") == 0);
}

TEST_CASE("fetch guard - a host that keeps failing is backed off, and asked again later") {
  test::run([]() -> boost::asio::awaitable<void> {
    FakeTransport remote;
    remote.respond = [](const OutboundRequest&) -> Result<OutboundResponse> {
      return make_error_code(HttpError::connect_failed);
    };
    ManualClock clock;
    FetchGuardSettings settings;
    settings.failures_to_back_off = 2;
    settings.host_backoff = std::chrono::seconds(60);
    FetchGuard guard(co_await boost::asio::this_coro::executor, remote, settings, clock.fn());
    auto first = co_await guard.send(get("https://down.example/a"));
    CHECK(first.error() == HttpError::connect_failed);
    auto second = co_await guard.send(get("https://down.example/b"));
    CHECK(second.error() == HttpError::connect_failed);
    auto third = co_await guard.send(get("https://down.example/c"));
    CHECK(third.error() == HttpError::host_backing_off);
    CHECK(remote.requests.size() == 2);

    clock.now += std::chrono::seconds(61);
    remote.respond = {};
    remote.answer("https://down.example/c", 200, "{}");
    auto later = co_await guard.send(get("https://down.example/c"));
    REQUIRE(later.has_value());
    CHECK(later->status == 200);
  });
}

TEST_CASE("fetch guard - a failed URL is not fetched again until its failure expires") {
  test::run([]() -> boost::asio::awaitable<void> {
    FakeTransport remote;
    remote.answer("https://a.example/users/gone", 410);
    remote.fail("https://a.example/users/silent", HttpError::timeout);
    remote.answer("https://a.example/users/ok", 200, "{}");
    ManualClock clock;
    FetchGuardSettings settings;
    settings.failure_ttl = std::chrono::seconds(120);
    FetchGuard guard(co_await boost::asio::this_coro::executor, remote, settings, clock.fn());
    for (int i = 0; i < 3; ++i) {
      auto gone = co_await guard.send(get("https://a.example/users/gone"));
      REQUIRE(gone.has_value());
      CHECK(gone->status == 410);  // remembered answers keep their status
      auto silent = co_await guard.send(get("https://a.example/users/silent"));
      CHECK(!silent.has_value());
      auto ok = co_await guard.send(get("https://a.example/users/ok"));
      CHECK(ok.has_value());
    }
    CHECK(remote.fetches("https://a.example/users/gone") == 1);
    CHECK(remote.fetches("https://a.example/users/silent") == 1);
    CHECK(remote.fetches("https://a.example/users/ok") == 3);  // successes are not cached here

    clock.now += std::chrono::seconds(121);
    auto again = co_await guard.send(get("https://a.example/users/gone"));
    CHECK(again.has_value());
    CHECK(remote.fetches("https://a.example/users/gone") == 2);
  });
}

TEST_CASE("fetch guard - a fetch whose caller goes away is cancelled and counts against nothing") {
  boost::asio::io_context ioc;
  FakeTransport tarpit;
  tarpit.hold = true;
  FetchGuardSettings settings;
  settings.deadline = std::chrono::hours(1);
  settings.failures_to_back_off = 1;
  FetchGuard guard(ioc.get_executor(), tarpit, settings);
  boost::asio::cancellation_signal gone;
  std::optional<Result<OutboundResponse>> out;
  boost::asio::co_spawn(ioc, guard.send(get("https://tarpit.example/key")),
                        boost::asio::bind_cancellation_slot(
                            gone.slot(), [&out](std::exception_ptr, Result<OutboundResponse> r) {
                              out = std::move(r);
                            }));
  REQUIRE(test::run_until(ioc, [&] { return tarpit.active == 1; }));
  gone.emit(boost::asio::cancellation_type::terminal);
  REQUIRE(test::run_until(ioc, [&] { return out.has_value(); }));
  CHECK(out->error() == HttpError::cancelled);
  CHECK(guard.in_flight("https://tarpit.example/") == 0);
  // Not counted as a host failure: the next fetch goes out.
  tarpit.hold = false;
  std::vector<Result<OutboundResponse>> next;
  spawn_send(ioc, guard, "https://tarpit.example/other", next);
  REQUIRE(test::run_until(ioc, [&] { return next.size() == 1; }));
  CHECK(next[0].has_value());
}
