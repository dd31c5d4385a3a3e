#include "tests/unit/storage/fixtures.hpp"
#include "storage/actors.hpp"
#include "storage/follows.hpp"

using namespace civicpub::storage;

namespace {
FollowRecord follow(std::int64_t from, std::int64_t to, FollowState state, std::string uri) {
  FollowRecord f;
  f.follower_id = from;
  f.target_id = to;
  f.state = state;
  f.activity_uri = std::move(uri);
  f.created_at = f.updated_at = 10;
  return f;
}
}  // namespace

TEST_CASE("follows: upsert inserts, then updates the same pair") {
  auto conn = test::memory_db();
  auto town = actors::insert_local(conn, test::local_actor("town")).value();
  auto alice = actors::upsert_remote(conn, test::remote_actor("a.example", "alice")).value();
  auto id = follows::upsert(conn, follow(alice, town, FollowState::pending, "https://a.example/f1"));
  REQUIRE(id);
  auto f = follows::find_by_pair(conn, alice, town).value();
  REQUIRE(f);
  CHECK(f->id == *id);
  CHECK(f->state == FollowState::pending);
  CHECK(f->activity_uri == "https://a.example/f1");

  auto again = follow(alice, town, FollowState::accepted, "https://a.example/f2");
  again.updated_at = 20;
  CHECK(follows::upsert(conn, again).value() == *id);
  f = follows::find_by_pair(conn, alice, town).value();
  CHECK(f->state == FollowState::accepted);
  CHECK(f->activity_uri == "https://a.example/f2");
  CHECK(f->created_at == 10);
  CHECK(f->updated_at == 20);
  CHECK(follows::find_by_activity_uri(conn, "https://a.example/f2").value()->id == *id);
  CHECK_FALSE(follows::find_by_activity_uri(conn, "https://a.example/f1").value());
  CHECK_FALSE(follows::find_by_activity_uri(conn, "").value());
  CHECK_FALSE(follows::find_by_pair(conn, town, alice).value());

  CHECK(follows::upsert(conn, follow(alice, 999, FollowState::pending, "x")).error() ==
        Errc::constraint);
}

TEST_CASE("follows: set_state and remove") {
  auto conn = test::memory_db();
  auto town = actors::insert_local(conn, test::local_actor("town")).value();
  auto bob = actors::upsert_remote(conn, test::remote_actor("b.example", "bob")).value();
  auto id = follows::upsert(conn, follow(bob, town, FollowState::pending, "u")).value();
  REQUIRE(follows::set_state(conn, id, FollowState::rejected, 50));
  auto f = follows::find_by_pair(conn, bob, town).value();
  CHECK(f->state == FollowState::rejected);
  CHECK(f->updated_at == 50);
  CHECK(follows::set_state(conn, id + 7, FollowState::accepted, 1).error() == Errc::not_found);

  CHECK(follows::remove(conn, bob, town).value());
  CHECK_FALSE(follows::remove(conn, bob, town).value());
  CHECK_FALSE(follows::find_by_pair(conn, bob, town).value());
}

TEST_CASE("follows: pages, counts and delivery inboxes of followers") {
  auto conn = test::memory_db();
  auto town = actors::insert_local(conn, test::local_actor("town")).value();
  auto clerk = actors::insert_local(conn, test::local_actor("clerk")).value();
  auto a1 = actors::upsert_remote(conn, test::remote_actor("a.example", "one")).value();
  auto a2 = actors::upsert_remote(conn, test::remote_actor("a.example", "two")).value();
  auto b = actors::upsert_remote(conn, test::remote_actor("b.example", "solo", false)).value();
  auto pending = actors::upsert_remote(conn, test::remote_actor("c.example", "wait")).value();
  auto gone = actors::upsert_remote(conn, test::remote_actor("d.example", "gone")).value();
  for (auto who : {a1, a2, b, clerk, gone}) {
    REQUIRE(follows::upsert(conn, follow(who, town, FollowState::accepted, "")));
  }
  REQUIRE(follows::upsert(conn, follow(pending, town, FollowState::pending, "")));
  REQUIRE(actors::mark_deleted(conn, gone, 1));

  CHECK(follows::count_followers(conn, town).value() == 4);  // not pending, not deleted
  auto page1 = follows::followers_page(conn, town, 3, 0).value();
  REQUIRE(page1.size() == 3);
  CHECK(page1[0].id == clerk);  // newest follow first
  CHECK(page1[1].id == b);
  CHECK(page1[2].id == a2);
  auto page2 = follows::followers_page(conn, town, 3, 3).value();
  REQUIRE(page2.size() == 1);
  CHECK(page2[0].id == a1);
  CHECK(follows::followers_page(conn, town, 3, 6).value().empty());

  // Shared inbox once for a.example, b.example's personal inbox, no local follower, no pending.
  auto inboxes = follows::follower_inboxes(conn, town).value();
  REQUIRE(inboxes.size() == 2);
  CHECK(inboxes[0] == "https://a.example/inbox");
  CHECK(inboxes[1] == "https://b.example/users/solo/inbox");
  CHECK(follows::follower_inboxes(conn, clerk).value().empty());

  REQUIRE(follows::upsert(conn, follow(town, a1, FollowState::accepted, "")));
  REQUIRE(follows::upsert(conn, follow(town, b, FollowState::pending, "")));
  CHECK(follows::count_following(conn, town).value() == 1);
  auto following = follows::following_page(conn, town, 10, 0).value();
  REQUIRE(following.size() == 1);
  CHECK(following[0].id == a1);
  CHECK(follows::count_following(conn, a2).value() == 1);  // a2 follows town
  CHECK(follows::count_following(conn, pending).value() == 0);  // still pending
}

TEST_CASE("follows: an unknown state in the table is reported as corrupt") {
  auto conn = test::memory_db();
  auto town = actors::insert_local(conn, test::local_actor("town")).value();
  REQUIRE(follows::upsert(conn, follow(town, town, FollowState::pending, "self")));
  // Simulate a row written by something else (CHECK constraints disabled for the test).
  REQUIRE(conn.exec("PRAGMA ignore_check_constraints = ON"));
  REQUIRE(conn.exec("UPDATE follows SET state = 'weird'"));
  CHECK(follows::find_by_pair(conn, town, town).error() == Errc::corrupt);
}

TEST_CASE("follows: pending requests are listed apart from followers, oldest first") {
  auto conn = test::memory_db();
  auto town = actors::insert_local(conn, test::local_actor("town")).value();
  auto first = actors::upsert_remote(conn, test::remote_actor("a.example", "first")).value();
  auto second = actors::upsert_remote(conn, test::remote_actor("b.example", "second")).value();
  auto member = actors::upsert_remote(conn, test::remote_actor("c.example", "member")).value();
  REQUIRE(follows::upsert(conn, follow(first, town, FollowState::pending, "f1")));
  REQUIRE(follows::upsert(conn, follow(second, town, FollowState::pending, "f2")));
  REQUIRE(follows::upsert(conn, follow(member, town, FollowState::accepted, "f3")));

  auto pending = follows::pending_followers_page(conn, town, 10, 0).value();
  REQUIRE(pending.size() == 2);
  CHECK(pending[0].id == first);
  CHECK(pending[1].id == second);
  CHECK(follows::pending_followers_page(conn, town, 10, 2).value().empty());
  auto accepted = follows::followers_page(conn, town, 10, 0).value();
  REQUIRE(accepted.size() == 1);
  CHECK(accepted[0].id == member);
}
