// InboxWorker: each due item goes to the registered dispatcher once; a transient failure puts it
// back with a backoff (the delivery retry policy, by error kind), anything else fails it at once,
// and the last try gives up. Group commit: items run several at once (items sharing an actor or
// object one after another, in order), their writes commit together and their marks are written
// many in one write, each item by its own result. No batch boundary holds the flow up.
#include "federation/inbox/inbox_worker.hpp"
#include "federation/federation_error.hpp"
#include "federation/http/error.hpp"
#include "federation/storage_async.hpp"
#include "storage/inbox_items.hpp"
#include "tests/unit/support/inbox_fixtures.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/steady_timer.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <deque>
#include <map>

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

std::string activity_json(const std::string& id, const std::string& type,
                          const std::string& actor, const std::string& object_json) {
  return R"({"@context":"https://www.w3.org/ns/activitystreams","id":")" + id +
         R"(","type":")" + type + R"(","actor":")" + actor + R"(","object":)" + object_json + "}";
}

auto touch_job() {
  return [](storage::Connection& c) { return c.exec("UPDATE actors SET id = id WHERE 0"); };
}

// Each activity: "begin <id>", one write (awaited, as the real handlers do), "end <id>"; then
// the result scripted for its id (success when none).
class WritingDispatcher final : public federation::ActivityDispatcher {
 public:
  explicit WritingDispatcher(storage::Database& db) : db_(db) {}
  std::map<std::string, Result<void>> results;
  std::vector<std::string> events;

  boost::asio::awaitable<Result<void>> dispatch(
      const federation::InboundActivity& activity) override {
    const std::string id = activity.envelope.id;
    events.push_back("begin " + id);
    auto wrote = co_await federation::write(db_, touch_job());
    events.push_back("end " + id);
    if (!wrote) co_return wrote;
    auto it = results.find(id);
    if (it != results.end()) co_return it->second;
    co_return Result<void>{};
  }

 private:
  storage::Database& db_;
};

struct BatchWorld : test::World {
  boost::asio::io_context worker_ioc;
  WritingDispatcher dispatcher{*db};
  federation::InboxWorker worker;

  ~BatchWorld() { db->close(); }
  explicit BatchWorld(federation::InboxWorkerSettings settings = {})
      : worker{worker_ioc.get_executor(), *db, dispatcher, clock, settings, log} {}
  BatchWorld(const BatchWorld&) = delete;
  BatchWorld& operator=(const BatchWorld&) = delete;

  // Queues <actor>/a/<n>, an activity of `type` by `actor` on `object`.
  std::int64_t queue(const std::string& actor, const std::string& n,
                     const std::string& type = "Like",
                     const std::string& object = "https://town.example/statuses/1") {
    storage::InboxItemRecord item;
    item.activity_id = actor + "/a/" + n;
    item.actor_uri = actor;
    item.body = activity_json(item.activity_id, type, actor, "\"" + object + "\"");
    item.received_at = now;
    auto inserted = db->write_sync(
        [&](storage::Connection& c) { return storage::inbox_items::insert(c, item); });
    REQUIRE(inserted);
    return *inserted;
  }
  storage::InboxItemRecord item(std::int64_t id) {
    auto found = db->read([id](storage::Connection& c) { return storage::inbox_items::find(c, id); });
    REQUIRE(found);
    REQUIRE(*found);
    return **found;
  }
  std::size_t drain() {
    return run([this] { return worker.process_pending(); });
  }
  std::ptrdiff_t position(const std::string& event) const {
    auto it = std::find(dispatcher.events.begin(), dispatcher.events.end(), event);
    REQUIRE(it != dispatcher.events.end());
    return it - dispatcher.events.begin();
  }
};

std::string actor(int i) { return "https://remote" + std::to_string(i) + ".example/users/u"; }

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

TEST_CASE("inbox worker: an item whose host is busy runs again soon, not after the backoff") {
  // host_busy: other running items have the host's share of fetches in flight.
  QueueWorld w;
  const Result<void> busy(make_error_code(federation::http::HttpError::host_busy));
  w.dispatcher.results = {busy, busy};
  CHECK(w.drain() == 1);
  CHECK(w.state() == storage::InboxState::done);
  CHECK(w.dispatcher.seen.size() == 3);
}

TEST_CASE("inbox worker: an item whose host stays busy is put back when its deadline passes") {
  QueueWorld w;
  federation::InboxWorkerSettings settings;
  settings.item_timeout = std::chrono::milliseconds(300);
  settings.host_busy_wait = std::chrono::milliseconds(10);
  ScriptedDispatcher dispatcher;
  const Result<void> busy(make_error_code(federation::http::HttpError::host_busy));
  // More answers than the 300 ms can use (waits of 10, 20, 40, ... ms): busy to the end.
  dispatcher.results.assign(100, busy);
  federation::InboxWorker worker{
      w.worker_ioc.get_executor(), *w.db, dispatcher, w.clock, settings, w.log};
  CHECK(w.run([&] { return worker.process_pending(); }) == 1);
  REQUIRE(w.state() == storage::InboxState::pending);
  CHECK(w.row().attempts == 1);
  CHECK(w.row().next_attempt_at == w.now + 30000);
  CHECK(dispatcher.seen.size() >= 2);
  CHECK(dispatcher.seen.size() < 100);
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

TEST_CASE("inbox worker: a batch commits in fewer transactions, its marks in one write") {
  BatchWorld w;
  constexpr int kItems = 16;
  for (int i = 0; i < kItems; ++i) w.queue(actor(i), "1");
  const auto before = w.db->transactions_committed();
  CHECK(w.drain() == kItems);
  const auto spent = w.db->transactions_committed() - before;
  // One at a time this was 2 per item (the handler's write, then the done mark). Now the marks
  // take one transaction and the handlers' writes of items running at once share some.
  INFO("transactions: " << spent);
  CHECK(spent <= kItems + 1);
  CHECK(spent < 2 * kItems);
  CHECK(w.db->read([](storage::Connection& c) {
    return storage::inbox_items::count_by_state(c, storage::InboxState::done);
  }).value() == kItems);
  CHECK(w.dispatcher.events.size() == 2 * kItems);
}

TEST_CASE("inbox worker: each item of a batch is marked by its own result") {
  BatchWorld w;
  const auto ok1 = w.queue(actor(1), "1");
  const auto permanent = w.queue(actor(2), "1");
  const auto transient = w.queue(actor(3), "1");
  const auto ok2 = w.queue(actor(4), "1");
  w.dispatcher.results[actor(2) + "/a/1"] =
      Result<void>(make_error_code(federation::FederationError::origin_mismatch));
  w.dispatcher.results[actor(3) + "/a/1"] = Result<void>(kTimeout);
  CHECK(w.drain() == 4);
  CHECK(w.item(ok1).state == storage::InboxState::done);
  CHECK(w.item(ok2).state == storage::InboxState::done);
  CHECK(w.item(permanent).state == storage::InboxState::failed);
  const auto retried = w.item(transient);
  CHECK(retried.state == storage::InboxState::pending);
  CHECK(retried.attempts == 1);
  CHECK(retried.next_attempt_at == w.now + 30000);
  CHECK(w.item(ok1).error.empty());
}

TEST_CASE("inbox worker: items of one actor or object apply in queue order, others meanwhile") {
  // The default settings (all six in one fetch), then two fetched at a time: the order holds
  // across fetches too.
  for (const int batch : {32, 2}) {
    INFO("batch_size " << batch);
    federation::InboxWorkerSettings settings;
    settings.batch_size = batch;
    settings.parallel = 4;
    BatchWorld w(settings);
    const std::string note = actor(1) + "/statuses/9";
    w.queue(actor(1), "1", "Create", note);
    w.queue(actor(2), "1");
    w.queue(actor(1), "2", "Update", note);
    w.queue(actor(3), "1", "Announce", note);  // another actor, the same object
    w.queue(actor(4), "1");
    w.queue(actor(1), "3", "Delete", note);
    CHECK(w.drain() == 6);
    // The items on `note`: each starts after the previous one ended.
    CHECK(w.position("end " + actor(1) + "/a/1") < w.position("begin " + actor(1) + "/a/2"));
    CHECK(w.position("end " + actor(1) + "/a/2") < w.position("begin " + actor(3) + "/a/1"));
    CHECK(w.position("end " + actor(3) + "/a/1") < w.position("begin " + actor(1) + "/a/3"));
    // Other items ran while the first one waited for its write.
    CHECK(w.position("begin " + actor(2) + "/a/1") < w.position("end " + actor(1) + "/a/1"));
  }
}

namespace {

// Like WritingDispatcher, but `slow` waits (before its write) until `others` other activities
// have begun.
class GatedDispatcher final : public federation::ActivityDispatcher {
 public:
  GatedDispatcher(storage::Database& db, std::string slow, std::size_t others)
      : db_(db), slow_(std::move(slow)), others_(others) {}
  std::vector<std::string> events;

  boost::asio::awaitable<Result<void>> dispatch(
      const federation::InboundActivity& activity) override {
    const std::string id = activity.envelope.id;
    events.push_back("begin " + id);
    if (id == slow_ && !open_) {
      const auto executor = co_await boost::asio::this_coro::executor;
      boost::asio::steady_timer gate(executor, std::chrono::hours(1));
      gate_ = &gate;
      auto opening = gate.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
      co_await std::move(opening);
      gate_ = nullptr;
    } else if (id != slow_ && ++begun_ == others_) {
      open_ = true;
      if (gate_ != nullptr) gate_->cancel();
    }
    auto wrote = co_await federation::write(db_, touch_job());
    events.push_back("end " + id);
    co_return wrote;
  }

 private:
  storage::Database& db_;
  std::string slow_;
  std::size_t others_;
  std::size_t begun_ = 0;
  bool open_ = false;
  boost::asio::steady_timer* gate_ = nullptr;
};

}  // namespace

TEST_CASE("inbox worker: a slow item holds up only the items that share a key with it") {
  // Two fetched at a time, two running: with batches processed one at a time, the slow item's
  // batch would wait for it, its gate would never open and its deadline would put it back.
  federation::InboxWorkerSettings settings;
  settings.batch_size = 2;
  settings.parallel = 2;
  settings.item_timeout = std::chrono::seconds(20);
  BatchWorld w(settings);
  GatedDispatcher dispatcher(*w.db, actor(1) + "/a/1", 5);
  federation::InboxWorker worker{
      w.worker_ioc.get_executor(), *w.db, dispatcher, w.clock, settings, w.log};
  // Each a Like of a post of its own: only the actor ties the last item to the slow one.
  auto own_post = [](int i) { return actor(i) + "/statuses/" + std::to_string(i); };
  const auto slow = w.queue(actor(1), "1", "Like", own_post(1));
  for (int i = 2; i <= 6; ++i) w.queue(actor(i), "1", "Like", own_post(i));
  const auto later = w.queue(actor(1), "2", "Like", own_post(7));  // the slow item's actor
  CHECK(w.run([&] { return worker.process_pending(); }) == 7);
  CHECK(w.item(slow).state == storage::InboxState::done);
  CHECK(w.item(slow).attempts == 1);
  CHECK(w.item(later).state == storage::InboxState::done);
  auto at = [&](const std::string& event) {
    auto it = std::find(dispatcher.events.begin(), dispatcher.events.end(), event);
    REQUIRE(it != dispatcher.events.end());
    return it - dispatcher.events.begin();
  };
  CHECK(at("begin " + actor(6) + "/a/1") < at("end " + actor(1) + "/a/1"));
  CHECK(at("end " + actor(1) + "/a/1") < at("begin " + actor(1) + "/a/2"));
}

TEST_CASE("inbox worker: ordering keys: actor, object, parent and inner object") {
  auto item = [](const std::string& actor_uri, const std::string& body) {
    storage::InboxItemRecord r;
    r.actor_uri = actor_uri;
    r.body = body;
    return federation::InboxWorker::ordering_keys(r);
  };
  auto shares = [](const std::vector<std::string>& a, const std::vector<std::string>& b) {
    return std::any_of(a.begin(), a.end(), [&](const std::string& k) {
      return std::find(b.begin(), b.end(), k) != b.end();
    });
  };
  const std::string parent = actor(1) + "/statuses/1";
  const auto create = item(actor(1), activity_json(actor(1) + "/c/1", "Create", actor(1),
                                                   R"({"id":")" + parent + R"(","type":"Note"})"));
  const auto reply =
      item(actor(2),
           activity_json(actor(2) + "/c/1", "Create", actor(2),
                         R"({"id":")" + actor(2) + R"(/statuses/1","type":"Note","inReplyTo":")" +
                             parent + R"("})"));
  const auto like =
      item(actor(3), activity_json(actor(3) + "/l/1", "Like", actor(3), "\"x:other\""));
  const auto undo =
      item(actor(4), activity_json(actor(4) + "/u/1", "Undo", actor(4),
                                   R"({"id":")" + actor(4) + R"(/l/1","type":"Like","object":")" +
                                       parent + R"("})"));
  const auto garbage = item(actor(5), "not json");
  const auto follow =
      item(actor(3), activity_json(actor(3) + "/f/1", "Follow", actor(3), "\"x:someone\""));
  CHECK(create == std::vector<std::string>{actor(1), parent});  // sorted, the actor once
  CHECK(shares(create, reply));                                 // a reply after its parent
  CHECK(shares(create, undo));                                  // an Undo of a Like of it
  CHECK(shares(like, follow));                                  // one actor
  CHECK_FALSE(shares(create, like));
  CHECK_FALSE(shares(reply, follow));
  CHECK(garbage == std::vector<std::string>{actor(5)});  // unreadable: its actor only
}

TEST_CASE("inbox worker: paused (the benchmark's split), notify() leaves the queue alone") {
  federation::InboxWorkerSettings settings;
  settings.paused = true;
  BatchWorld paused(settings);
  const auto id = paused.queue(actor(1), "1");
  paused.worker.notify();
  paused.worker_ioc.run();  // until nothing is left to run: notify()'s handler returned at once
  CHECK(paused.dispatcher.events.empty());
  CHECK(paused.item(id).state == storage::InboxState::pending);

  // Not paused, the same notify() processes the item.
  BatchWorld running;
  const auto other = running.queue(actor(1), "1");
  running.worker.notify();
  REQUIRE(test::run_until(running.worker_ioc,
                          [&] { return running.item(other).state == storage::InboxState::done; }));
  CHECK(running.dispatcher.events == std::vector<std::string>{"begin " + actor(1) + "/a/1",
                                                              "end " + actor(1) + "/a/1"});
}
