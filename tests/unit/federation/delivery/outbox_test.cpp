#include "federation/delivery/outbox.hpp"
#include "tests/unit/support/enqueuer.hpp"

#include "tests/unit/federation/delivery/delivery_fixtures.hpp"
#include "storage/deliveries.hpp"
#include "storage/follows.hpp"

using namespace civicpub;
using namespace civicpub::federation;

namespace {

std::int64_t add_remote(storage::Database& db, const std::string& host, const std::string& name,
                        bool shared) {
  auto a = civicpub::test::remote_actor(host, name);
  if (!shared) a.shared_inbox.clear();
  auto id =
      db.write_sync([&](storage::Connection& c) { return storage::actors::upsert_remote(c, a); });
  REQUIRE(id);
  return *id;
}

void follow(storage::Database& db, std::int64_t follower, std::int64_t target,
            storage::FollowState state) {
  storage::FollowRecord f;
  f.follower_id = follower;
  f.target_id = target;
  f.state = state;
  f.activity_uri = "https://x.example/follows/" + std::to_string(follower);
  f.created_at = f.updated_at = 1;
  REQUIRE(db.write_sync([&](storage::Connection& c) { return storage::follows::upsert(c, f); }));
}

}  // namespace

TEST_CASE("enqueue_activity writes one row per distinct inbox - the wake-up follows the commit") {
  civicpub::test::TempDir dir;
  auto db = civicpub::test::open_db(dir);
  auto actor = civicpub::test::add_local_actor(*db, "gemeente");
  civicpub::test::ManualClock clock;
  int notified = 0;
  civicpub::test::Enqueuer outbox(*db, clock.clock(), [&] { ++notified; });

  auto n = outbox.enqueue_now(
      "https://town.example/activities/1", actor.id, "{}",
      {"https://a.example/inbox", "", "https://a.example/inbox", "https://b.example/inbox"});
  REQUIRE(n);
  CHECK(*n == 2);
  CHECK(notified == 1);

  // The same activity again: nothing new, no wake-up.
  n = outbox.enqueue_now("https://town.example/activities/1", actor.id, "{}",
                         {"https://a.example/inbox"});
  REQUIRE(n);
  CHECK(*n == 0);
  CHECK(notified == 1);

  auto due = db->read(
      [&](storage::Connection& c) { return storage::deliveries::due(c, clock.now(), 10); });
  REQUIRE(due);
  REQUIRE(due->size() == 2);
  CHECK((*due)[0].next_attempt_at == clock.now());
  CHECK((*due)[0].actor_id == actor.id);
}

TEST_CASE("enqueue_activity inside the caller's write job rolls back with it") {
  civicpub::test::TempDir dir;
  auto db = civicpub::test::open_db(dir);
  auto actor = civicpub::test::add_local_actor(*db, "gemeente");
  civicpub::test::ManualClock clock;
  auto r = db->write_sync([&](storage::Connection& c) -> Result<void> {
    auto n = enqueue_activity(c, "https://town.example/activities/1", actor.id, "{}",
                              {"https://a.example/inbox"}, clock.now());
    if (!n) return n.error();
    return make_error_code(storage::Errc::conflict);  // the caller's own step fails
  });
  CHECK_FALSE(r);
  auto count =
      db->read([](storage::Connection& c) { return storage::deliveries::pending_count(c); });
  REQUIRE(count);
  CHECK(*count == 0);
}

TEST_CASE("follower_inboxes: shared inbox else inbox, accepted remote followers only") {
  civicpub::test::TempDir dir;
  auto db = civicpub::test::open_db(dir);
  auto actor = civicpub::test::add_local_actor(*db, "gemeente");
  civicpub::test::ManualClock clock;
  follow(*db, add_remote(*db, "a.example", "anna", true), actor.id, storage::FollowState::accepted);
  follow(*db, add_remote(*db, "a.example", "bert", true), actor.id, storage::FollowState::accepted);
  follow(*db, add_remote(*db, "b.example", "carl", false), actor.id,
         storage::FollowState::accepted);
  follow(*db, add_remote(*db, "c.example", "dora", true), actor.id, storage::FollowState::pending);
  auto inboxes =
      db->read([&](storage::Connection& c) { return storage::follows::follower_inboxes(c, actor.id); });
  REQUIRE(inboxes);
  CHECK(*inboxes ==
        std::vector<std::string>{"https://a.example/inbox", "https://b.example/users/carl/inbox"});
}
