#include "federation/delivery/delivery_worker.hpp"

#include "federation/delivery/host_health.hpp"
#include "federation/http/error.hpp"
#include "federation/http/http_date.hpp"
#include "federation/signatures/cavage_signature.hpp"
#include "federation/signatures/cavage_verifier.hpp"
#include "federation/signatures/digest.hpp"
#include "storage/deliveries.hpp"
#include "tests/unit/federation/delivery/delivery_fixtures.hpp"
#include "tests/unit/support/enqueuer.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <future>

using namespace civicpub;
using namespace civicpub::federation;
using namespace civicpub::federation::delivery;
using civicpub::test::FakeTransport;
using civicpub::test::kStart;
using namespace std::chrono_literals;

namespace {

constexpr const char* kInbox = "https://remote.example/inbox";
constexpr const char* kBody = R"({"id":"https://town.example/activities/1","type":"Create"})";

// Every inbox answers `status`.
void answer_status(FakeTransport& t, unsigned status,
                   std::vector<std::pair<std::string, std::string>> headers = {}) {
  t.respond = [status, headers](const http::OutboundRequest&) -> Result<http::OutboundResponse> {
    return civicpub::test::response(status, headers);
  };
}

// Every send fails with `e`.
void answer_error(FakeTransport& t, http::HttpError e) {
  t.respond = [e](const http::OutboundRequest&) -> Result<http::OutboundResponse> {
    return make_error_code(e);
  };
}

// Declaration order is destruction order reversed: the worker goes before the io_context.
struct Env {
  explicit Env(WorkerSettings settings = {}, RetryPolicy policy = {})
      : db(civicpub::test::open_db(dir)),
        actor(civicpub::test::add_local_actor(*db, "gemeente")),
        outbox(*db, clock.clock(), [this] { worker->notify(); }),
        worker(std::make_unique<DeliveryWorker>(*db, transport, clock.clock(), policy, settings,
                                                [] { return 0.0; })) {
    answer_status(transport, 202);
  }

  ~Env() {
    if (worker) {
      bool stopped = false;
      boost::asio::co_spawn(ioc, worker->stop(), [&](std::exception_ptr) { stopped = true; });
      civicpub::test::run_until(ioc, [&] { return stopped; });
    }
  }

  void start(boost::asio::any_io_executor work = {}) {
    worker->start(ioc.get_executor(), std::move(work));
  }

  std::int64_t enqueue(const std::string& activity, const std::vector<std::string>& inboxes) {
    auto n = outbox.enqueue_now(activity, actor.id, kBody, inboxes);
    REQUIRE(n);
    auto ids = db->read([&](storage::Connection& c) -> Result<std::int64_t> {
      auto rows = storage::deliveries::due(c, clock.now(), 1000);
      if (!rows) return rows.error();
      std::int64_t last = 0;
      for (auto& r : *rows) last = std::max(last, r.id);
      return last;
    });
    REQUIRE(ids);
    return *ids;
  }

  storage::DeliveryRecord row(std::int64_t id) {
    auto r =
        db->read([&](storage::Connection& c) { return storage::deliveries::find_by_id(c, id); });
    REQUIRE(r);
    REQUIRE(*r);
    return **r;
  }

  bool wait_attempts(std::int64_t id, int attempts) {
    return civicpub::test::run_until(ioc, [&] { return row(id).attempts >= attempts; });
  }

  civicpub::test::TempDir dir;
  civicpub::test::ManualClock clock;
  boost::asio::io_context ioc;
  FakeTransport transport;
  std::unique_ptr<storage::Database> db;
  storage::ActorRecord actor;
  civicpub::test::Enqueuer outbox;
  std::unique_ptr<DeliveryWorker> worker;
};

}  // namespace

TEST_CASE("a 202 marks the row done after one correctly signed POST") {
  Env env;
  const auto id = env.enqueue("https://town.example/activities/1", {kInbox});
  env.start();
  REQUIRE(env.wait_attempts(id, 1));
  auto row = env.row(id);
  CHECK(row.state == storage::DeliveryState::done);
  CHECK(row.last_status == 202);
  REQUIRE(env.transport.requests.size() == 1);

  const auto& req = env.transport.requests[0];
  CHECK(req.method == boost::beast::http::verb::post);
  CHECK(req.url == kInbox);
  CHECK(req.body == kBody);
  CHECK(req.header("Content-Type") == std::optional<std::string_view>("application/activity+json"));
  REQUIRE(req.header("Digest"));
  CHECK(*req.header("Digest") == signatures::make_digest_header(kBody));

  signatures::HeaderList headers;
  for (const auto& [n, v] : req.headers) headers.add(n, v);
  auto parsed = signatures::parse_request_signature(headers);
  REQUIRE(parsed);
  CHECK(parsed->key_id == env.actor.uri + "#main-key");
  CHECK(parsed->headers ==
        std::vector<std::string>{"(request-target)", "host", "date", "digest", "content-type"});
  const auto now = std::chrono::system_clock::time_point(std::chrono::milliseconds(kStart));
  CHECK(signatures::verify_cavage(*parsed, {"POST", "/inbox", headers, req.body},
                                  civicpub::test::rsa_key(env.actor.uri).public_pem, now));
  // The same signature does not verify for another body or path.
  CHECK_FALSE(signatures::verify_cavage(*parsed, {"POST", "/inbox", headers, "{}"},
                                        civicpub::test::rsa_key(env.actor.uri).public_pem, now));
  CHECK_FALSE(signatures::verify_cavage(*parsed, {"POST", "/other", headers, req.body},
                                        civicpub::test::rsa_key(env.actor.uri).public_pem, now));

  // No column of the row holds the private key.
  const std::string secret = "PRIVATE KEY";
  for (const auto* text : {&row.activity_id, &row.inbox_url, &row.body, &row.last_error}) {
    CHECK(text->find(secret) == std::string::npos);
  }
}

TEST_CASE("with a work executor, each send is signed and made there, and recorded as usual") {
  boost::asio::thread_pool work(1);  // outlives env, whose destructor stops the worker
  Env env;
  std::atomic<int> sends_on_work{0};
  std::atomic<int> sends_elsewhere{0};
  env.transport.respond = [&](const http::OutboundRequest& req) -> Result<http::OutboundResponse> {
    // The sign hook has run by now (FakeTransport::send signs before it answers).
    const bool signed_here = req.header("Signature").has_value();
    (work.get_executor().running_in_this_thread() && signed_here ? sends_on_work
                                                                 : sends_elsewhere)++;
    return civicpub::test::response(202, {});
  };
  const auto first =
      env.enqueue("https://town.example/activities/1", {kInbox, "https://other.example/inbox"});
  env.start(work.get_executor());
  REQUIRE(civicpub::test::run_until(env.ioc, [&] {
    return env.row(first).state == storage::DeliveryState::done &&
           env.row(first - 1).state == storage::DeliveryState::done;
  }));
  CHECK(sends_on_work == 2);
  CHECK(sends_elsewhere == 0);
  CHECK(env.row(first).last_status == 202);
}

TEST_CASE("500 is retried with growing delays and given up after max_attempts") {
  Env env;
  answer_status(env.transport, 500);
  const auto id = env.enqueue("https://town.example/activities/1", {kInbox});
  env.start();
  storage::Millis last_delay = 0;
  for (int attempt = 1; attempt < 16; ++attempt) {
    INFO("attempt " << attempt);
    REQUIRE(env.wait_attempts(id, attempt));
    auto row = env.row(id);
    REQUIRE(row.state == storage::DeliveryState::pending);
    CHECK(row.last_status == 500);
    const storage::Millis delay = row.next_attempt_at - env.clock.now();
    CHECK(delay >= last_delay);
    CHECK(delay == std::chrono::duration_cast<std::chrono::milliseconds>(
                       base_backoff(RetryPolicy{}, attempt))
                       .count());
    last_delay = delay;
    env.clock.set(row.next_attempt_at);
    env.worker->notify();
  }
  REQUIRE(env.wait_attempts(id, 16));
  CHECK(env.row(id).state == storage::DeliveryState::dead);
  CHECK(env.transport.requests.size() == 16);
}

TEST_CASE("404, 410, 400 and 403 give up at once") {
  for (unsigned status : {404u, 410u, 400u, 403u}) {
    INFO(status);
    Env env;
    answer_status(env.transport, status);
    const auto id = env.enqueue("https://town.example/activities/1", {kInbox});
    env.start();
    REQUIRE(env.wait_attempts(id, 1));
    auto row = env.row(id);
    CHECK(row.state == storage::DeliveryState::dead);
    CHECK(row.last_status == static_cast<int>(status));
    CHECK(env.transport.requests.size() == 1);
  }
}

TEST_CASE("401, 408 and 429 are retried") {
  for (unsigned status : {401u, 408u, 429u}) {
    INFO(status);
    Env env;
    answer_status(env.transport, status);
    const auto id = env.enqueue("https://town.example/activities/1", {kInbox});
    env.start();
    REQUIRE(env.wait_attempts(id, 1));
    auto row = env.row(id);
    CHECK(row.state == storage::DeliveryState::pending);
    CHECK(row.next_attempt_at == env.clock.now() + 30000);
  }
}

TEST_CASE("429 with Retry-After in seconds or as an HTTP-date is honoured") {
  Env env;
  SECTION("seconds") {
    answer_status(env.transport, 429, {{"retry-after", "3600"}});
  }
  SECTION("HTTP-date") {
    const auto at = std::chrono::system_clock::time_point(std::chrono::milliseconds(kStart)) + 1h;
    answer_status(env.transport, 429, {{"retry-after", federation::http::format_http_date(at)}});
  }
  const auto id = env.enqueue("https://town.example/activities/1", {kInbox});
  env.start();
  REQUIRE(env.wait_attempts(id, 1));
  auto row = env.row(id);
  CHECK(row.state == storage::DeliveryState::pending);
  CHECK(row.next_attempt_at == kStart + 3600 * 1000);
}

TEST_CASE("a timeout is retried, whether the client or the worker's own deadline fires") {
  SECTION("client timeout") {
    Env env;
    answer_error(env.transport, http::HttpError::timeout);
    const auto id = env.enqueue("https://town.example/activities/1", {kInbox});
    env.start();
    REQUIRE(env.wait_attempts(id, 1));
    CHECK(env.row(id).state == storage::DeliveryState::pending);
    CHECK(env.row(id).last_status == 0);
  }
  SECTION("worker deadline") {
    WorkerSettings settings;
    settings.request_timeout = 50ms;
    Env env(settings);
    env.transport.hold = true;  // never answers by itself
    const auto id = env.enqueue("https://town.example/activities/1", {kInbox});
    env.start();
    REQUIRE(env.wait_attempts(id, 1));
    CHECK(env.row(id).state == storage::DeliveryState::pending);
    CHECK_FALSE(env.row(id).last_error.empty());
  }
}

TEST_CASE("an address refused by the SSRF guard gives up at once") {
  Env env;
  answer_error(env.transport, http::HttpError::blocked_address);
  const auto id = env.enqueue("https://town.example/activities/1", {kInbox});
  env.start();
  REQUIRE(env.wait_attempts(id, 1));
  CHECK(env.row(id).state == storage::DeliveryState::dead);
}

TEST_CASE("a row whose actor has no key is given up without sending") {
  Env env;
  // A local actor whose key row is missing (never copied anywhere else to fall back on).
  auto n = env.db->write_sync([&](storage::Connection& c) -> Result<std::size_t> {
    storage::ActorRecord a;
    a.uri = "https://town.example/users/keyless";
    a.local = true;
    a.type = "Person";
    a.username = "keyless";
    a.domain = "town.example";
    a.inbox = a.uri + "/inbox";
    a.key_id = a.uri + "#main-key";
    auto id = storage::actors::insert_local(c, a);
    if (!id) return id.error();
    return storage::deliveries::enqueue(c, "https://town.example/activities/9", *id, kBody,
                                        {kInbox}, env.clock.now());
  });
  REQUIRE(n);
  env.start();
  REQUIRE(env.wait_attempts(1, 1));
  CHECK(env.row(1).state == storage::DeliveryState::dead);
  CHECK(env.transport.requests.empty());
}

TEST_CASE("concurrency per host and overall stays within its limits") {
  WorkerSettings settings;
  std::size_t overall = 16;
  SECTION("per host") {
    overall = 16;
  }
  SECTION("overall") {
    overall = 3;
  }
  settings.max_concurrent = overall;
  settings.max_per_host = 2;
  Env env(settings);
  env.transport.hold = true;
  std::vector<std::string> inboxes;
  for (int i = 0; i < 5; ++i)
    inboxes.push_back("https://a.example/users/" + std::to_string(i) + "/inbox");
  for (int i = 0; i < 5; ++i)
    inboxes.push_back("https://b.example/users/" + std::to_string(i) + "/inbox");
  inboxes.push_back("https://c.example/inbox");
  env.enqueue("https://town.example/activities/1", inboxes);
  env.start();
  // Held sends pile up to the limits; then let them go batch by batch until all are done.
  REQUIRE(civicpub::test::run_until(env.ioc, [&] {
    return env.transport.active == static_cast<int>(std::min<std::size_t>(overall, 5));
  }));
  REQUIRE(civicpub::test::run_until(env.ioc, [&] {
    env.transport.release();
    return env.transport.requests.size() == inboxes.size() && env.worker->in_flight() == 0;
  }));
  for (const auto& [host, peak] : env.transport.max_active_per_host) {
    INFO(host);
    CHECK(peak <= 2);
  }
  CHECK(env.transport.max_active <= static_cast<int>(overall));
  if (overall == 16) {
    CHECK(env.transport.max_active_per_host["a.example"] == 2);
    CHECK(env.transport.max_active_per_host["b.example"] == 2);
  } else {
    CHECK(env.transport.max_active == 3);
  }
}

TEST_CASE(
    "a row's outcome written frees its place at once: the worker does not wait for the poll") {
  // Rows whose outcome is not yet written are bounded (4 x max_concurrent). When the writer
  // is slow, the sends finish first and the loop stops at that bound; each written outcome must
  // start the next send, or nothing does until the next poll (an hour here).
  WorkerSettings settings;
  settings.max_concurrent = 1;
  settings.poll_interval = std::chrono::hours(1);
  Env env(settings);
  std::vector<std::string> inboxes;
  for (int i = 0; i < 7; ++i) inboxes.push_back("https://s" + std::to_string(i) + ".example/inbox");
  const auto last = env.enqueue("https://town.example/activities/1", inboxes);

  // The writer held by a job that waits, so the first outcomes stay unwritten.
  std::promise<void> go;
  std::shared_future<void> gate = go.get_future().share();
  std::atomic<bool> holding{false};
  env.db->write_async(
      [gate, &holding](storage::Connection&) -> Result<void> {
        holding = true;
        gate.wait();
        return {};
      },
      [](Result<void>) {});
  REQUIRE(civicpub::test::run_until(env.ioc, [&] { return holding.load(); }));
  env.start();
  // Four sends made and answered; their rows wait for the writer, so the fifth is not started.
  REQUIRE(civicpub::test::run_until(env.ioc, [&] { return env.transport.requests.size() == 4; }));
  CHECK(env.worker->in_flight() == 4);
  go.set_value();
  REQUIRE(civicpub::test::run_until(env.ioc, [&] {
    return env.transport.requests.size() == inboxes.size() && env.worker->in_flight() == 0;
  }));
  for (std::int64_t id = last - 6; id <= last; ++id) {
    INFO(id);
    CHECK(env.row(id).state == storage::DeliveryState::done);
  }
}

TEST_CASE("rows read earlier and not yet sent are read again after notify(): a row given up "
          "meanwhile is not sent") {
  WorkerSettings settings;
  settings.max_concurrent = 1;
  settings.poll_interval = std::chrono::hours(1);  // only notify() makes the worker read again
  Env env(settings);
  env.transport.hold = true;
  const auto last = env.enqueue("https://town.example/activities/1",
                                {"https://a.example/inbox", "https://b.example/inbox",
                                 "https://c.example/inbox"});
  env.start();
  // One send held; the two other rows wait in the worker, read with the first.
  REQUIRE(civicpub::test::run_until(env.ioc, [&] { return env.transport.active == 1; }));
  // Another connection gives the last row up (as a command would); the worker is told.
  REQUIRE(env.db->write_sync([&](storage::Connection& c) {
    return storage::deliveries::give_up(c, last, 0, "cancelled", kStart);
  }));
  env.worker->notify();
  REQUIRE(civicpub::test::run_until(env.ioc, [&] {
    env.transport.release();
    return env.row(last - 1).state == storage::DeliveryState::done &&
           env.worker->in_flight() == 0;
  }));
  REQUIRE(env.transport.requests.size() == 2);
  CHECK(env.transport.requests[0].url == "https://a.example/inbox");
  CHECK(env.transport.requests[1].url == "https://b.example/inbox");
  CHECK(env.row(last).state == storage::DeliveryState::dead);
}

TEST_CASE("rows for other hosts behind a whole batch of rows for busy hosts go out") {
  // Two hosts hold every answer (a slow or stalled server) and have more due rows than one
  // batch; the rows for a third host come after them in the queue. Before the worker looked
  // past the first batch, they waited until the busy hosts' rows were through (the fault
  // test's fan-out waited 40 s and more on a host it never reached).
  WorkerSettings settings;
  settings.batch_size = 4;
  settings.max_per_host = 1;
  settings.max_concurrent = 4;
  settings.poll_interval = 10ms;
  Env env(settings);
  env.transport.hold_hosts = {"slow1.example", "slow2.example"};
  std::vector<std::string> inboxes;
  for (const std::string host : {"slow1", "slow2", "fast"}) {
    for (int i = 0; i < 6; ++i) {
      inboxes.push_back("https://" + host + ".example/users/" + std::to_string(i) + "/inbox");
    }
  }
  const auto last = env.enqueue("https://town.example/activities/1", inboxes);
  env.start();
  // The fast host's rows, 13 to 18 of 18, are all sent and recorded while both busy hosts
  // still hold their one send each.
  REQUIRE(civicpub::test::run_until(env.ioc, [&] {
    for (std::int64_t id = last - 5; id <= last; ++id) {
      if (env.row(id).state != storage::DeliveryState::done) return false;
    }
    return true;
  }));
  CHECK(env.transport.active == 2);
  CHECK(env.transport.fetches("https://slow1.example/users/1/inbox") == 0);
  for (const auto& [host, peak] : env.transport.max_active_per_host) {
    INFO(host);
    CHECK(peak <= 1);
  }
  // Once the busy hosts answer, their rows go out too, each once.
  env.transport.hold_hosts.clear();
  REQUIRE(civicpub::test::run_until(env.ioc, [&] {
    env.transport.release();
    return env.transport.requests.size() == inboxes.size() && env.worker->in_flight() == 0;
  }));
  for (const auto& url : inboxes) {
    INFO(url);
    CHECK(env.transport.fetches(url) == 1);
  }
  for (std::int64_t id = last - 17; id <= last; ++id) {
    CHECK(env.row(id).state == storage::DeliveryState::done);
  }
}

TEST_CASE("a host failing on 7 distinct days is skipped until heard from") {
  RetryPolicy policy;
  policy.max_attempts = 100;
  Env env({}, policy);
  answer_status(env.transport, 503);
  const auto id = env.enqueue("https://town.example/activities/1", {kInbox});
  env.start();
  for (int day = 1; day <= 7; ++day) {
    INFO("day " << day);
    REQUIRE(env.wait_attempts(id, day));
    env.clock.advance(24h);
    env.worker->notify();
  }
  // Day 8: the host is unavailable; the row is dropped without a request.
  REQUIRE(env.wait_attempts(id, 8));
  CHECK(env.row(id).state == storage::DeliveryState::dead);
  CHECK(env.row(id).last_error.find("unavailable") != std::string::npos);
  CHECK(env.transport.requests.size() == 7);

  // Skipped, not sent, while nothing is heard from it.
  const auto second = env.enqueue("https://town.example/activities/2", {kInbox});
  REQUIRE(env.wait_attempts(second, 1));
  CHECK(env.row(second).state == storage::DeliveryState::dead);
  CHECK(env.transport.requests.size() == 7);

  // It posts to our inbox: deliveries go out again.
  HostHealth health;
  REQUIRE(env.db->write_sync([&](storage::Connection& c) {
    return health.heard_from(c, "remote.example", env.clock.now());
  }));
  answer_status(env.transport, 202);
  const auto third = env.enqueue("https://town.example/activities/3", {kInbox});
  REQUIRE(env.wait_attempts(third, 1));
  CHECK(env.row(third).state == storage::DeliveryState::done);
  CHECK(env.transport.requests.size() == 8);
}

TEST_CASE(
    "rows persisted before a crash are delivered after a restart - done rows are not resent") {
  civicpub::test::TempDir dir;
  civicpub::test::ManualClock clock;
  const std::string inbox_done = "https://done.example/inbox";
  const std::string inbox_pending = "https://pending.example/inbox";
  std::int64_t done_id = 0;
  std::int64_t pending_id = 0;
  {
    boost::asio::io_context ioc;
    FakeTransport transport;
    answer_status(transport, 202);
    auto db = civicpub::test::open_db(dir);
    auto actor = civicpub::test::add_local_actor(*db, "gemeente");
    auto worker = std::make_unique<DeliveryWorker>(*db, transport, clock.clock(), RetryPolicy{},
                                                   WorkerSettings{}, [] { return 0.0; });
    civicpub::test::Enqueuer outbox(*db, clock.clock(), [&] { worker->notify(); });
    worker->start(ioc.get_executor());
    REQUIRE(outbox.enqueue_now("https://town.example/activities/1", actor.id, kBody, {inbox_done}));
    done_id = 1;
    auto state_of = [&](std::int64_t id) {
      auto r =
          db->read([&](storage::Connection& c) { return storage::deliveries::find_by_id(c, id); });
      REQUIRE(r);
      REQUIRE(*r);
      return (*r)->state;
    };
    REQUIRE(civicpub::test::run_until(
        ioc, [&] { return state_of(done_id) == storage::DeliveryState::done; }));

    transport.hold = true;  // the next send never comes back: the process dies mid-flight
    REQUIRE(
        outbox.enqueue_now("https://town.example/activities/2", actor.id, kBody, {inbox_pending}));
    pending_id = 2;
    REQUIRE(civicpub::test::run_until(ioc, [&] { return transport.requests.size() == 2; }));
    CHECK(transport.requests[1].url == inbox_pending);
    // Like kill -9: nothing is stopped cleanly; the suspended send is destroyed with the context.
    ioc.stop();
    worker.reset();
    db.reset();
  }
  boost::asio::io_context ioc;
  FakeTransport transport;
  answer_status(transport, 202);
  auto db = civicpub::test::open_db(dir);
  DeliveryWorker worker(*db, transport, clock.clock(), RetryPolicy{}, WorkerSettings{},
                        [] { return 0.0; });
  worker.start(ioc.get_executor());
  auto pending_state = [&] {
    auto r = db->read(
        [&](storage::Connection& c) { return storage::deliveries::find_by_id(c, pending_id); });
    REQUIRE(r);
    REQUIRE(*r);
    return (*r)->state;
  };
  REQUIRE(civicpub::test::run_until(
      ioc, [&] { return pending_state() == storage::DeliveryState::done; }));
  REQUIRE(transport.requests.size() == 1);
  CHECK(transport.requests[0].url == inbox_pending);
  bool stopped = false;
  boost::asio::co_spawn(ioc, worker.stop(), [&](std::exception_ptr) { stopped = true; });
  REQUIRE(civicpub::test::run_until(ioc, [&] { return stopped; }));
}

TEST_CASE("stop() waits for an in-flight send and then returns") {
  WorkerSettings settings;
  settings.stop_timeout = 100ms;
  Env env(settings);
  env.transport.hold = true;
  const auto id = env.enqueue("https://town.example/activities/1", {kInbox});
  env.start();
  REQUIRE(civicpub::test::run_until(env.ioc, [&] { return env.transport.active == 1; }));
  bool stopped = false;
  boost::asio::co_spawn(env.ioc, env.worker->stop(), [&](std::exception_ptr) { stopped = true; });
  REQUIRE(civicpub::test::run_until(env.ioc, [&] { return stopped; }));
  // Abandoned: the row is untouched and goes out after the next start.
  CHECK(env.row(id).state == storage::DeliveryState::pending);
  CHECK(env.row(id).attempts == 0);
  CHECK(env.worker->in_flight() == 0);
}
