// Idempotency-Key claims (issue 13): one request with a key posts, concurrent ones wait for its
// status, a failed one gives the key up, and keys last an hour.
#include "server/services/idempotency.hpp"

#include "tests/unit/support/run.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <thread>

using civicpub::server::services::IdempotencyKeys;
using State = IdempotencyKeys::Claim::State;

TEST_CASE("idempotency: a claimed key is busy until remembered or released") {
  IdempotencyKeys keys;
  CHECK(keys.try_claim(1, "k", 0).state == State::mine);
  CHECK(keys.try_claim(1, "k", 10).state == State::busy);
  CHECK(keys.try_claim(2, "k", 10).state == State::mine);  // keys are per token
  CHECK_FALSE(keys.find(1, "k", 10));
  keys.release(1, "k");
  CHECK(keys.try_claim(1, "k", 20).state == State::mine);
  keys.remember(1, "k", 42, 30);
  const auto done = keys.try_claim(1, "k", 40);
  CHECK(done.state == State::done);
  CHECK(done.status_id == 42);
  keys.release(1, "k");  // releasing a remembered key changes nothing
  CHECK(keys.find(1, "k", 50) == 42);
  // After the hour the key is free again.
  CHECK(keys.try_claim(1, "k", 30 + IdempotencyKeys::kLifetime + 1).state == State::mine);
}

TEST_CASE("idempotency: a waiting request gets the status the first one made") {
  IdempotencyKeys keys;
  civicpub::storage::Millis now = 0;
  REQUIRE(keys.try_claim(1, "k", now).state == State::mine);
  boost::asio::io_context ioc;
  std::thread first([&] { keys.remember(1, "k", 7, 0); });
  auto claimed = civicpub::test::run_on(ioc, keys.claim(1, "k", [&] { return now; }));
  first.join();
  REQUIRE(claimed);
  CHECK(claimed->state == State::done);
  CHECK(claimed->status_id == 7);
}
