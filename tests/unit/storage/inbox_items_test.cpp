#include "storage/inbox_items.hpp"
#include "storage/statement.hpp"
#include "tests/unit/storage/fixtures.hpp"
#include "tests/unit/storage/full_scans.hpp"

using namespace civicpub::storage;

namespace {
InboxItemRecord item(const std::string& id, Millis at) {
  InboxItemRecord r;
  r.activity_id = "https://far.example/activities/" + id;
  r.actor_uri = "https://far.example/users/alice";
  r.actor_origin = "https://far.example";
  r.key_id = "https://far.example/users/alice#main-key";
  r.body = "{\"id\":\"" + id + "\"}";
  r.received_at = at;
  return r;
}

InboxItemRecord item_from(const std::string& id, const std::string& actor,
                          const std::string& origin) {
  InboxItemRecord r = item(id, 1);
  r.actor_uri = actor;
  r.actor_origin = origin;
  return r;
}

std::int64_t of_actor(Connection& conn, const std::string& actor) {
  return inbox_items::pending_counts(conn, actor, "").value().of_actor;
}
std::int64_t of_origin(Connection& conn, const std::string& origin) {
  return inbox_items::pending_counts(conn, "", origin).value().of_origin;
}

std::int64_t scalar(Connection& conn, const char* sql) {
  auto s = Statement::prepare(conn, sql);
  REQUIRE(s);
  REQUIRE(s->step().value());
  return s->column_int64(0);
}

// The kept counts are exactly what COUNT(*) over the pending rows says, no more rows (no count
// of 0 is kept), no fewer.
void require_counts_exact(Connection& conn) {
  CHECK(scalar(conn,
               "SELECT COUNT(*) FROM ("
               "SELECT actor_uri, COUNT(*) FROM inbox_items WHERE state = 'pending' "
               "GROUP BY actor_uri EXCEPT SELECT actor_uri, n FROM inbox_pending_actors)") == 0);
  CHECK(scalar(conn,
               "SELECT COUNT(*) FROM ("
               "SELECT actor_uri, n FROM inbox_pending_actors EXCEPT "
               "SELECT actor_uri, COUNT(*) FROM inbox_items WHERE state = 'pending' "
               "GROUP BY actor_uri)") == 0);
  CHECK(scalar(conn,
               "SELECT COUNT(*) FROM ("
               "SELECT actor_origin, COUNT(*) FROM inbox_items "
               "WHERE state = 'pending' AND actor_origin <> '' GROUP BY actor_origin "
               "EXCEPT SELECT origin, n FROM inbox_pending_origins)") == 0);
  CHECK(scalar(conn,
               "SELECT COUNT(*) FROM ("
               "SELECT origin, n FROM inbox_pending_origins EXCEPT "
               "SELECT actor_origin, COUNT(*) FROM inbox_items "
               "WHERE state = 'pending' AND actor_origin <> '' GROUP BY actor_origin)") == 0);
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
  CHECK(inbox_items::next_due(conn, 100, 0, 10).value().size() == 2);
  CHECK_FALSE(inbox_items::next_retry_at(conn, 100).value());

  REQUIRE(inbox_items::retry_later(conn, a, "timed out", 500));
  auto due = inbox_items::next_due(conn, 100, 0, 10).value();
  REQUIRE(due.size() == 1);
  CHECK(due[0].id == b);
  CHECK(inbox_items::next_retry_at(conn, 100).value() == std::optional<Millis>(500));
  // Still pending (for inspection and for counts), with the failure kept.
  auto pending = inbox_items::next_pending(conn, 10).value();
  REQUIRE(pending.size() == 2);
  CHECK(pending[0].attempts == 1);
  CHECK(pending[0].error == "timed out");
  CHECK(pending[0].next_attempt_at == 500);

  due = inbox_items::next_due(conn, 500, 0, 10).value();
  REQUIRE(due.size() == 2);
  CHECK(due[0].id == a);
  CHECK_FALSE(inbox_items::next_retry_at(conn, 500).value());
  // Past a cursor (the worker's place in its pass): only the items after it.
  due = inbox_items::next_due(conn, 500, a, 10).value();
  REQUIRE(due.size() == 1);
  CHECK(due[0].id == b);
  CHECK(inbox_items::next_due(conn, 500, b, 10).value().empty());

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
  REQUIRE(inbox_items::insert(conn, item("1", 1)));
  auto done = inbox_items::insert(conn, item("2", 1)).value();
  REQUIRE(inbox_items::insert(
      conn, item_from("3", "https://far.example/users/bob", "https://far.example")));
  REQUIRE(inbox_items::insert(
      conn, item_from("4", "https://far.example.evil/users/x", "https://far.example.evil")));
  REQUIRE(inbox_items::insert(
      conn, item_from("5", "https://far.example:8443/users/x", "https://far.example:8443")));
  REQUIRE(inbox_items::insert(conn, item_from("6", "http://far.example/users/x", "")));
  REQUIRE(inbox_items::mark_done(conn, done, 5));
  auto counts =
      inbox_items::pending_counts(conn, "https://far.example/users/alice", "https://far.example");
  REQUIRE(counts);
  CHECK(counts->of_actor == 1);
  CHECK(counts->of_origin == 2);
  CHECK(of_origin(conn, "https://far.example:8443") == 1);
  CHECK(of_origin(conn, "https://nowhere.example") == 0);
  CHECK(of_actor(conn, "https://nowhere.example/users/x") == 0);
  // An item stored without an origin counts per actor only.
  CHECK(of_actor(conn, "http://far.example/users/x") == 1);
  CHECK(of_origin(conn, "http://far.example") == 0);
  CHECK(of_origin(conn, "") == 0);
  CHECK(inbox_items::find(conn, done).value()->actor_origin == "https://far.example");
  require_counts_exact(conn);
}

TEST_CASE("inbox_items: the pending counts follow done, failed, retry_later, delete and purge") {
  auto conn = test::memory_db();
  const std::string alice = "https://far.example/users/alice";
  const std::string bob = "https://far.example/users/bob";
  auto a = inbox_items::insert(conn, item("a", 1)).value();
  auto b = inbox_items::insert(conn, item("b", 2)).value();
  auto c = inbox_items::insert(conn, item("c", 3)).value();
  auto d = inbox_items::insert(conn, item_from("d", bob, "https://far.example")).value();
  CHECK(of_actor(conn, alice) == 3);
  CHECK(of_actor(conn, bob) == 1);
  CHECK(of_origin(conn, "https://far.example") == 4);

  // Still pending: still counted.
  REQUIRE(inbox_items::retry_later(conn, a, "timed out", 500));
  CHECK(of_actor(conn, alice) == 3);
  CHECK(of_origin(conn, "https://far.example") == 4);

  REQUIRE(inbox_items::mark_done(conn, a, 10));
  CHECK(of_actor(conn, alice) == 2);
  CHECK(of_origin(conn, "https://far.example") == 3);
  REQUIRE(inbox_items::mark_failed(conn, b, "unknown actor", 10));
  CHECK(of_actor(conn, alice) == 1);
  CHECK(of_origin(conn, "https://far.example") == 2);
  require_counts_exact(conn);

  // A processed item marked again (mark_done does not look at the state) changes nothing.
  REQUIRE(inbox_items::mark_done(conn, b, 11));
  CHECK(of_actor(conn, alice) == 1);
  CHECK(of_origin(conn, "https://far.example") == 2);

  // Purging processed rows leaves the counts of the pending ones alone.
  CHECK(inbox_items::purge_processed(conn, 50, 10).value() == 2);
  CHECK(of_actor(conn, alice) == 1);
  CHECK(of_origin(conn, "https://far.example") == 2);
  require_counts_exact(conn);

  // No code deletes a pending row today; one deleted by hand is uncounted all the same.
  REQUIRE(conn.exec("DELETE FROM inbox_items WHERE id = " + std::to_string(d)));
  CHECK(of_actor(conn, bob) == 0);
  CHECK(of_origin(conn, "https://far.example") == 1);

  // A count that reaches 0 is deleted: the tables hold only actors and origins with a backlog.
  REQUIRE(inbox_items::mark_done(conn, c, 20));
  CHECK(of_actor(conn, alice) == 0);
  CHECK(scalar(conn, "SELECT COUNT(*) FROM inbox_pending_actors") == 0);
  CHECK(scalar(conn, "SELECT COUNT(*) FROM inbox_pending_origins") == 0);
  require_counts_exact(conn);
}

TEST_CASE("inbox_items: a state or key moved by hand is counted where it went") {
  // Nothing moves an item back to pending or to another actor today; the triggers keep the
  // counts right if something ever does.
  auto conn = test::memory_db();
  auto a = inbox_items::insert(conn, item("a", 1)).value();
  REQUIRE(inbox_items::mark_done(conn, a, 10));
  REQUIRE(conn.exec("UPDATE inbox_items SET state = 'pending' WHERE id = " + std::to_string(a)));
  CHECK(of_actor(conn, "https://far.example/users/alice") == 1);
  CHECK(of_origin(conn, "https://far.example") == 1);
  REQUIRE(
      conn.exec("UPDATE inbox_items SET actor_uri = 'https://near.example/users/x', "
                "actor_origin = 'https://near.example' WHERE id = " +
                std::to_string(a)));
  CHECK(of_actor(conn, "https://far.example/users/alice") == 0);
  CHECK(of_origin(conn, "https://far.example") == 0);
  CHECK(of_actor(conn, "https://near.example/users/x") == 1);
  CHECK(of_origin(conn, "https://near.example") == 1);
  require_counts_exact(conn);
}

TEST_CASE("inbox_items: what a transaction rolls back leaves the pending counts as they were") {
  auto conn = test::memory_db();
  const std::string alice = "https://far.example/users/alice";
  auto a = inbox_items::insert(conn, item("a", 1)).value();

  REQUIRE(conn.exec("BEGIN IMMEDIATE"));
  REQUIRE(inbox_items::insert(conn, item("b", 2)));
  REQUIRE(inbox_items::mark_done(conn, a, 10));
  REQUIRE(inbox_items::insert(conn, item("c", 3)));
  CHECK(of_actor(conn, alice) == 2);
  REQUIRE(conn.exec("ROLLBACK"));
  CHECK(of_actor(conn, alice) == 1);
  CHECK(of_origin(conn, "https://far.example") == 1);

  // The database's writer rolls a failed job back to its savepoint, the rest of the batch commits.
  REQUIRE(conn.exec("BEGIN IMMEDIATE"));
  REQUIRE(conn.exec("SAVEPOINT job"));
  REQUIRE(inbox_items::insert(conn, item("d", 4)));
  REQUIRE(conn.exec("ROLLBACK TO job"));
  REQUIRE(conn.exec("RELEASE job"));
  REQUIRE(inbox_items::insert(conn, item("e", 5)));
  REQUIRE(conn.exec("COMMIT"));
  CHECK(of_actor(conn, alice) == 2);
  CHECK(of_origin(conn, "https://far.example") == 2);

  // A redelivery fails on the UNIQUE key and counts nothing.
  auto dup = inbox_items::insert(conn, item("e", 6));
  REQUIRE_FALSE(dup);
  CHECK(dup.error() == Errc::conflict);
  CHECK(of_actor(conn, alice) == 2);
  require_counts_exact(conn);
}

TEST_CASE("inbox_items: the cap check and the counts' upkeep read no table whole") {
  auto conn = test::memory_db();
  // Several actors on several hosts: a scan shows only once a table has more than one row.
  for (int i = 0; i < 50; ++i) {
    const std::string host = "https://h" + std::to_string(i % 5) + ".example";
    REQUIRE(inbox_items::insert(conn, item_from(std::to_string(i), host + "/users/u", host)));
  }
  test::FullScans scans(conn);
  REQUIRE(inbox_items::pending_counts(conn, "https://h1.example/users/u", "https://h1.example"));
  auto id = inbox_items::insert(conn, item("x", 2)).value();
  REQUIRE(inbox_items::retry_later(conn, id, "busy", 10));
  REQUIRE(inbox_items::mark_done(conn, id, 20));
  REQUIRE(inbox_items::mark_failed(conn, 1, "x", 20));
  REQUIRE(conn.exec("DELETE FROM inbox_items WHERE id = 2"));
  CHECK(scans.statements() == std::vector<std::string>{});
}
