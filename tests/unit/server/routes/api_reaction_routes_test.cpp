// Favourites, reblogs and bookmarks through the client API: ReactionService stores the reaction,
// notifies a local author and queues Like, Announce or Undo; bookmarks stay local.
#include "tests/unit/server/routes/api_world.hpp"

#include "storage/notifications.hpp"
#include "storage/posts.hpp"

using namespace civicpub;
using civicpub::testing::ApiWorld;
namespace bhttp = boost::beast::http;

namespace {

std::size_t queued(ApiWorld& world, std::string_view type, std::string_view inbox) {
  std::size_t n = 0;
  for (const auto& d : world.deliveries()) {
    if (d.inbox_url == inbox &&
        d.body.find("\"type\":\"" + std::string(type) + "\"") != std::string::npos) {
      ++n;
    }
  }
  return n;
}

std::int64_t remote_post(ApiWorld& world, std::int64_t author, const std::string& uri,
                         storage::Visibility visibility) {
  storage::PostRecord p;
  p.ap_id = uri;
  p.author_id = author;
  p.thread_root = uri;
  p.visibility = visibility;
  p.content_html = "<p>Road works</p>";
  p.published = world.now;
  return world.db->write_sync([&](storage::Connection& c) { return storage::posts::insert(c, p); })
      .value();
}

}  // namespace

TEST_CASE("favourite and unfavourite send Like and Undo to a remote author") {
  ApiWorld world;
  const auto token = world.login("read write");
  const auto reader = world.login("read");
  const auto anna_uri = world.add_remote("anna", "social.example");
  const auto anna = world.add_follower(anna_uri, anna_uri + "/inbox", "", world.town.id);
  const auto post = remote_post(world, anna, anna_uri + "/statuses/1", storage::Visibility::public_);
  const std::string base = "/api/v1/statuses/" + std::to_string(post);

  auto denied = world.send(bhttp::verb::post, base + "/favourite", reader);
  CHECK(denied.result_int() == 403);
  CHECK(ApiWorld::json(denied)["error"].IsString());
  CHECK(world.send(bhttp::verb::post, "/api/v1/statuses/999999/favourite", token).result_int() ==
        404);

  auto liked = world.send(bhttp::verb::post, base + "/favourite", token);
  REQUIRE(liked.result_int() == 200);
  auto status = ApiWorld::json(liked);
  CHECK(status["favourited"].GetBool());
  CHECK(status["favourites_count"].GetInt() == 1);
  CHECK(queued(world, "Like", anna_uri + "/inbox") == 1);
  // Twice: nothing more is sent.
  REQUIRE(world.send(bhttp::verb::post, base + "/favourite", token).result_int() == 200);
  CHECK(queued(world, "Like", anna_uri + "/inbox") == 1);

  auto by = ApiWorld::json(world.send(bhttp::verb::get, base + "/favourited_by"));
  REQUIRE(by.Size() == 1);
  CHECK(std::string(by[0]["id"].GetString()) == std::to_string(world.town.id));
  auto favourites = ApiWorld::json(world.send(bhttp::verb::get, "/api/v1/favourites", reader));
  REQUIRE(favourites.Size() == 1);
  CHECK(std::string(favourites[0]["id"].GetString()) == std::to_string(post));

  auto unliked = world.send(bhttp::verb::post, base + "/unfavourite", token);
  REQUIRE(unliked.result_int() == 200);
  CHECK_FALSE(ApiWorld::json(unliked)["favourited"].GetBool());
  CHECK(queued(world, "Undo", anna_uri + "/inbox") == 1);
  CHECK(ApiWorld::json(world.send(bhttp::verb::get, "/api/v1/favourites", reader)).Size() == 0);
}

TEST_CASE("reblog sends an Announce to the followers - private posts of others are refused (403)") {
  ApiWorld world;
  const auto token = world.login("read write");
  const auto anna_uri = world.add_remote("anna", "social.example");
  const auto anna = world.add_follower(anna_uri, anna_uri + "/inbox", "", world.town.id);
  auto posted = world.send(bhttp::verb::post, "/api/v1/statuses", token, "status=Road+works");
  REQUIRE(posted.result_int() == 200);
  const std::string id = ApiWorld::json(posted)["id"].GetString();

  auto boosted = world.send(bhttp::verb::post, "/api/v1/statuses/" + id + "/reblog", token);
  REQUIRE(boosted.result_int() == 200);
  CHECK(ApiWorld::json(boosted)["reblogged"].GetBool());
  CHECK(ApiWorld::json(boosted)["reblogs_count"].GetInt() == 1);
  CHECK(queued(world, "Announce", anna_uri + "/inbox") == 1);
  auto by = ApiWorld::json(world.send(bhttp::verb::get, "/api/v1/statuses/" + id + "/reblogged_by"));
  CHECK(by.Size() == 1);
  REQUIRE(world.send(bhttp::verb::post, "/api/v1/statuses/" + id + "/unreblog", token)
              .result_int() == 200);
  CHECK(queued(world, "Undo", anna_uri + "/inbox") == 1);

  // A followers-only post of anna's that town may see (town follows anna).
  REQUIRE(world.db->write_sync([&](storage::Connection& c) -> Result<std::int64_t> {
    storage::FollowRecord f;
    f.follower_id = world.town.id;
    f.target_id = anna;
    f.state = storage::FollowState::accepted;
    f.created_at = f.updated_at = world.now;
    return storage::follows::upsert(c, f);
  }));
  const auto hidden = remote_post(world, anna, anna_uri + "/statuses/2", storage::Visibility::followers);
  CHECK(world.send(bhttp::verb::post, "/api/v1/statuses/" + std::to_string(hidden) + "/reblog",
                   token)
            .result_int() == 403);
}

TEST_CASE("bookmarks are the account's own - a local author is notified of a favourite") {
  ApiWorld world;
  const auto clerk = world.add_local("clerk");
  const auto clerk_token = world.login("read write", "clerk");
  const auto town = world.login("read write");
  auto posted = world.send(bhttp::verb::post, "/api/v1/statuses", clerk_token, "status=Hello");
  REQUIRE(posted.result_int() == 200);
  const std::string id = ApiWorld::json(posted)["id"].GetString();

  REQUIRE(world.send(bhttp::verb::post, "/api/v1/statuses/" + id + "/favourite", town)
              .result_int() == 200);
  auto told = world.db->read([&](storage::Connection& c) {
    return storage::notifications::list(c, clerk.id, {}, {}, storage::PageQuery());
  });
  REQUIRE(told);
  REQUIRE(told->size() == 1);
  CHECK(told->front().type == "favourite");
  CHECK(world.deliveries().empty());  // a local author: nothing to send

  auto marked = world.send(bhttp::verb::post, "/api/v1/statuses/" + id + "/bookmark", town);
  REQUIRE(marked.result_int() == 200);
  CHECK(ApiWorld::json(marked)["bookmarked"].GetBool());
  auto list = ApiWorld::json(world.send(bhttp::verb::get, "/api/v1/bookmarks", town));
  REQUIRE(list.Size() == 1);
  CHECK(ApiWorld::json(world.send(bhttp::verb::get, "/api/v1/bookmarks", clerk_token)).Size() ==
        0);
  REQUIRE(world.send(bhttp::verb::post, "/api/v1/statuses/" + id + "/unbookmark", town)
              .result_int() == 200);
  CHECK(ApiWorld::json(world.send(bhttp::verb::get, "/api/v1/bookmarks", town)).Size() == 0);
}
