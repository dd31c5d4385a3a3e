#include "tests/unit/storage/fixtures.hpp"
#include "storage/inbox_items.hpp"

using namespace civicpub::storage;

namespace {
InboxItemRecord item(const std::string& id, Millis at) {
  InboxItemRecord r;
  r.activity_id = "https://far.example/activities/" + id;
  r.actor_uri = "https://far.example/users/alice";
  r.key_id = "https://far.example/users/alice#main-key";
  r.body = "{\"id\":\"" + id + "\"}";
  r.received_at = at;
  return r;
}
}  // namespace

TEST_CASE("inbox_items: insert, duplicate activity id is a conflict") {
  auto conn = test::memory_db();
  auto id = inbox_items::insert(conn, item("1", 10));
  REQUIRE(id);
  auto dup = inbox_items::insert(conn, item("1", 20));
  REQUIRE_FALSE(dup);
  CHECK(dup.error() == Errc::conflict);
  CHECK(inbox_items::count_by_state(conn, InboxState::pending).value() == 1);
}

TEST_CASE("inbox_items: next_pending in arrival order, mark_done, mark_failed, counts") {
  auto conn = test::memory_db();
  auto a = inbox_items::insert(conn, item("a", 1)).value();
  auto b = inbox_items::insert(conn, item("b", 2)).value();
  auto c = inbox_items::insert(conn, item("c", 3)).value();
  auto next = inbox_items::next_pending(conn, 2).value();
  REQUIRE(next.size() == 2);
  CHECK(next[0].id == a);
  CHECK(next[1].id == b);
  CHECK(next[0].activity_id == "https://far.example/activities/a");
  CHECK(next[0].actor_uri == "https://far.example/users/alice");
  CHECK(next[0].key_id == "https://far.example/users/alice#main-key");
  CHECK(next[0].body == "{\"id\":\"a\"}");
  CHECK(next[0].state == InboxState::pending);
  CHECK(next[0].attempts == 0);
  CHECK(next[0].received_at == 1);
  CHECK_FALSE(next[0].processed_at);

  REQUIRE(inbox_items::mark_done(conn, a, 50));
  REQUIRE(inbox_items::mark_failed(conn, b, "unknown actor", 60));
  next = inbox_items::next_pending(conn, 10).value();
  REQUIRE(next.size() == 1);
  CHECK(next[0].id == c);
  CHECK(inbox_items::count_by_state(conn, InboxState::pending).value() == 1);
  CHECK(inbox_items::count_by_state(conn, InboxState::done).value() == 1);
  CHECK(inbox_items::count_by_state(conn, InboxState::failed).value() == 1);

  CHECK(inbox_items::mark_done(conn, 999, 1).error() == Errc::not_found);
  CHECK(inbox_items::mark_failed(conn, 999, "x", 1).error() == Errc::not_found);
}

TEST_CASE("inbox_items: how an item was authenticated is kept") {
  auto conn = test::memory_db();
  auto plain = item("s", 1);
  auto proven = item("p", 2);
  proven.auth = InboxAuth::proof;
  auto unverified = item("u", 3);
  unverified.auth = InboxAuth::unverified;
  REQUIRE(inbox_items::insert(conn, plain));
  REQUIRE(inbox_items::insert(conn, proven));
  REQUIRE(inbox_items::insert(conn, unverified));
  auto pending = inbox_items::next_pending(conn, 10).value();
  REQUIRE(pending.size() == 3);
  CHECK(pending[0].auth == InboxAuth::signature);
  CHECK(pending[1].auth == InboxAuth::proof);
  CHECK(pending[2].auth == InboxAuth::unverified);
  CHECK(parse_inbox_auth("unverified") == InboxAuth::unverified);
  CHECK_FALSE(parse_inbox_auth("maybe"));
  CHECK(to_string(InboxAuth::proof) == "proof");
}

TEST_CASE("inbox_items: retry_later keeps an item pending until it is due") {
  auto conn = test::memory_db();
  auto a = inbox_items::insert(conn, item("a", 1)).value();
  auto b = inbox_items::insert(conn, item("b", 2)).value();
  CHECK(inbox_items::next_due(conn, 100, 10).value().size() == 2);
  CHECK_FALSE(inbox_items::next_retry_at(conn, 100).value());

  REQUIRE(inbox_items::retry_later(conn, a, "timed out", 500));
  auto due = inbox_items::next_due(conn, 100, 10).value();
  REQUIRE(due.size() == 1);
  CHECK(due[0].id == b);
  CHECK(inbox_items::next_retry_at(conn, 100).value() == std::optional<Millis>(500));
  // Still pending (for inspection and for counts), with the failure kept.
  auto pending = inbox_items::next_pending(conn, 10).value();
  REQUIRE(pending.size() == 2);
  CHECK(pending[0].attempts == 1);
  CHECK(pending[0].error == "timed out");
  CHECK(pending[0].next_attempt_at == 500);

  due = inbox_items::next_due(conn, 500, 10).value();
  REQUIRE(due.size() == 2);
  CHECK(due[0].id == a);
  CHECK_FALSE(inbox_items::next_retry_at(conn, 500).value());

  // Only pending items are put back.
  REQUIRE(inbox_items::mark_done(conn, b, 600));
  CHECK(inbox_items::retry_later(conn, b, "late", 900).error() == Errc::not_found);
}

TEST_CASE("inbox_items: the same activity id from another actor is not a duplicate") {
  // Issue 11: deduplication on the bare id let one actor claim another's id ahead of time.
  auto conn = test::memory_db();
  REQUIRE(inbox_items::insert(conn, item("1", 10)));
  auto other = item("1", 20);
  other.actor_uri = "https://far.example/users/mallory";
  REQUIRE(inbox_items::insert(conn, other));
  CHECK(inbox_items::count_by_state(conn, InboxState::pending).value() == 2);
}

TEST_CASE("inbox_items: pending items are counted per actor and per actor origin") {
  auto conn = test::memory_db();
  auto other = [](const std::string& id, const std::string& actor) {
    InboxItemRecord r = item(id, 1);
    r.actor_uri = actor;
    return r;
  };
  REQUIRE(inbox_items::insert(conn, item("1", 1)));
  auto done = inbox_items::insert(conn, item("2", 1)).value();
  REQUIRE(inbox_items::insert(conn, other("3", "https://far.example/users/bob")));
  REQUIRE(inbox_items::insert(conn, other("4", "https://far.example.evil/users/x")));
  REQUIRE(inbox_items::insert(conn, other("5", "https://far.example:8443/users/x")));
  REQUIRE(inbox_items::insert(conn, other("6", "http://far.example/users/x")));
  REQUIRE(inbox_items::mark_done(conn, done, 5));
  CHECK(inbox_items::count_pending_from(conn, "https://far.example/users/alice").value() == 1);
  CHECK(inbox_items::count_pending_under(conn, "https://far.example").value() == 2);
  CHECK(inbox_items::count_pending_under(conn, "https://far.example:8443").value() == 1);
  CHECK(inbox_items::count_pending_under(conn, "https://nowhere.example").value() == 0);
}

TEST_CASE("inbox_items: processed items older than the cut-off are purged, a batch at a time") {
  auto conn = test::memory_db();
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(inbox_items::insert(conn, item(std::to_string(i), 1)).value());
  REQUIRE(inbox_items::mark_done(conn, ids[0], 10));
  REQUIRE(inbox_items::mark_failed(conn, ids[1], "x", 10));
  REQUIRE(inbox_items::mark_done(conn, ids[2], 10));
  REQUIRE(inbox_items::mark_done(conn, ids[3], 100));  // processed after the cut-off
  // ids[4] stays pending: never purged, however old.
  CHECK(inbox_items::purge_processed(conn, 50, 2).value() == 2);
  CHECK(inbox_items::purge_processed(conn, 50, 2).value() == 1);
  CHECK(inbox_items::purge_processed(conn, 50, 2).value() == 0);
  CHECK(inbox_items::count_by_state(conn, InboxState::pending).value() == 1);
  CHECK(inbox_items::count_by_state(conn, InboxState::done).value() == 1);
}
