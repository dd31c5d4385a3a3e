#include "tests/unit/storage/fixtures.hpp"
#include "storage/actors.hpp"
#include "storage/deliveries.hpp"
#include "storage/statement.hpp"

using namespace civicpub::storage;

namespace {

std::int64_t stored_bodies(Connection& conn) {
  auto s = Statement::prepare(conn, "SELECT count(*) FROM delivery_bodies");
  REQUIRE(s);
  REQUIRE(s->step().value());
  return s->column_int64(0);
}

}  // namespace

TEST_CASE("deliveries: enqueue one row per distinct inbox, idempotently") {
  auto conn = test::memory_db();
  auto actor = actors::insert_local(conn, test::local_actor("town")).value();
  const std::vector<std::string> inboxes{"https://a.example/inbox", "https://b.example/inbox",
                                         "https://a.example/inbox"};
  CHECK(deliveries::enqueue(conn, "https://town.example/act/1", actor, "{}", inboxes, 100)
            .value() == 2);
  CHECK(deliveries::enqueue(conn, "https://town.example/act/1", actor, "{}", inboxes, 100)
            .value() == 0);
  CHECK(deliveries::enqueue(conn, "https://town.example/act/2", actor, "{}", {inboxes[0]}, 100)
            .value() == 1);
  CHECK(deliveries::pending_count(conn).value() == 3);
  CHECK(deliveries::enqueue(conn, "x", actor, "{}", {}, 1).value() == 0);
}

TEST_CASE("deliveries: enqueue is all-or-nothing") {
  auto conn = test::memory_db();
  auto actor = actors::insert_local(conn, test::local_actor("town")).value();
  REQUIRE(conn.exec("CREATE TEMP TRIGGER refuse BEFORE INSERT ON deliveries "
                    "WHEN NEW.inbox_url LIKE '%bad%' BEGIN SELECT RAISE(ABORT, 'bad'); END"));
  auto r = deliveries::enqueue(conn, "a", actor, "{}", {"https://ok.example/inbox",
                                                        "https://bad.example/inbox"}, 1);
  REQUIRE_FALSE(r);
  CHECK(r.error() == Errc::constraint);
  CHECK(deliveries::pending_count(conn).value() == 0);
  CHECK(stored_bodies(conn) == 0);  // the body went back with the rows
  CHECK_FALSE(conn.in_transaction());
  // An unknown signing actor is refused too.
  CHECK(deliveries::enqueue(conn, "a", actor + 5, "{}", {"https://ok.example/inbox"}, 1).error() ==
        Errc::constraint);
}

TEST_CASE("deliveries: due, mark_done, reschedule, give_up, find_by_id") {
  auto conn = test::memory_db();
  auto actor = actors::insert_local(conn, test::local_actor("town")).value();
  REQUIRE(deliveries::enqueue(conn, "act1", actor, "BODY1", {"https://a.example/inbox"}, 100));
  REQUIRE(deliveries::enqueue(conn, "act2", actor, "BODY2",
                              {"https://b.example/inbox", "https://c.example/inbox"}, 50));
  CHECK(deliveries::due(conn, 49, 10).value().empty());
  auto due = deliveries::due(conn, 100, 10).value();
  REQUIRE(due.size() == 3);
  CHECK(due[0].activity_id == "act2");  // earliest next_attempt_at first
  CHECK(due[2].activity_id == "act1");
  CHECK(due[2].actor_id == actor);
  CHECK(due[2].inbox_url == "https://a.example/inbox");
  CHECK(due[2].body == "BODY1");
  CHECK(due[2].state == DeliveryState::pending);
  CHECK(due[2].attempts == 0);
  CHECK(due[2].created_at == 100);
  CHECK(deliveries::due(conn, 100, 1).value().size() == 1);

  REQUIRE(deliveries::mark_done(conn, due[0].id, 202, 110));
  REQUIRE(deliveries::reschedule(conn, due[1].id, 500, 503, "Service Unavailable", 110));
  REQUIRE(deliveries::give_up(conn, due[2].id, 410, "Gone", 110));

  auto done = deliveries::find_by_id(conn, due[0].id).value().value();
  CHECK(done.state == DeliveryState::done);
  CHECK(done.last_status == 202);
  CHECK(done.attempts == 1);
  auto later = deliveries::find_by_id(conn, due[1].id).value().value();
  CHECK(later.state == DeliveryState::pending);
  CHECK(later.attempts == 1);
  CHECK(later.next_attempt_at == 500);
  CHECK(later.last_status == 503);
  CHECK(later.last_error == "Service Unavailable");
  CHECK(later.updated_at == 110);
  auto dead = deliveries::find_by_id(conn, due[2].id).value().value();
  CHECK(dead.state == DeliveryState::dead);
  CHECK(dead.last_error == "Gone");

  CHECK(deliveries::pending_count(conn).value() == 1);
  CHECK(deliveries::due(conn, 499, 10).value().empty());
  CHECK(deliveries::due(conn, 500, 10).value().size() == 1);
  REQUIRE(deliveries::reschedule(conn, due[1].id, 900, 0, "timeout", 500));
  CHECK(deliveries::find_by_id(conn, due[1].id).value()->attempts == 2);

  CHECK_FALSE(deliveries::find_by_id(conn, 999).value());
  CHECK(deliveries::mark_done(conn, 999, 200, 1).error() == Errc::not_found);
  CHECK(deliveries::reschedule(conn, 999, 1, 500, "", 1).error() == Errc::not_found);
  CHECK(deliveries::give_up(conn, 999, 500, "", 1).error() == Errc::not_found);
}

TEST_CASE("deliveries: due after a place reads the next page, in the same order") {
  auto conn = test::memory_db();
  auto actor = actors::insert_local(conn, test::local_actor("town")).value();
  // Two rows due at 50, three at 100: the order is (next_attempt_at, id).
  REQUIRE(deliveries::enqueue(conn, "act1", actor, "B1",
                              {"https://a.example/inbox", "https://b.example/inbox",
                               "https://c.example/inbox"}, 100));
  REQUIRE(deliveries::enqueue(conn, "act2", actor, "B2",
                              {"https://d.example/inbox", "https://e.example/inbox"}, 50));
  auto all = deliveries::due(conn, 100, 10).value();
  REQUIRE(all.size() == 5);
  auto first = deliveries::due(conn, 100, 2).value();
  REQUIRE(first.size() == 2);
  CHECK(first[1].inbox_url == "https://e.example/inbox");
  // After the second row: the rest, from the first row due at 100 on.
  auto next = deliveries::due(conn, 100, 2, deliveries::DueKey::of(first[1])).value();
  REQUIRE(next.size() == 2);
  CHECK(next[0].id == all[2].id);
  CHECK(next[1].id == all[3].id);
  CHECK(next[0].body == "B1");
  auto last = deliveries::due(conn, 100, 2, deliveries::DueKey::of(next[1])).value();
  REQUIRE(last.size() == 1);
  CHECK(last[0].id == all[4].id);
  CHECK(deliveries::due(conn, 100, 2, deliveries::DueKey::of(last[0])).value().empty());
  // A row with a later id but an earlier time comes before the place, not after it.
  CHECK(deliveries::due(conn, 100, 10, deliveries::DueKey{100, 0}).value().size() == 3);
  CHECK(deliveries::due(conn, 100, 10, deliveries::DueKey{50, all[1].id}).value().size() == 3);
  // Rows not due yet stay out, whatever the place.
  CHECK(deliveries::due(conn, 99, 10, deliveries::DueKey{0, 0}).value().size() == 2);
}

TEST_CASE("deliveries: a forwarded activity never takes the place of a local one with its id") {
  // Issue 11: a remote activity claiming the id of our own Delete, forwarded first, must not
  // make the town's real Delete insert no rows.
  auto conn = test::memory_db();
  auto actor = actors::insert_local(conn, test::local_actor("town")).value();
  const std::vector<std::string> inboxes{"https://a.example/inbox"};
  const std::string id = "https://town.example/notes/1#delete";
  CHECK(deliveries::enqueue(conn, id, actor, "{\"forged\":1}", inboxes, 100,
                            deliveries::Source::forwarded)
            .value() == 1);
  CHECK(deliveries::enqueue(conn, id, actor, "{}", inboxes, 100).value() == 1);
  CHECK(deliveries::enqueue(conn, id, actor, "{}", inboxes, 100).value() == 0);
  CHECK(deliveries::pending_count(conn).value() == 2);
}

TEST_CASE("deliveries: finished rows older than the cut-off are purged, a batch at a time") {
  auto conn = test::memory_db();
  auto actor = actors::insert_local(conn, test::local_actor("town")).value();
  REQUIRE(deliveries::enqueue(conn, "act1", actor, "B",
                              {"https://a.example/inbox", "https://b.example/inbox",
                               "https://c.example/inbox", "https://d.example/inbox"},
                              100));
  auto due = deliveries::due(conn, 100, 10).value();
  REQUIRE(due.size() == 4);
  REQUIRE(deliveries::mark_done(conn, due[0].id, 202, 110));
  REQUIRE(deliveries::give_up(conn, due[1].id, 410, "Gone", 110));
  REQUIRE(deliveries::mark_done(conn, due[2].id, 202, 300));  // finished after the cut-off
  // due[3] stays pending: never purged.
  CHECK(deliveries::purge_finished(conn, 200, 1).value() == 1);
  CHECK(deliveries::purge_finished(conn, 200, 5).value() == 1);
  CHECK(deliveries::purge_finished(conn, 200, 5).value() == 0);
  CHECK(deliveries::find_by_id(conn, due[2].id).value());
  CHECK(deliveries::pending_count(conn).value() == 1);
}

TEST_CASE("deliveries: an activity's body is stored once for its rows and goes with the last") {
  auto conn = test::memory_db();
  auto actor = actors::insert_local(conn, test::local_actor("town")).value();
  const std::vector<std::string> inboxes{"https://a.example/inbox", "https://b.example/inbox",
                                         "https://c.example/inbox"};
  REQUIRE(deliveries::enqueue(conn, "act1", actor, "BODY-1", inboxes, 100).value() == 3);
  CHECK(stored_bodies(conn) == 1);
  // Queued already for every inbox: no second copy is kept.
  REQUIRE(deliveries::enqueue(conn, "act1", actor, "BODY-1", inboxes, 100).value() == 0);
  CHECK(stored_bodies(conn) == 1);
  REQUIRE(deliveries::enqueue(conn, "act2", actor, "BODY-2", {inboxes[0]}, 100).value() == 1);
  CHECK(stored_bodies(conn) == 2);

  auto due = deliveries::due(conn, 100, 10).value();
  REQUIRE(due.size() == 4);
  for (const auto& row : due) {
    INFO(row.inbox_url);
    CHECK(row.body == (row.activity_id == "act1" ? "BODY-1" : "BODY-2"));
    CHECK(deliveries::find_by_id(conn, row.id).value()->body == row.body);
  }
  for (const auto& row : due) REQUIRE(deliveries::mark_done(conn, row.id, 202, 110));
  // act1's first row goes; its two others still need the body.
  CHECK(deliveries::purge_finished(conn, 200, 1).value() == 1);
  CHECK(stored_bodies(conn) == 2);
  // The rest: act1's last rows and act2's only one, and with them both bodies.
  CHECK(deliveries::purge_finished(conn, 200, 10).value() == 3);
  CHECK(stored_bodies(conn) == 0);
}
