#include "tests/unit/storage/fixtures.hpp"
#include "storage/actors.hpp"
#include "storage/deliveries.hpp"
#include "storage/follows.hpp"
#include "storage/moderation.hpp"
#include "storage/posts.hpp"
#include "tests/unit/storage/full_scans.hpp"

using namespace civicpub::storage;

namespace {

PostRecord remote_post(std::int64_t author, const std::string& id) {
  PostRecord p;
  p.ap_id = id;
  p.author_id = author;
  p.local = false;
  p.thread_root = id;
  p.visibility = Visibility::public_;
  p.content_html = "<p>hi</p>";
  p.published = 5;
  return p;
}

FollowRecord accepted(std::int64_t from, std::int64_t to) {
  FollowRecord f;
  f.follower_id = from;
  f.target_id = to;
  f.state = FollowState::accepted;
  f.created_at = f.updated_at = 1;
  return f;
}

}  // namespace

TEST_CASE("moderation: blocks are put, replaced, listed and removed, and the generation moves") {
  auto conn = test::memory_db();
  const auto g0 = moderation::generation(conn).value();
  CHECK(moderation::put_domain_block(conn, {"spam.example", "spam", false, 10}).value());
  const auto g1 = moderation::generation(conn).value();
  CHECK(g1 > g0);
  CHECK_FALSE(moderation::put_domain_block(conn, {"spam.example", "worse", true, 20}).value());
  CHECK(moderation::put_domain_block(conn, {"*.b.example", "", false, 30}).value());
  auto blocks = moderation::domain_blocks(conn).value();
  REQUIRE(blocks.size() == 2);
  CHECK(blocks[0].pattern == "*.b.example");
  CHECK(blocks[1].pattern == "spam.example");
  CHECK(blocks[1].reason == "worse");
  CHECK(blocks[1].reject_media);
  CHECK(blocks[1].created_at == 10);
  CHECK(moderation::remove_domain_block(conn, "spam.example").value());
  CHECK_FALSE(moderation::remove_domain_block(conn, "spam.example").value());
  CHECK(moderation::generation(conn).value() > g1);
  CHECK(moderation::domain_blocks(conn).value().size() == 1);
}

TEST_CASE("moderation: a domain's follows are severed both ways and its posts hidden, then back") {
  auto conn = test::memory_db();
  auto town = actors::insert_local(conn, test::local_actor("town")).value();
  auto eve = actors::upsert_remote(conn, test::remote_actor("spam.example", "eve")).value();
  auto ann = actors::upsert_remote(conn, test::remote_actor("good.example", "ann")).value();
  REQUIRE(follows::upsert(conn, accepted(eve, town)));
  REQUIRE(follows::upsert(conn, accepted(town, eve)));
  REQUIRE(follows::upsert(conn, accepted(ann, town)));
  REQUIRE(posts::insert(conn, remote_post(eve, "https://spam.example/notes/1")));
  REQUIRE(posts::insert(conn, remote_post(ann, "https://good.example/notes/1")));

  auto known = moderation::known_domains(conn).value();
  REQUIRE(known.size() == 2);

  CHECK(moderation::sever_domain_follows(conn, "spam.example").value() == 2);
  CHECK_FALSE(follows::find_by_pair(conn, eve, town).value());
  CHECK_FALSE(follows::find_by_pair(conn, town, eve).value());
  CHECK(follows::find_by_pair(conn, ann, town).value());

  CHECK(moderation::hide_domain_posts(conn, "spam.example", 50).value() == 1);
  auto hidden = posts::find_by_ap_id(conn, "https://spam.example/notes/1").value();
  REQUIRE(hidden);
  CHECK(hidden->deleted_at == 50);
  CHECK_FALSE(posts::find_by_ap_id(conn, "https://good.example/notes/1").value()->deleted_at);

  CHECK(moderation::restore_domain_posts(conn, "spam.example").value() == 1);
  CHECK_FALSE(posts::find_by_ap_id(conn, "https://spam.example/notes/1").value()->deleted_at);
}

TEST_CASE("moderation: a post deleted by its author stays deleted when a block is lifted") {
  auto conn = test::memory_db();
  auto eve = actors::upsert_remote(conn, test::remote_actor("spam.example", "eve")).value();
  auto id = posts::insert(conn, remote_post(eve, "https://spam.example/notes/1")).value();
  REQUIRE(posts::mark_deleted(conn, id, 7));
  CHECK(moderation::hide_domain_posts(conn, "spam.example", 50).value() == 0);
  CHECK(moderation::restore_domain_posts(conn, "spam.example").value() == 0);
  CHECK(posts::find_by_id(conn, id).value()->deleted_at == 7);
}

TEST_CASE("moderation: suspending hides an actor's posts, lifting it restores them") {
  auto conn = test::memory_db();
  auto town = actors::insert_local(conn, test::local_actor("town")).value();
  auto eve = actors::upsert_remote(conn, test::remote_actor("spam.example", "eve")).value();
  auto id = posts::insert(conn, remote_post(eve, "https://spam.example/notes/1")).value();
  const auto g0 = moderation::generation(conn).value();

  REQUIRE(moderation::suspend_actor(conn, eve, "abuse", 60));
  CHECK(moderation::generation(conn).value() > g0);
  CHECK(moderation::suspended_actor_uris(conn).value() ==
        std::vector<std::string>{"https://spam.example/users/eve"});
  CHECK(posts::find_by_id(conn, id).value()->deleted_at == 60);
  // A suspended actor's posts stay hidden when its domain's block is lifted.
  CHECK(moderation::restore_domain_posts(conn, "spam.example").value() == 0);

  // Local accounts are not suspended this way; unknown rows are not_found.
  CHECK(moderation::suspend_actor(conn, town, "", 1).error() == Errc::not_found);
  CHECK(moderation::unsuspend_actor(conn, 999, true).error() == Errc::not_found);

  REQUIRE(moderation::unsuspend_actor(conn, eve, true));
  CHECK(moderation::suspended_actor_uris(conn).value().empty());
  CHECK_FALSE(posts::find_by_id(conn, id).value()->deleted_at);
}

TEST_CASE("moderation: the suspended actors are read from their index, in uri order") {
  auto conn = test::memory_db();
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 20; ++i) {
    ids.push_back(
        actors::upsert_remote(conn, test::remote_actor("far.example", "r" + std::to_string(i)))
            .value());
  }
  REQUIRE(moderation::suspend_actor(conn, ids[12], "abuse", 60));
  REQUIRE(moderation::suspend_actor(conn, ids[3], "abuse", 61));
  test::FullScans scans(conn);
  CHECK(moderation::suspended_actor_uris(conn).value() ==
        std::vector<std::string>{"https://far.example/users/r12", "https://far.example/users/r3"});
  CHECK(scans.steps() <= 2);  // the partial index's two rows; the table has 20
}

TEST_CASE("moderation: pending deliveries are listed for the block to judge") {
  auto conn = test::memory_db();
  auto town = actors::insert_local(conn, test::local_actor("town")).value();
  REQUIRE(deliveries::enqueue(conn, "a", town, "{}", {"https://spam.example/inbox"}, 0));
  auto pending = moderation::pending_deliveries(conn).value();
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].inbox_url == "https://spam.example/inbox");
}

TEST_CASE("moderation: a suspended actor leaves follower lists, counts and delivery inboxes") {
  auto conn = test::memory_db();
  auto town = actors::insert_local(conn, test::local_actor("town")).value();
  auto eve = actors::upsert_remote(conn, test::remote_actor("spam.example", "eve")).value();
  auto bob = actors::upsert_remote(conn, test::remote_actor("b.example", "bob")).value();
  REQUIRE(follows::upsert(conn, accepted(eve, town)));
  REQUIRE(follows::upsert(conn, accepted(bob, town)));
  REQUIRE(follows::upsert(conn, accepted(town, eve)));
  CHECK(follows::count_followers(conn, town).value() == 2);
  CHECK(follows::count_following(conn, town).value() == 1);
  CHECK(follows::follower_inboxes(conn, town).value().size() == 2);

  REQUIRE(moderation::suspend_actor(conn, eve, "abuse", 60));
  CHECK(follows::count_followers(conn, town).value() == 1);
  CHECK(follows::count_following(conn, town).value() == 0);
  const auto page = follows::followers_page(conn, town, 10, 0).value();
  REQUIRE(page.size() == 1);
  CHECK(page[0].id == bob);
  CHECK(follows::following_page(conn, town, 10, 0).value().empty());
  CHECK(follows::follower_inboxes(conn, town).value() ==
        std::vector<std::string>{"https://b.example/inbox"});

  // The follows are kept: lifting the suspension lists eve again.
  REQUIRE(moderation::unsuspend_actor(conn, eve, true));
  CHECK(follows::count_followers(conn, town).value() == 2);
}
