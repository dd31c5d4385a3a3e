// views::profile, the read model of an account's profile page, tested directly: the counts, the
// page of posts, and each post's reply count (the page once said "No replies" under a post whose
// own page counted its reply).
#include "server/views/actor_views.hpp"
#include "server/views/error.hpp"
#include "tests/unit/server/views/stored_world.hpp"

using namespace civicpub;

namespace {

struct ProfileWorld {
  test::StoredWorld w;
  storage::ActorRecord mayor = w.add_actor("mayor");
  storage::ActorRecord anna = w.add_remote("remote.example", "anna");
};

}  // namespace

TEST_CASE("profile view: each post on the page carries its public reply count") {
  ProfileWorld p;
  const auto plan = p.w.add_post(p.mayor, "1", 1000);
  const auto notice = p.w.add_post(p.mayor, "2", 2000);
  p.w.add_reply(p.anna, plan, "10", 3000);
  p.w.add_reply(p.anna, plan, "11", 4000, storage::Visibility::unlisted);
  // Not counted on a public page: a followers-only reply.
  p.w.add_reply(p.anna, plan, "12", 5000, storage::Visibility::followers);

  auto data = server::views::profile(p.w.db(), "mayor", 1, 10);
  REQUIRE(data);
  CHECK(data->posts == 2);
  REQUIRE(data->recent.size() == 2);
  REQUIRE(data->reply_counts.size() == 2);
  CHECK(data->recent[0].ap_id == notice.ap_id);  // newest first
  CHECK(data->reply_counts[0] == 0);
  CHECK(data->recent[1].ap_id == plan.ap_id);
  CHECK(data->reply_counts[1] == 2);
}

TEST_CASE("profile view: pages, unknown accounts") {
  ProfileWorld p;
  for (int i = 1; i <= 3; ++i) p.w.add_post(p.mayor, std::to_string(i), 1000 * i);
  auto first = server::views::profile(p.w.db(), "mayor", 1, 2);
  REQUIRE(first);
  CHECK(first->recent.size() == 2);
  CHECK(first->has_older);
  auto second = server::views::profile(p.w.db(), "mayor", 2, 2);
  REQUIRE(second);
  CHECK(second->recent.size() == 1);
  CHECK(second->reply_counts.size() == 1);
  CHECK_FALSE(second->has_older);
  auto missing = server::views::profile(p.w.db(), "nobody", 1, 2);
  REQUIRE_FALSE(missing);
  CHECK(missing.error() == server::views::ViewError::not_found);
}
