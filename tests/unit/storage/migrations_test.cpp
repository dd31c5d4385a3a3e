#include "tests/unit/storage/fixtures.hpp"
#include "storage/actors.hpp"
#include "storage/deliveries.hpp"
#include "storage/statement.hpp"

#include <array>

using namespace civicpub::storage;

namespace {
bool has_table(Connection& conn, const std::string& name) {
  auto s = Statement::prepare(conn, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1");
  REQUIRE(s);
  s->bind(1, name);
  return s->step().value();
}
}  // namespace

TEST_CASE("migrate creates every table, tracks user_version and is idempotent") {
  auto conn = Connection::open(":memory:");
  REQUIRE(conn);
  CHECK(schema_version(*conn).value() == 0);
  auto v = migrate(*conn);
  REQUIRE(v);
  CHECK(*v == latest_schema_version());
  CHECK(schema_version(*conn).value() == latest_schema_version());
  for (const char* table : {"actors", "local_keys", "follows", "posts", "tombstones",
                            "inbox_items", "deliveries", "hosts", "post_mentions", "post_hashtags",
                            "post_attachments", "reactions", "object_fetches",
                            "local_assertion_keys", "remote_assertion_keys"}) {
    INFO(table);
    CHECK(has_table(*conn, table));
  }
  auto again = migrate(*conn);
  REQUIRE(again);
  CHECK(*again == latest_schema_version());
  CHECK(migrations().size() == static_cast<std::size_t>(latest_schema_version()));
}

TEST_CASE("the deliveries table has no column for a private key") {
  auto conn = test::memory_db();
  auto s = Statement::prepare(conn, "SELECT name FROM pragma_table_info('deliveries')");
  REQUIRE(s);
  while (s->step().value()) CHECK(s->column_text(0).find("private") == std::string::npos);
}

TEST_CASE("a database newer than this binary is refused") {
  auto conn = Connection::open(":memory:");
  REQUIRE(conn);
  REQUIRE(conn->exec("PRAGMA user_version = " + std::to_string(latest_schema_version() + 1)));
  auto v = migrate(*conn);
  REQUIRE_FALSE(v);
  CHECK(v.error() == Errc::schema_too_new);
  CHECK_FALSE(has_table(*conn, "actors"));
}

TEST_CASE("migrations apply in order, and a failing one rolls back and stops") {
  auto conn = Connection::open(":memory:");
  REQUIRE(conn);
  const std::array<Migration, 3> list{{
      {1, "CREATE TABLE a (x INTEGER);"},
      {2, "CREATE TABLE b (x INTEGER);"},
      {3, "CREATE TABLE c (x INTEGER); CREATE TABLE c (x INTEGER);"},  // fails halfway
  }};
  auto v = migrate(*conn, list);
  REQUIRE_FALSE(v);
  CHECK(v.error() == Errc::migration_failed);
  CHECK(schema_version(*conn).value() == 2);
  CHECK(has_table(*conn, "b"));
  CHECK_FALSE(has_table(*conn, "c"));  // the half-applied migration 3 was rolled back

  const std::array<Migration, 2> upto2{{list[0], list[1]}};
  CHECK(migrate(*conn, upto2).value() == 2);  // already there: nothing to do

  auto fresh = Connection::open(":memory:");
  REQUIRE(fresh);
  const std::array<Migration, 2> gap{{list[0], {3, "CREATE TABLE d (x INTEGER);"}}};
  auto g = migrate(*fresh, gap);  // 1 applies, then 3 without 2 is refused
  REQUIRE_FALSE(g);
  CHECK(g.error() == Errc::migration_failed);
  CHECK(schema_version(*fresh).value() == 1);
}

TEST_CASE("migration 3 keeps queued inbox items as authenticated by their signature") {
  auto conn = Connection::open(":memory:");
  REQUIRE(conn);
  const auto all = migrations();
  REQUIRE(all.size() >= 3);
  REQUIRE(migrate(*conn, all.first(2)).value() == 2);
  REQUIRE(conn->exec(
      "INSERT INTO inbox_items (activity_id, actor_uri, body, received_at) "
      "VALUES ('https://far.example/a/1', 'https://far.example/users/alice', '{}', 1)"));
  REQUIRE(migrate(*conn).value() == latest_schema_version());
  auto s = Statement::prepare(*conn, "SELECT auth FROM inbox_items");
  REQUIRE(s);
  REQUIRE(s->step().value());
  CHECK(s->column_text(0) == "signature");
  // Only the three known values are accepted.
  CHECK_FALSE(conn->exec(
      "INSERT INTO inbox_items (activity_id, actor_uri, body, received_at, auth) "
      "VALUES ('https://far.example/a/2', 'https://far.example/users/alice', '{}', 1, 'maybe')"));
}

TEST_CASE("migration 5 keeps queued rows and keys them by actor and by source") {
  auto conn = Connection::open(":memory:");
  REQUIRE(conn);
  const auto all = migrations();
  REQUIRE(all.size() >= 5);
  REQUIRE(migrate(*conn, all.first(4)).value() == 4);
  REQUIRE(conn->exec(
      "INSERT INTO inbox_items (activity_id, actor_uri, body, received_at, auth, "
      "next_attempt_at) VALUES ('https://far.example/a/1', 'https://far.example/users/alice', "
      "'{}', 1, 'proof', 7)"));
  REQUIRE(migrate(*conn).value() == latest_schema_version());
  auto s = Statement::prepare(*conn, "SELECT auth, next_attempt_at FROM inbox_items");
  REQUIRE(s);
  REQUIRE(s->step().value());
  CHECK(s->column_text(0) == "proof");
  CHECK(s->column_int64(1) == 7);
  // Another actor may now use the same id; the same actor may not.
  CHECK(conn->exec(
      "INSERT INTO inbox_items (activity_id, actor_uri, body, received_at) "
      "VALUES ('https://far.example/a/1', 'https://far.example/users/bob', '{}', 1)"));
  CHECK_FALSE(conn->exec(
      "INSERT INTO inbox_items (activity_id, actor_uri, body, received_at) "
      "VALUES ('https://far.example/a/1', 'https://far.example/users/alice', '{}', 1)"));
}

TEST_CASE("migration 17 counts the inbox items already pending, per actor and per origin") {
  auto conn = Connection::open(":memory:");
  REQUIRE(conn);
  const auto all = migrations();
  REQUIRE(all.size() >= 17);
  REQUIRE(migrate(*conn, all.first(16)).value() == 16);
  const auto queued = [&](int n, const std::string& actor, const std::string& state) {
    REQUIRE(
        conn->exec("INSERT INTO inbox_items (activity_id, actor_uri, body, received_at, state) "
                   "VALUES ('https://x.example/a/" +
                   std::to_string(n) + "', '" + actor + "', '{}', 1, '" + state + "')"));
  };
  queued(1, "https://far.example/users/alice", "pending");
  queued(2, "https://far.example/users/alice", "pending");
  queued(3, "https://far.example/users/bob", "pending");
  queued(4, "https://far.example/users/bob", "done");
  queued(5, "https://far.example/users/alice", "failed");
  queued(6, "https://far.example:8443/users/carl", "pending");
  queued(7, "https://far.example.evil/users/x", "pending");
  // Never counted under a host by migration 6's range query, and not now either.
  queued(8, "HTTPS://FAR.example/users/dora", "pending");
  queued(9, "https://far.example", "pending");
  REQUIRE(migrate(*conn).value() == latest_schema_version());

  const auto count = [&](const std::string& sql) {
    auto s = Statement::prepare(*conn, sql);
    REQUIRE(s);
    REQUIRE(s->step().value());
    return s->column_int64(0);
  };
  const auto actor = [&](const std::string& uri) {
    return count("SELECT coalesce((SELECT n FROM inbox_pending_actors WHERE actor_uri = '" + uri +
                 "'), 0)");
  };
  const auto origin = [&](const std::string& o) {
    return count("SELECT coalesce((SELECT n FROM inbox_pending_origins WHERE origin = '" + o +
                 "'), 0)");
  };
  CHECK(actor("https://far.example/users/alice") == 2);
  CHECK(actor("https://far.example/users/bob") == 1);
  CHECK(actor("HTTPS://FAR.example/users/dora") == 1);
  CHECK(actor("https://far.example") == 1);
  CHECK(origin("https://far.example") == 3);
  CHECK(origin("https://far.example:8443") == 1);
  CHECK(origin("https://far.example.evil") == 1);
  CHECK(origin("HTTPS://FAR.example") == 1);  // a key no cap check looks up
  CHECK(count("SELECT COUNT(*) FROM inbox_pending_actors") == 6);
  CHECK(count("SELECT COUNT(*) FROM inbox_pending_origins") == 4);  // no origin for 9
  CHECK(count("SELECT COUNT(*) FROM inbox_items WHERE state <> 'pending' AND actor_origin <> ''") ==
        0);
  CHECK(count("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'inbox_items_pending_actor'") == 0);

  // The migrated rows leave their counts when they are processed, like new ones.
  REQUIRE(conn->exec("UPDATE inbox_items SET state = 'done' WHERE state = 'pending'"));
  CHECK(count("SELECT COUNT(*) FROM inbox_pending_actors") == 0);
  CHECK(count("SELECT COUNT(*) FROM inbox_pending_origins") == 0);
}

TEST_CASE("migration 18 keeps queued deliveries with their bodies, each under its row's id") {
  auto conn = Connection::open(":memory:");
  REQUIRE(conn);
  const auto all = migrations();
  REQUIRE(all.size() >= 18);
  REQUIRE(migrate(*conn, all.first(17)).value() == 17);
  const auto town = actors::insert_local(*conn, test::local_actor("town")).value();
  const auto queued = [&](int n, const std::string& body, const std::string& state) {
    REQUIRE(conn->exec(
        "INSERT INTO deliveries (activity_id, actor_id, inbox_url, body, state, next_attempt_at, "
        "created_at, updated_at, forwarded) VALUES ('https://town.example/a/1', " +
        std::to_string(town) + ", "
        "'https://s" + std::to_string(n) + ".example/inbox', '" + body + "', '" + state +
        "', 5, 1, 1, " + std::to_string(n % 2) + ")"));
  };
  queued(1, "ONE", "pending");
  queued(2, "TWO", "done");
  queued(3, "THREE", "pending");
  REQUIRE(migrate(*conn).value() == latest_schema_version());

  auto due = deliveries::due(*conn, 10, 10).value();
  REQUIRE(due.size() == 2);
  CHECK(due[0].inbox_url == "https://s1.example/inbox");
  CHECK(due[0].body == "ONE");
  CHECK(due[1].body == "THREE");
  CHECK(deliveries::find_by_id(*conn, 2).value()->body == "TWO");
  // Kept as they were, forwarded flag included: the same row again is still refused.
  CHECK_FALSE(conn->exec(
      "INSERT INTO deliveries (activity_id, actor_id, inbox_url, body_id, next_attempt_at, "
      "created_at, updated_at, forwarded) VALUES ('https://town.example/a/1', " +
      std::to_string(town) + ", 'https://s1.example/inbox', 1, 5, 1, 1, 1)"));
  // The purge takes the finished row and its body.
  CHECK(deliveries::purge_finished(*conn, 100, 10).value() == 1);
  auto s = Statement::prepare(*conn, "SELECT group_concat(id) FROM delivery_bodies ORDER BY id");
  REQUIRE(s);
  REQUIRE(s->step().value());
  CHECK(s->column_text(0) == "1,3");
}
