// The inbox queue's caps (federation/inbox/inbox_queue.hpp): an actor, or the actors of one host,
// with too many unprocessed items is refused (queue_full, which the route answers 429) and nothing
// is stored; other senders are still queued, and the sender is taken again once its items were
// processed.
#include "tests/unit/support/inbox_fixtures.hpp"

#include "federation/federation_error.hpp"
#include "storage/inbox_items.hpp"

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
