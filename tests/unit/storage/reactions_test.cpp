// Reaction counts of a set of posts (a page's posts), against the per-post count.
#include "storage/reactions.hpp"
#include "tests/unit/storage/fixtures.hpp"
#include "tests/unit/storage/full_scans.hpp"
#include "storage/actors.hpp"
#include "storage/posts.hpp"

#include <vector>

using namespace civicpub::storage;

using test::a_post;

namespace {

void react(Connection& conn, std::int64_t actor, std::int64_t post, ReactionKind kind,
           const std::string& activity) {
  ReactionRecord r;
  r.activity_uri = activity;
  r.kind = kind;
  r.actor_id = actor;
  r.post_id = post;
  r.created_at = 5;
  REQUIRE(reactions::add(conn, r).value());
}

}  // namespace

TEST_CASE("reactions: count_each counts likes and announces of a set of posts in one query") {
  auto conn = test::memory_db();
  auto a = actors::upsert_remote(conn, test::remote_actor("far.example", "ann")).value();
  auto b = actors::upsert_remote(conn, test::remote_actor("b.example", "bo")).value();
  auto liked = a_post(conn, a, "liked");
  auto shared = a_post(conn, a, "shared");
  auto both = a_post(conn, a, "both");
  auto quiet = a_post(conn, a, "quiet");
  auto other = a_post(conn, a, "other");  // not asked for
  react(conn, a, liked, ReactionKind::like, "https://far.example/likes/1");
  react(conn, b, liked, ReactionKind::like, "https://b.example/likes/1");
  react(conn, b, shared, ReactionKind::announce, "https://b.example/announces/1");
  react(conn, a, both, ReactionKind::like, "https://far.example/likes/2");
  react(conn, a, both, ReactionKind::announce, "https://far.example/announces/2");
  react(conn, b, both, ReactionKind::announce, "https://b.example/announces/2");
  react(conn, a, other, ReactionKind::like, "https://far.example/likes/3");

  test::FullScans scans(conn);
  const std::vector<std::int64_t> ids{liked, shared, both, quiet, liked, 999999};
  auto counts = reactions::count_each(conn, ids).value();
  CHECK(scans.statements().empty());
  CHECK(counts.size() == 3);  // `quiet` and the unknown id have none; `other` was not asked for
  CHECK(counts.at(liked).likes == 2);
  CHECK(counts.at(liked).shares == 0);
  CHECK(counts.at(shared).likes == 0);
  CHECK(counts.at(shared).shares == 1);
  CHECK(counts.at(both).likes == 1);
  CHECK(counts.at(both).shares == 2);
  for (const auto id : ids) {
    const auto found = counts.find(id);
    const reactions::Counts got = found == counts.end() ? reactions::Counts{} : found->second;
    CHECK(reactions::count(conn, id, ReactionKind::like).value() == got.likes);
    CHECK(reactions::count(conn, id, ReactionKind::announce).value() == got.shares);
  }
  CHECK(reactions::count_each(conn, {}).value().empty());
}
