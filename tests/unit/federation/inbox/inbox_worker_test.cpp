// InboxWorker: each due item goes to the registered dispatcher once; a transient failure puts it
// back with a backoff (the delivery retry policy, by error kind), anything else fails it at once,
// and the last try gives up.
#include "federation/inbox/inbox_worker.hpp"
#include "federation/federation_error.hpp"
#include "storage/inbox_items.hpp"
#include "tests/unit/support/inbox_fixtures.hpp"

#include <boost/asio/error.hpp>

#include <deque>

using namespace civicpub;

namespace {

// Answers with the queued results in order, then success; counts calls per activity.
class ScriptedDispatcher final : public federation::ActivityDispatcher {
 public:
  std::deque<Result<void>> results;
  std::vector<std::string> seen;

  boost::asio::awaitable<Result<void>> dispatch(
      const federation::InboundActivity& activity) override {
    seen.push_back(activity.envelope.id);
    if (results.empty()) co_return Result<void>{};
    auto r = results.front();
    results.pop_front();
    co_return r;
  }
};

struct QueueWorld : test::World {
  boost::asio::io_context worker_ioc;
  ScriptedDispatcher dispatcher;
  federation::InboxWorker worker{worker_ioc.get_executor(), *db, dispatcher, clock, {}, log};
  std::int64_t id = 0;

  // The writer thread posts completions to worker_ioc: join it before worker_ioc goes.
  ~QueueWorld() { db->close(); }
  QueueWorld(const QueueWorld&) = delete;
  QueueWorld& operator=(const QueueWorld&) = delete;
  QueueWorld() {
    storage::InboxItemRecord item;
    item.activity_id = "https://remote.example/f/1";
    item.actor_uri = "https://remote.example/users/anna";
    item.body = test::follow_json(item.activity_id, item.actor_uri, local.uri);
    item.received_at = now;
    auto inserted =
        db->write_sync([&](storage::Connection& c) { return storage::inbox_items::insert(c, item); });
    REQUIRE(inserted);
    id = *inserted;
  }

  std::size_t drain() {
    return run([this] { return worker.process_pending(); });
  }
  storage::InboxItemRecord row() {
    return read([this](storage::Connection& c) -> Result<storage::InboxItemRecord> {
      auto rows = storage::inbox_items::next_pending(c, 10);
      if (!rows) return rows.error();
      for (auto& r : *rows) {
        if (r.id == id) return r;
      }
      return make_error_code(storage::Errc::not_found);  // no longer pending
    });
  }
  storage::InboxState state() {
    auto pending = db->read([this](storage::Connection& c) {
      return storage::inbox_items::count_by_state(c, storage::InboxState::pending);
    });
    auto failed = db->read([this](storage::Connection& c) {
      return storage::inbox_items::count_by_state(c, storage::InboxState::failed);
    });
    REQUIRE(pending);
    REQUIRE(failed);
    if (*pending == 1) return storage::InboxState::pending;
    return *failed == 1 ? storage::InboxState::failed : storage::InboxState::done;
  }
};

const auto kTimeout = make_error_code(boost::asio::error::timed_out);  // transient

}  // namespace

TEST_CASE("inbox worker: a handled item is done and not handed out again") {
  QueueWorld w;
  CHECK(w.drain() == 1);
  CHECK(w.state() == storage::InboxState::done);
  CHECK(w.drain() == 0);
  CHECK(w.dispatcher.seen.size() == 1);
}

TEST_CASE("inbox worker: a transient failure is retried after the backoff, then done") {
  QueueWorld w;
  w.dispatcher.results.push_back(Result<void>(kTimeout));
  CHECK(w.drain() == 1);
  REQUIRE(w.state() == storage::InboxState::pending);
  const auto row = w.row();
  CHECK(row.attempts == 1);
  CHECK(row.next_attempt_at == w.now + 30000);  // the first backoff, no jitter
  CHECK_FALSE(row.error.empty());

  // Not due yet: nothing is handed out.
  w.now += 29000;
  CHECK(w.drain() == 0);
  CHECK(w.dispatcher.seen.size() == 1);

  w.now += 1000;
  CHECK(w.drain() == 1);
  CHECK(w.dispatcher.seen.size() == 2);
  CHECK(w.state() == storage::InboxState::done);
}

TEST_CASE("inbox worker: a permanent failure fails the item at once") {
  QueueWorld w;
  w.dispatcher.results.push_back(
      Result<void>(make_error_code(federation::FederationError::origin_mismatch)));
  CHECK(w.drain() == 1);
  CHECK(w.state() == storage::InboxState::failed);
  w.now += 3600000;
  CHECK(w.drain() == 0);
  CHECK(w.dispatcher.seen.size() == 1);
}

TEST_CASE("inbox worker: the eighth transient failure gives up") {
  QueueWorld w;
  for (int i = 0; i < 8; ++i) w.dispatcher.results.push_back(Result<void>(kTimeout));
  for (int attempt = 1; attempt <= 7; ++attempt) {
    INFO("attempt " << attempt);
    CHECK(w.drain() == 1);
    REQUIRE(w.state() == storage::InboxState::pending);
    CHECK(w.row().attempts == attempt);
    w.now = w.row().next_attempt_at;
  }
  CHECK(w.drain() == 1);
  CHECK(w.state() == storage::InboxState::failed);
  CHECK(w.dispatcher.seen.size() == 8);
}
