// /api/v2/search: stored accounts, statuses by URL and hashtags; resolve=true fetches a remote
// handle through AccountLookup, only for a signed-in caller.
#include "tests/unit/server/routes/api_world.hpp"

using namespace civicpub;
using civicpub::testing::ApiWorld;
namespace bhttp = boost::beast::http;

TEST_CASE("search finds stored accounts, statuses by URL and hashtags") {
  ApiWorld world;
  const auto token = world.login("read write");
  auto posted = world.send(bhttp::verb::post, "/api/v1/statuses", token,
                           "status=Works+on+%23RoadWorks");
  REQUIRE(posted.result_int() == 200);
  const std::string uri = ApiWorld::json(posted)["uri"].GetString();

  auto accounts = ApiWorld::json(world.send(bhttp::verb::get, "/api/v2/search?q=%40tow"));
  REQUIRE(accounts["accounts"].Size() == 1);
  CHECK(std::string(accounts["accounts"][0]["acct"].GetString()) == "town");
  CHECK(accounts["statuses"].Size() == 0);

  auto status = ApiWorld::json(world.send(bhttp::verb::get, "/api/v2/search?q=" +
                                                                server::routes::form_encode(uri)));
  REQUIRE(status["statuses"].Size() == 1);
  CHECK(std::string(status["statuses"][0]["uri"].GetString()) == uri);

  auto tags = ApiWorld::json(
      world.send(bhttp::verb::get, "/api/v2/search?q=%23Road&type=hashtags", token));
  REQUIRE(tags["hashtags"].Size() == 1);
  CHECK(std::string(tags["hashtags"][0]["name"].GetString()) == "roadworks");
  CHECK(tags["accounts"].Size() == 0);
  // A LIKE wildcard is a character, not a pattern.
  CHECK(ApiWorld::json(world.send(bhttp::verb::get, "/api/v2/search?q=%25"))["accounts"].Size() ==
        0);
  CHECK(world.send(bhttp::verb::get, "/api/v2/search?q=").result_int() == 400);
  CHECK(world.send(bhttp::verb::get, "/api/v2/search?q=x", "bogus").result_int() == 401);
}

TEST_CASE("search resolves a remote handle only with resolve=true and a token") {
  ApiWorld world;
  const auto token = world.login("read");
  world.add_remote("anna", "social.example");
  const std::string target = "/api/v2/search?q=%40anna%40social.example&resolve=true";
  // Anonymous: nothing is fetched.
  CHECK(ApiWorld::json(world.send(bhttp::verb::get, target))["accounts"].Size() == 0);
  auto found = ApiWorld::json(world.send(bhttp::verb::get, target, token));
  REQUIRE(found["accounts"].Size() == 1);
  CHECK(std::string(found["accounts"][0]["acct"].GetString()) == "anna@social.example");
  // Now stored: found without resolving.
  CHECK(ApiWorld::json(world.send(bhttp::verb::get, "/api/v2/search?q=anna%40social.example"))
            ["accounts"].Size() == 1);
  // An unknown handle: nothing, not an error.
  auto missing = world.send(bhttp::verb::get,
                            "/api/v2/search?q=%40nobody%40nowhere.example&resolve=true", token);
  REQUIRE(missing.result_int() == 200);
  CHECK(ApiWorld::json(missing)["accounts"].Size() == 0);
}
