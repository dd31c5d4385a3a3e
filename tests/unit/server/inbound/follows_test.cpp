// InboxWorker and the on_<type> handlers: Follow/Accept, manual approval, Undo, Accept/Reject of
// our follows, Update and Delete of actors; every one idempotent.
#include "tests/unit/server/inbound/inbound_fixtures.hpp"

#include "federation/as2/reader.hpp"
#include "server/services/follow_requests.hpp"
#include "storage/deliveries.hpp"
#include "storage/follows.hpp"
#include "storage/inbox_items.hpp"

using namespace civicpub;

namespace {

const std::string kAnna = test::kAnnaUri;
const std::string kFollowId = "https://remote.example/0b7c5d0e-opaque";

// The inbound world, deliveries signed by anna.
struct WorkerWorld : test::InboundWorld {
  explicit WorkerWorld(bool manual = false) : InboundWorld({}, manual) {}

  // Receives anna's signed activity through the inbox and processes the queue.
  void deliver(const std::string& body) { InboundWorld::deliver(anna, body); }
  std::size_t drain() {
    return run([this] { return worker.process_pending(); });
  }

  std::optional<storage::FollowRecord> follow_of(std::int64_t follower, std::int64_t target) {
    return read([&](storage::Connection& c) {
      return storage::follows::find_by_pair(c, follower, target);
    });
  }
  storage::ActorRecord actor(const std::string& uri) {
    auto a = read([&](storage::Connection& c) { return storage::actors::find_by_uri(c, uri); });
    REQUIRE(a);
    return *a;
  }
  std::vector<storage::DeliveryRecord> deliveries() {
    return read([&](storage::Connection& c) { return storage::deliveries::due(c, now + 1, 100); });
  }
};

}  // namespace

TEST_CASE("worker: a Follow of an open account is accepted and answered with an Accept") {
  WorkerWorld w;
  const std::string follow = test::follow_json(kFollowId, kAnna, w.local.uri);
  w.deliver(follow);

  auto anna = w.actor(kAnna);
  auto f = w.follow_of(anna.id, w.local.id);
  REQUIRE(f);
  CHECK(f->state == storage::FollowState::accepted);
  CHECK(f->activity_uri == kFollowId);

  auto out = w.deliveries();
  REQUIRE(out.size() == 1);
  CHECK(out[0].inbox_url == kAnna + "/inbox");
  CHECK(out[0].actor_id == w.local.id);
  CHECK(w.enqueued_calls == 1);
  auto accept = federation::as2::parse_json(out[0].body);
  REQUIRE(accept);
  CHECK(federation::as2::first_type(*accept) == "Accept");
  CHECK(federation::as2::member_id(*accept, "actor") == w.local.uri);
  const auto* object = federation::as2::find_member(*accept, "object");
  REQUIRE(object);
  REQUIRE(object->IsObject());
  CHECK(federation::as2::member_id(*object, "id") == kFollowId);
  CHECK(federation::as2::first_type(*object) == "Follow");
  CHECK(federation::as2::member_id(*object, "actor") == kAnna);
  CHECK(federation::as2::member_id(*object, "object") == w.local.uri);
  CHECK(w.read([](storage::Connection& c) {
    return storage::inbox_items::count_by_state(c, storage::InboxState::done);
  }) == 1);
}

TEST_CASE("worker: processing the same Follow twice keeps one follow and one Accept") {
  WorkerWorld w;
  w.deliver(test::follow_json(kFollowId, kAnna, w.local.uri));
  storage::InboxItemRecord item;
  item.activity_id = kFollowId;
  item.actor_uri = kAnna;
  item.body = test::follow_json(kFollowId, kAnna, w.local.uri);
  auto again = w.run([&] { return w.worker.process(item); });
  REQUIRE(again);
  CHECK(w.deliveries().size() == 1);
  CHECK(w.enqueued_calls == 1);
  CHECK(w.read([&](storage::Connection& c) {
    return storage::follows::count_followers(c, w.local.id);
  }) == 1);
}

TEST_CASE("worker: a Follow of a manually approving account stays pending until approved") {
  WorkerWorld w(/*manual=*/true);
  w.deliver(test::follow_json(kFollowId, kAnna, w.local.uri));
  auto anna = w.actor(kAnna);
  auto f = w.follow_of(anna.id, w.local.id);
  REQUIRE(f);
  CHECK(f->state == storage::FollowState::pending);
  CHECK(w.deliveries().empty());
  CHECK(w.enqueued_calls == 0);

  auto approved = w.db->write_sync([&](storage::Connection& c) {
    return server::services::approve_follow(c, anna.id, w.local.id, w.now);
  });
  REQUIRE(approved);
  CHECK(*approved);
  CHECK(w.follow_of(anna.id, w.local.id)->state == storage::FollowState::accepted);
  auto out = w.deliveries();
  REQUIRE(out.size() == 1);
  CHECK(out[0].body.find(kFollowId) != std::string::npos);

  SECTION("rejecting instead removes the follow and queues a Reject") {
    auto rejected = w.db->write_sync([&](storage::Connection& c) {
      return server::services::reject_follow(c, anna.id, w.local.id, w.now);
    });
    REQUIRE(rejected);
    CHECK_FALSE(w.follow_of(anna.id, w.local.id));
    CHECK(w.deliveries().size() == 2);
  }
}

TEST_CASE("worker: Undo of a Follow whose id we never saw removes the follow") {
  WorkerWorld w;
  w.deliver(test::follow_json(kFollowId, kAnna, w.local.uri));
  auto anna = w.actor(kAnna);
  REQUIRE(w.follow_of(anna.id, w.local.id));
  const std::string undo =
      R"({"id":"https://remote.example/undo/1","type":"Undo","actor":")" + kAnna +
      R"(","object":)" + test::follow_json("https://remote.example/other-id", kAnna, w.local.uri) +
      "}";
  w.deliver(undo);
  CHECK_FALSE(w.follow_of(anna.id, w.local.id));

  SECTION("an Undo of a follow that does not exist is harmless") {
    w.deliver(R"({"id":"https://remote.example/undo/2","type":"Undo","actor":")" + kAnna +
              R"(","object":"https://remote.example/nothing"})");
    CHECK(w.read([](storage::Connection& c) {
      return storage::inbox_items::count_by_state(c, storage::InboxState::failed);
    }) == 0);
  }
}

TEST_CASE("worker: Accept and Reject of our own follows") {
  WorkerWorld w;
  // Resolve anna into storage, then record that gemeente follows her (pending).
  auto anna = w.run([&] { return w.resolver->resolve(kAnna); });
  REQUIRE(anna);
  const std::string our_follow = "https://town.example/users/gemeente#follows/1";
  storage::FollowRecord f;
  f.follower_id = w.local.id;
  f.target_id = anna->id;
  f.activity_uri = our_follow;
  f.created_at = f.updated_at = w.now;
  REQUIRE(w.db->write_sync([&](storage::Connection& c) { return storage::follows::upsert(c, f); }));

  SECTION("Accept with the Follow embedded (matched by id) sets it accepted") {
    w.deliver(R"({"id":"https://remote.example/acc/1","type":"Accept","actor":")" + kAnna +
              R"(","object":)" + test::follow_json(our_follow, w.local.uri, kAnna) + "}");
    CHECK(w.follow_of(w.local.id, anna->id)->state == storage::FollowState::accepted);
  }
  SECTION("Accept naming an unknown Follow id is matched by (our actor, their actor)") {
    w.deliver(R"({"id":"https://remote.example/acc/2","type":"Accept","actor":")" + kAnna +
              R"(","object":)" + test::follow_json("https://elsewhere/x", w.local.uri, kAnna) +
              "}");
    CHECK(w.follow_of(w.local.id, anna->id)->state == storage::FollowState::accepted);
  }
  SECTION("Accept from someone who is not the followed actor changes nothing") {
    auto bob = w.remote("https://remote.example/users/bob");
    auto accepted = w.accept(
        w.cavage_post(bob, R"({"id":"https://remote.example/acc/3","type":"Accept","actor":")" +
                               bob.uri + R"(","object":")" + our_follow + R"("})"));
    REQUIRE(accepted);
    w.drain();
    CHECK(w.follow_of(w.local.id, anna->id)->state == storage::FollowState::pending);
  }
  SECTION("Reject removes it") {
    w.deliver(R"({"id":"https://remote.example/rej/1","type":"Reject","actor":")" + kAnna +
              R"(","object":")" + our_follow + R"("})");
    CHECK_FALSE(w.follow_of(w.local.id, anna->id));
  }
}

TEST_CASE("worker: Update of the actor refreshes the stored profile") {
  WorkerWorld w;
  w.deliver(test::follow_json(kFollowId, kAnna, w.local.uri));
  test::ActorDocument renamed(kAnna, w.anna.keys.public_pem);
  renamed.name = "Anna B.";
  w.transport.answer(kAnna, 200, renamed.json());
  w.deliver(R"({"id":"https://remote.example/upd/1","type":"Update","actor":")" + kAnna +
            R"(","object":{"id":")" + kAnna + R"(","type":"Person","name":"ignored"}})");
  CHECK(w.actor(kAnna).display_name == "Anna B.");
}

TEST_CASE("worker: Delete of the actor marks it deleted and removes its follows") {
  WorkerWorld w;
  w.deliver(test::follow_json(kFollowId, kAnna, w.local.uri));
  auto anna = w.actor(kAnna);
  REQUIRE(w.follow_of(anna.id, w.local.id));
  w.transport.answer(kAnna, 410, "{}");
  const std::string del = R"({"id":")" + kAnna + R"(#delete","type":"Delete","actor":")" + kAnna +
                          R"(","object":")" + kAnna + R"("})";
  w.deliver(del);
  CHECK_FALSE(w.follow_of(anna.id, w.local.id));
  CHECK(w.actor(kAnna).deleted_at);

  SECTION("processing the Delete again changes nothing") {
    storage::InboxItemRecord item;
    item.body = del;
    auto again = w.run([&] { return w.worker.process(item); });
    REQUIRE(again);
    CHECK(w.actor(kAnna).deleted_at);
  }
}

TEST_CASE("worker: notify() processes queued items on the worker's strand") {
  WorkerWorld w;
  REQUIRE(w.accept(w.cavage_post(w.anna, test::follow_json(kFollowId, kAnna, w.local.uri))));
  w.worker.notify();
  w.worker.notify();  // a second wake-up while the first runs is harmless
  // Runs the worker's io_context until the item is done (no fixed sleep; test::run_until's
  // deadline fails a lost wake-up).
  const auto done = [&] {
    return w.read([](storage::Connection& c) {
      return storage::inbox_items::count_by_state(c, storage::InboxState::done);
    });
  };
  REQUIRE(test::run_until(w.worker_ioc, [&] { return done() == 1; }));
  CHECK(w.deliveries().size() == 1);
}
