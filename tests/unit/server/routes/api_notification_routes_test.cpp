// Notifications through the client API: stored by local actions (a mention in a post, a follow),
// listed with types[]/exclude_types[] and Link paging, grouped in v2, dismissed and cleared.
#include "tests/unit/server/routes/api_world.hpp"

#include "server/services/notifications.hpp"

using namespace civicpub;
using civicpub::testing::ApiWorld;
namespace bhttp = boost::beast::http;

namespace {

// A remote account favourites `post_id` of town (as the Like handler does).
void remote_favourite(ApiWorld& world, const std::string& name, std::int64_t post_id) {
  const auto uri = world.add_remote(name, "social.example");
  const auto id = world.add_follower(uri, uri + "/inbox", "", world.town.id);
  REQUIRE(world.db->write_sync([&](storage::Connection& c) {
    return server::services::notify(c, world.town.id,
                                    server::services::NotificationType::favourite, id, post_id,
                                    world.now);
  }));
}

}  // namespace

TEST_CASE("notifications are listed, filtered, grouped, dismissed and cleared") {
  ApiWorld world;
  const auto clerk = world.add_local("clerk");
  const auto town = world.login("read write follow");
  const auto clerk_token = world.login("read write follow", "clerk");
  const auto statuses_only = world.login("read:statuses");

  // clerk follows town (local: accepted at once, town is told); town mentions clerk.
  REQUIRE(world.send(bhttp::verb::post,
                     "/api/v1/accounts/" + std::to_string(world.town.id) + "/follow", clerk_token)
              .result_int() == 200);
  auto posted = world.send(bhttp::verb::post, "/api/v1/statuses", town, "status=Hi+%40clerk");
  REQUIRE(posted.result_int() == 200);
  const auto post_id = std::stoll(ApiWorld::json(posted)["id"].GetString());
  remote_favourite(world, "anna", post_id);
  remote_favourite(world, "ben", post_id);

  // Scope: read:statuses is not enough (403, Mastodon's shape).
  auto denied = world.send(bhttp::verb::get, "/api/v1/notifications", statuses_only);
  CHECK(denied.result_int() == 403);
  CHECK(ApiWorld::json(denied)["error"].IsString());

  auto mine = ApiWorld::json(world.send(bhttp::verb::get, "/api/v1/notifications", clerk_token));
  REQUIRE(mine.Size() == 1);
  CHECK(std::string(mine[0]["type"].GetString()) == "mention");
  CHECK(std::string(mine[0]["status"]["id"].GetString()) == std::to_string(post_id));
  CHECK(std::string(mine[0]["account"]["id"].GetString()) == std::to_string(world.town.id));

  auto all = world.send(bhttp::verb::get, "/api/v1/notifications?limit=2", town);
  REQUIRE(all.result_int() == 200);
  auto page = ApiWorld::json(all);
  REQUIRE(page.Size() == 2);
  CHECK(std::string(page[0]["type"].GetString()) == "favourite");
  CHECK(std::string(all[bhttp::field::link]).find("limit=2&max_id=") != std::string::npos);
  auto follows = ApiWorld::json(
      world.send(bhttp::verb::get, "/api/v1/notifications?types[]=follow", town));
  REQUIRE(follows.Size() == 1);
  CHECK(std::string(follows[0]["account"]["id"].GetString()) == std::to_string(clerk.id));
  CHECK_FALSE(follows[0].HasMember("status"));
  auto not_favs = ApiWorld::json(world.send(
      bhttp::verb::get, "/api/v1/notifications?exclude_types[]=favourite", town));
  CHECK(not_favs.Size() == 1);
  const auto filtered = world.send(
      bhttp::verb::get, "/api/v1/notifications?types[]=favourite&limit=1", town);
  CHECK(std::string(filtered[bhttp::field::link]).find("types%5B%5D=favourite&limit=1&") !=
        std::string::npos);

  // v2: the two favourites of the post are one group.
  auto grouped = ApiWorld::json(world.send(bhttp::verb::get, "/api/v2/notifications", town));
  REQUIRE(grouped["notification_groups"].Size() == 2);
  const auto& favs = grouped["notification_groups"][0];
  CHECK(std::string(favs["group_key"].GetString()) == "favourite-" + std::to_string(post_id));
  CHECK(favs["notifications_count"].GetInt() == 2);
  CHECK(favs["sample_account_ids"].Size() == 2);
  CHECK(std::string(favs["status_id"].GetString()) == std::to_string(post_id));
  CHECK(grouped["accounts"].Size() == 3);
  CHECK(grouped["statuses"].Size() == 1);

  // One notification; another account's is not found.
  const std::string first = follows[0]["id"].GetString();
  CHECK(world.send(bhttp::verb::get, "/api/v1/notifications/" + first, town).result_int() == 200);
  CHECK(world.send(bhttp::verb::get, "/api/v1/notifications/" + first, clerk_token)
            .result_int() == 404);
  CHECK(world.send(bhttp::verb::post, "/api/v1/notifications/" + first + "/dismiss", clerk_token)
            .result_int() == 404);
  CHECK(world.send(bhttp::verb::post, "/api/v1/notifications/" + first + "/dismiss", town)
            .result_int() == 200);
  CHECK(world.send(bhttp::verb::get, "/api/v1/notifications/" + first, town).result_int() == 404);
  CHECK(world.send(bhttp::verb::post, "/api/v1/notifications/clear", town).result_int() == 200);
  CHECK(ApiWorld::json(world.send(bhttp::verb::get, "/api/v1/notifications", town)).Size() == 0);
  CHECK(ApiWorld::json(world.send(bhttp::verb::get, "/api/v1/notifications", clerk_token))
            .Size() == 1);
}
