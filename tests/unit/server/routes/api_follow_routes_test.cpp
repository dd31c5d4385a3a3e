// Following through the client API: follow/unfollow through FollowService, followers and
// following lists with Link paging, follow requests answered with Accept or Reject.
#include "tests/unit/server/routes/api_world.hpp"

#include "storage/follows.hpp"

using namespace civicpub;
using civicpub::testing::ApiWorld;
namespace bhttp = boost::beast::http;

namespace {

bool queued(ApiWorld& world, std::string_view type) {
  for (const auto& d : world.deliveries()) {
    if (d.body.find("\"type\":\"" + std::string(type) + "\"") != std::string::npos) return true;
  }
  return false;
}

// A remote actor stored with a follow of `target` in `state`.
std::int64_t remote_follower(ApiWorld& world, const std::string& name, std::int64_t target,
                             storage::FollowState state) {
  const auto uri = world.add_remote(name, "social.example");
  const auto id = world.add_follower(uri, uri + "/inbox", "", target);
  if (state != storage::FollowState::accepted) {
    REQUIRE(world.db->write_sync([&](storage::Connection& conn) -> Result<void> {
      auto f = storage::follows::find_by_pair(conn, id, target);
      if (!f) return f.error();
      return storage::follows::set_state(conn, (*f)->id, state, world.now);
    }));
  }
  return id;
}

}  // namespace

TEST_CASE("follow and unfollow go through FollowService and answer the Relationship") {
  ApiWorld world;
  const auto follower = world.login("read write follow");
  const auto reader = world.login("read");
  const auto anna = remote_follower(world, "anna", world.town.id, storage::FollowState::accepted);
  const std::string base = "/api/v1/accounts/" + std::to_string(anna);

  // Scopes: read only cannot follow (403, Mastodon's shape); no token: 401.
  auto denied = world.send(bhttp::verb::post, base + "/follow", reader);
  CHECK(denied.result_int() == 403);
  CHECK(ApiWorld::json(denied)["error"].IsString());
  CHECK(world.send(bhttp::verb::post, base + "/follow").result_int() == 401);
  CHECK(world.send(bhttp::verb::post, "/api/v1/accounts/999999/follow", follower).result_int() ==
        404);
  CHECK(world.send(bhttp::verb::post,
                   "/api/v1/accounts/" + std::to_string(world.town.id) + "/follow", follower)
            .result_int() == 403);

  auto followed = world.send(bhttp::verb::post, base + "/follow", follower);
  REQUIRE(followed.result_int() == 200);
  auto rel = ApiWorld::json(followed);
  CHECK(std::string(rel["id"].GetString()) == std::to_string(anna));
  CHECK(rel["requested"].GetBool());  // a remote account: pending until its Accept
  CHECK_FALSE(rel["following"].GetBool());
  CHECK(rel["followed_by"].GetBool());
  CHECK(queued(world, "Follow"));
  CHECK(world.wakes == 1);

  auto unfollowed = world.send(bhttp::verb::post, base + "/unfollow", follower);
  REQUIRE(unfollowed.result_int() == 200);
  CHECK_FALSE(ApiWorld::json(unfollowed)["requested"].GetBool());
  CHECK(queued(world, "Undo"));
  // Not following any more: still the relationship, as on Mastodon.
  CHECK(world.send(bhttp::verb::post, base + "/unfollow", follower).result_int() == 200);
}

TEST_CASE("followers and following are account lists paged by Link") {
  ApiWorld world;
  const auto token = world.login("read");
  const auto anna = remote_follower(world, "anna", world.town.id, storage::FollowState::accepted);
  const auto ben = remote_follower(world, "ben", world.town.id, storage::FollowState::accepted);
  remote_follower(world, "cleo", world.town.id, storage::FollowState::pending);
  const std::string followers = "/api/v1/accounts/" + std::to_string(world.town.id) + "/followers";

  auto first = world.send(bhttp::verb::get, followers + "?limit=1");
  REQUIRE(first.result_int() == 200);
  auto page = ApiWorld::json(first);
  REQUIRE(page.Size() == 1);
  CHECK(std::string(page[0]["id"].GetString()) == std::to_string(ben));  // newest first
  const std::string link(first[bhttp::field::link]);
  const auto next_at = link.find("max_id=");
  REQUIRE(next_at != std::string::npos);
  const auto max_id = link.substr(next_at + 7, link.find('>', next_at) - next_at - 7);
  auto second = ApiWorld::json(
      world.send(bhttp::verb::get, followers + "?limit=1&max_id=" + max_id, token));
  REQUIRE(second.Size() == 1);
  CHECK(std::string(second[0]["id"].GetString()) == std::to_string(anna));
  // The pending follower is not listed.
  CHECK(ApiWorld::json(world.send(bhttp::verb::get, followers)).Size() == 2);
  auto following = ApiWorld::json(world.send(
      bhttp::verb::get, "/api/v1/accounts/" + std::to_string(anna) + "/following"));
  REQUIRE(following.Size() == 1);
  CHECK(std::string(following[0]["id"].GetString()) == std::to_string(world.town.id));
  CHECK(world.send(bhttp::verb::get, "/api/v1/accounts/x/followers").result_int() == 404);
  CHECK(world.send(bhttp::verb::get, followers, "bogus").result_int() == 401);
}

TEST_CASE("follow requests are listed, authorized with Accept and rejected with Reject") {
  ApiWorld world;
  const auto writer = world.login("read write follow");
  const auto reader = world.login("read");
  const auto cleo = remote_follower(world, "cleo", world.town.id, storage::FollowState::pending);
  const auto dan = remote_follower(world, "dan", world.town.id, storage::FollowState::pending);

  CHECK(world.send(bhttp::verb::get, "/api/v1/follow_requests").result_int() == 401);
  auto listed = ApiWorld::json(world.send(bhttp::verb::get, "/api/v1/follow_requests", reader));
  REQUIRE(listed.Size() == 2);
  CHECK(std::string(listed[0]["id"].GetString()) == std::to_string(dan));

  const std::string cleo_path = "/api/v1/follow_requests/" + std::to_string(cleo);
  CHECK(world.send(bhttp::verb::post, cleo_path + "/authorize", reader).result_int() == 403);
  auto authorized = world.send(bhttp::verb::post, cleo_path + "/authorize", writer);
  REQUIRE(authorized.result_int() == 200);
  CHECK(ApiWorld::json(authorized)["followed_by"].GetBool());
  CHECK(queued(world, "Accept"));

  auto rejected = world.send(bhttp::verb::post,
                             "/api/v1/follow_requests/" + std::to_string(dan) + "/reject", writer);
  REQUIRE(rejected.result_int() == 200);
  CHECK_FALSE(ApiWorld::json(rejected)["requested_by"].GetBool());
  CHECK(queued(world, "Reject"));
  CHECK(ApiWorld::json(world.send(bhttp::verb::get, "/api/v1/follow_requests", reader)).Size() ==
        0);
  // Nobody asked: 404.
  CHECK(world.send(bhttp::verb::post, cleo_path + "/reject", writer).result_int() == 200);
  CHECK(world.send(bhttp::verb::post, cleo_path + "/reject", writer).result_int() == 404);
}
