// The inbox queue's caps (federation/inbox/inbox_queue.hpp): an actor, or the actors of one host,
// with too many unprocessed items is refused (queue_full, which the route answers 429) and nothing
// is stored; other senders are still queued, and the sender is taken again once its items were
// processed.
#include "tests/unit/support/inbox_fixtures.hpp"

#include "federation/federation_error.hpp"
#include "federation/inbox/inbox_queue.hpp"
#include "storage/inbox_items.hpp"
#include "storage/migrations.hpp"

using namespace civicpub;
using federation::FederationError;
using test::World;

namespace {

const std::string kAnna = "https://remote.example/users/anna";
const std::string kBob = "https://remote.example/users/bob";
const std::string kCarl = "https://elsewhere.example/users/carl";

std::string follow_from(const std::string& actor, int n) {
  return test::follow_json(actor + "/follows/" + std::to_string(n), actor,
                           "https://town.example/users/gemeente");
}

storage::Connection queue_db() {
  auto conn = storage::Connection::open(":memory:");
  REQUIRE(conn);
  REQUIRE(storage::migrate(*conn));
  return std::move(*conn);
}

storage::InboxItemRecord queued(const std::string& actor, int n) {
  storage::InboxItemRecord r;
  r.activity_id = actor + "/activities/" + std::to_string(n);
  r.actor_uri = actor;
  r.key_id = actor + "#main-key";
  r.body = "{}";
  r.received_at = 1;
  return r;
}

bool refused(const Result<std::int64_t>& r) {
  return !r && r.error() == FederationError::queue_full;
}

std::int64_t pending(World& w) {
  return w.read([](storage::Connection& c) {
    return storage::inbox_items::count_by_state(c, storage::InboxState::pending);
  });
}

}  // namespace

TEST_CASE("inbox queue - a sender over its cap of unprocessed items is refused, others are not") {
  federation::InboxSettings settings;
  settings.queue_caps.per_actor = 2;
  settings.queue_caps.per_host = 3;
  World w(settings);
  auto anna = w.remote(kAnna);
  auto bob = w.remote(kBob);
  auto carl = w.remote(kCarl);

  REQUIRE(w.accept(w.cavage_post(anna, follow_from(kAnna, 1))));
  REQUIRE(w.accept(w.cavage_post(anna, follow_from(kAnna, 2))));
  auto third = w.accept(w.cavage_post(anna, follow_from(kAnna, 3)));
  REQUIRE_FALSE(third);
  CHECK(third.error() == FederationError::queue_full);
  CHECK(pending(w) == 2);

  // Another actor of the same host fills the host's share, then is refused too.
  REQUIRE(w.accept(w.cavage_post(bob, follow_from(kBob, 1))));
  auto host_full = w.accept(w.cavage_post(bob, follow_from(kBob, 2)));
  REQUIRE_FALSE(host_full);
  CHECK(host_full.error() == FederationError::queue_full);

  // Another host is not affected.
  REQUIRE(w.accept(w.cavage_post(carl, follow_from(kCarl, 1))));
  CHECK(pending(w) == 4);

  // Once anna's items were processed, she is taken again.
  auto items =
      w.read([](storage::Connection& c) { return storage::inbox_items::next_pending(c, 10); });
  for (const auto& item : items) {
    if (item.actor_uri != kAnna) continue;
    REQUIRE(w.db->write_sync([&](storage::Connection& c) {
      return storage::inbox_items::mark_done(c, item.id, 1);
    }));
  }
  REQUIRE(w.accept(w.cavage_post(anna, follow_from(kAnna, 3))));
}

TEST_CASE("inbox queue - the caps refuse exactly at the cap from counts kept with every change") {
  auto conn = queue_db();
  const federation::InboxQueueCaps caps{2, 3};  // per actor, per host

  auto first = federation::queue_item(conn, queued(kAnna, 1), caps);
  REQUIRE(first);
  CHECK(storage::inbox_items::find(conn, *first).value()->actor_origin == "https://remote.example");
  REQUIRE(federation::queue_item(conn, queued(kAnna, 2), caps));
  CHECK(refused(federation::queue_item(conn, queued(kAnna, 3), caps)));
  // A retry later keeps the item pending: anna stays at her cap.
  REQUIRE(storage::inbox_items::retry_later(conn, *first, "timed out", 100));
  CHECK(refused(federation::queue_item(conn, queued(kAnna, 3), caps)));

  // Another actor of the host takes the host's last place, then the host is full for everyone,
  // however its actors spell it.
  REQUIRE(federation::queue_item(conn, queued(kBob, 1), caps));
  CHECK(refused(federation::queue_item(conn, queued(kBob, 2), caps)));
  CHECK(refused(
      federation::queue_item(conn, queued("HTTPS://Remote.Example:443/users/dora", 1), caps)));
  // Another host, and another port of the same host name, are other origins.
  REQUIRE(federation::queue_item(conn, queued(kCarl, 1), caps));
  REQUIRE(federation::queue_item(conn, queued("https://remote.example:8443/users/erik", 1), caps));

  // An item processed, done or failed, frees its place for its actor and its host.
  REQUIRE(storage::inbox_items::mark_failed(conn, *first, "bad", 200));
  REQUIRE(federation::queue_item(conn, queued(kAnna, 3), caps));
  CHECK(refused(federation::queue_item(conn, queued(kAnna, 4), caps)));

  // An insert rolled back (a write job that failed later in its savepoint) takes no place.
  auto second = storage::inbox_items::next_pending(conn, 1).value();
  REQUIRE(second.size() == 1);
  CHECK(second[0].actor_uri == kAnna);
  REQUIRE(storage::inbox_items::mark_done(conn, second[0].id, 300));
  REQUIRE(conn.exec("SAVEPOINT job"));
  REQUIRE(federation::queue_item(conn, queued(kAnna, 4), caps));
  CHECK(refused(federation::queue_item(conn, queued(kBob, 2), caps)));
  REQUIRE(conn.exec("ROLLBACK TO job"));
  REQUIRE(conn.exec("RELEASE job"));
  REQUIRE(federation::queue_item(conn, queued(kAnna, 4), caps));
  CHECK(refused(federation::queue_item(conn, queued(kAnna, 5), caps)));
  CHECK(refused(federation::queue_item(conn, queued(kBob, 2), caps)));
}
