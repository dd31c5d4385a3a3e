#include "storage/usage.hpp"
#include "tests/unit/storage/fixtures.hpp"
#include "storage/actors.hpp"
#include "storage/posts.hpp"

using namespace civicpub::storage;

namespace {
constexpr Millis kDay = 24LL * 3600 * 1000;
constexpr Millis kNow = 400 * kDay;

PostRecord post_at(std::int64_t author, const std::string& id, Millis published,
                   bool local = true) {
  PostRecord p;
  p.ap_id = "https://town.example/notes/" + id;
  p.author_id = author;
  p.local = local;
  p.visibility = Visibility::public_;
  p.published = published;
  return p;
}

usage::UsageQuery query() {
  usage::UsageQuery q;
  q.month_since = kNow - 30 * kDay;
  q.halfyear_since = kNow - 180 * kDay;
  q.excluded_actor_uri = "https://town.example/users/instance";
  return q;
}
}  // namespace

TEST_CASE("usage: an empty server counts nothing") {
  auto conn = test::memory_db();
  auto c = usage::counts(conn, query()).value();
  CHECK(c.users_total == 0);
  CHECK(c.active_month == 0);
  CHECK(c.active_halfyear == 0);
  CHECK(c.local_posts == 0);
}

TEST_CASE("usage: users exclude the instance actor, deleted and remote accounts") {
  auto conn = test::memory_db();
  actors::insert_local(conn, test::local_actor("instance")).value();
  actors::insert_local(conn, test::local_actor("mayor")).value();
  auto gone = actors::insert_local(conn, test::local_actor("gone")).value();
  actors::mark_deleted(conn, gone, 5).value();
  actors::upsert_remote(conn, test::remote_actor("far.example", "bob")).value();
  CHECK(usage::counts(conn, query()).value().users_total == 1);
  auto everyone = query();
  everyone.excluded_actor_uri = {};
  CHECK(usage::counts(conn, everyone).value().users_total == 2);
}

TEST_CASE("usage: activity windows count accounts with a local post in the window") {
  auto conn = test::memory_db();
  auto recent = actors::insert_local(conn, test::local_actor("recent")).value();
  auto older = actors::insert_local(conn, test::local_actor("older")).value();
  actors::insert_local(conn, test::local_actor("silent")).value();
  auto remote = actors::upsert_remote(conn, test::remote_actor("far.example", "bob")).value();
  posts::insert(conn, post_at(recent, "r1", kNow - 1 * kDay)).value();
  posts::insert(conn, post_at(recent, "r2", kNow - 2 * kDay)).value();  // one account, two posts
  posts::insert(conn, post_at(older, "o1", kNow - 90 * kDay)).value();
  posts::insert(conn, post_at(remote, "x1", kNow - 1 * kDay, false)).value();
  auto deleted = posts::insert(conn, post_at(older, "o2", kNow - 400 * kDay)).value();
  posts::mark_deleted(conn, deleted, kNow).value();
  auto c = usage::counts(conn, query()).value();
  CHECK(c.users_total == 3);
  CHECK(c.active_month == 1);
  CHECK(c.active_halfyear == 2);
  CHECK(c.local_posts == 3);  // the remote post and the deleted one are not counted
}

TEST_CASE("usage: followers-only and direct posts are neither counted nor make anyone active") {
  // Issue 11: NodeInfo is public; its counts must not reveal non-public posting.
  auto conn = test::memory_db();
  auto quiet = actors::insert_local(conn, test::local_actor("quiet")).value();
  auto loud = actors::insert_local(conn, test::local_actor("loud")).value();
  auto f = post_at(quiet, "f1", kNow - 1 * kDay);
  f.visibility = Visibility::followers;
  posts::insert(conn, f).value();
  auto d = post_at(quiet, "d1", kNow - 1 * kDay);
  d.visibility = Visibility::direct;
  posts::insert(conn, d).value();
  auto u = post_at(loud, "u1", kNow - 1 * kDay);
  u.visibility = Visibility::unlisted;
  posts::insert(conn, u).value();
  posts::insert(conn, post_at(loud, "p1", kNow - 1 * kDay)).value();
  auto c = usage::counts(conn, query()).value();
  CHECK(c.local_posts == 2);
  CHECK(c.active_month == 1);
  CHECK(c.active_halfyear == 1);
}

TEST_CASE("posts: count_by_author and offset paging agree") {
  auto conn = test::memory_db();
  auto author = actors::insert_local(conn, test::local_actor("mayor")).value();
  for (int i = 1; i <= 5; ++i) {
    auto p = post_at(author, std::to_string(i), i * 1000);
    if (i == 3) p.visibility = Visibility::followers;
    posts::insert(conn, p).value();
  }
  CHECK(posts::count_by_author(conn, author, false).value() == 5);
  CHECK(posts::count_by_author(conn, author, true).value() == 4);
  posts::AuthorPageQuery q;
  q.author_id = author;
  q.limit = 2;
  q.public_only = true;
  q.offset = 2;
  auto page = posts::list_by_author(conn, q).value();
  REQUIRE(page.size() == 2);
  CHECK(page[0].ap_id == "https://town.example/notes/2");  // 5, 4 | 2, 1 (3 is followers-only)
  CHECK(page[1].ap_id == "https://town.example/notes/1");
  q.offset = 4;
  CHECK(posts::list_by_author(conn, q).value().empty());
}
