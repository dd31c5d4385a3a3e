// The Mastodon client API through the router (no sockets): bodies in every accepted form,
// scopes enforced per endpoint, Mastodon's errors and entity shapes.
#include "server/routes/api_request.hpp"
#include "tests/unit/server/routes/api_world.hpp"

#include <rapidjson/document.h>
#include <catch2/catch.hpp>

using namespace civicpub;
using namespace civicpub::server;
namespace bhttp = boost::beast::http;

using civicpub::testing::ApiWorld;

TEST_CASE("API parameters come from the query, form, JSON and multipart bodies") {
  auto q = routes::Params::from_query("a=1&b=x+y%21&c[]=1&c[]=2").value();
  CHECK(q.value("a") == "1");
  CHECK(q.value("b") == "x y!");
  CHECK(q.all("c") == std::vector<std::string>{"1", "2"});
  CHECK_FALSE(routes::Params::from_query("a=%zz"));
  CHECK_FALSE(routes::Params::from_query("a=%2"));

  http::Request req{bhttp::verb::post, "/x", 11};
  req.set(bhttp::field::content_type, "application/json");
  req.body() = R"({"status":"hi","sensitive":true,"media_ids":["1","2"],"poll":{"expires_in":60}})";
  http::RequestContext ctx{req, "127.0.0.1", "https", "h", "/x", "", {}};
  auto j = routes::Params::from(ctx).value();
  CHECK(j.value("status") == "hi");
  CHECK(j.flag("sensitive"));
  CHECK(j.all("media_ids").size() == 2);
  CHECK(j.value("poll[expires_in]") == "60");

  req.set(bhttp::field::content_type, "multipart/form-data; boundary=XyZ");
  req.body() = "--XyZ\r\nContent-Disposition: form-data; name=\"status\"\r\n\r\nline 1\r\nline 2"
               "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
               "\r\nPNG\r\n--XyZ--\r\n";
  auto m = routes::Params::from(ctx).value();
  CHECK(m.value("status") == "line 1\r\nline 2");
  CHECK_FALSE(m.get("file"));

  req.set(bhttp::field::content_type, "application/json");
  req.body() = "[1,2]";
  CHECK_FALSE(routes::Params::from(ctx));
  // Nesting deeper than any API body needs is refused before it can cost stack.
  req.body() = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  CHECK_FALSE(routes::Params::from(ctx));
}

TEST_CASE("the instance answers a version Mastodon.py and apps can parse") {
  CHECK(routes::mastodon_version("0.1.0") == "4.2.0 (compatible; civicpub 0.1.0)");
  ApiWorld world;
  for (const char* path : {"/api/v1/instance", "/api/v1/instance/", "/api/v2/instance"}) {
    auto res = world.send(bhttp::verb::get, path);
    REQUIRE(res.result_int() == 200);
    auto doc = ApiWorld::json(res);
    CHECK(std::string(doc["version"].GetString()) == "4.2.0 (compatible; civicpub 0.1.0)");
  }
  auto v2 = ApiWorld::json(world.send(bhttp::verb::get, "/api/v2/instance"));
  CHECK(v2["configuration"]["statuses"]["max_characters"].GetInt() == 5000);
  CHECK(v2["configuration"]["urls"]["streaming"].IsString());
  CHECK(world.send(bhttp::verb::get, "/api/v1/custom_emojis").body() == "[]");
  CHECK(world.send(bhttp::verb::get, "/api/v1/trends/tags").body() == "[]");
}

TEST_CASE("scopes are enforced per endpoint") {
  ApiWorld world;
  const auto reader = world.login("read");
  const auto writer = world.login("read write");

  // No token, a bad token: 401.
  CHECK(world.send(bhttp::verb::post, "/api/v1/statuses", {}, "status=hi").result_int() == 401);
  CHECK(world.send(bhttp::verb::post, "/api/v1/statuses", "bogus", "status=hi").result_int() ==
        401);
  CHECK(world.send(bhttp::verb::get, "/api/v1/accounts/verify_credentials").result_int() == 401);
  // A read-only token cannot post: 403 with Mastodon's error shape.
  auto denied = world.send(bhttp::verb::post, "/api/v1/statuses", reader, "status=hi");
  CHECK(denied.result_int() == 403);
  CHECK(ApiWorld::json(denied)["error"].IsString());
  // ... but reads.
  auto me = world.send(bhttp::verb::get, "/api/v1/accounts/verify_credentials", reader);
  REQUIRE(me.result_int() == 200);
  auto account = ApiWorld::json(me);
  CHECK(std::string(account["id"].GetString()) == std::to_string(world.town.id));
  CHECK(std::string(account["acct"].GetString()) == "town");
  CHECK(account["source"]["privacy"].IsString());

  auto posted = world.send(bhttp::verb::post, "/api/v1/statuses", writer,
                           R"({"status":"Hello #town","visibility":"unlisted","language":"en"})",
                           "application/json");
  REQUIRE(posted.result_int() == 200);
  CHECK(world.wakes == 1);
  auto status = ApiWorld::json(posted);
  const std::string id = status["id"].GetString();
  CHECK(std::string(status["visibility"].GetString()) == "unlisted");
  CHECK(std::string(status["language"].GetString()) == "en");
  const std::string created = status["created_at"].GetString();
  CHECK(created.size() == 24);  // 2025-10-09T08:53:20.000Z: milliseconds
  CHECK(created[19] == '.');
  CHECK(std::string(status["account"]["id"].GetString()) == std::to_string(world.town.id));

  // Validation: 422.
  CHECK(world.send(bhttp::verb::post, "/api/v1/statuses", writer, "status=").result_int() == 422);
  CHECK(world.send(bhttp::verb::post, "/api/v1/statuses", writer, "status=x&visibility=secret")
            .result_int() == 422);
  CHECK(world.send(bhttp::verb::post, "/api/v1/statuses", writer,
                   "status=" + std::string(5001, 'a'))
            .result_int() == 422);
  CHECK(world.send(bhttp::verb::post, "/api/v1/statuses", writer, "status=x&in_reply_to_id=999999")
            .result_int() == 404);

  // A reader cannot delete; the writer can; then it is gone.
  CHECK(world.send(bhttp::verb::delete_, "/api/v1/statuses/" + id, reader).result_int() == 403);
  CHECK(world.send(bhttp::verb::get, "/api/v1/statuses/" + id).result_int() == 200);
  CHECK(world.send(bhttp::verb::delete_, "/api/v1/statuses/" + id, writer).result_int() == 200);
  CHECK(world.send(bhttp::verb::get, "/api/v1/statuses/" + id).result_int() == 404);
}

TEST_CASE("timelines page with max_id and min_id and answer a Link header") {
  ApiWorld world;
  const auto writer = world.login("read write");
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    world.now += 1000;
    auto res = world.send(bhttp::verb::post, "/api/v1/statuses", writer,
                          "status=post+" + std::to_string(i));
    REQUIRE(res.result_int() == 200);
    ids.push_back(ApiWorld::json(res)["id"].GetString());
  }
  auto first = world.send(bhttp::verb::get, "/api/v1/timelines/home?limit=2", writer);
  REQUIRE(first.result_int() == 200);
  auto page = ApiWorld::json(first);
  REQUIRE(page.Size() == 2);
  CHECK(std::string(page[0]["id"].GetString()) == ids[4]);
  CHECK(std::string(page[1]["id"].GetString()) == ids[3]);
  const std::string link(first[bhttp::field::link]);
  CHECK(link == "<https://town.example/api/v1/timelines/home?limit=2&max_id=" + ids[3] +
                    ">; rel=\"next\", <https://town.example/api/v1/timelines/home?limit=2&min_id=" +
                    ids[4] + ">; rel=\"prev\"");
  auto next = ApiWorld::json(
      world.send(bhttp::verb::get, "/api/v1/timelines/home?limit=2&max_id=" + ids[3], writer));
  REQUIRE(next.Size() == 2);
  CHECK(std::string(next[0]["id"].GetString()) == ids[2]);
  // min_id: the page just above, still newest first.
  auto above = ApiWorld::json(
      world.send(bhttp::verb::get, "/api/v1/timelines/public?limit=2&min_id=" + ids[0]));
  REQUIRE(above.Size() == 2);
  CHECK(std::string(above[0]["id"].GetString()) == ids[2]);
  CHECK(std::string(above[1]["id"].GetString()) == ids[1]);
  auto since = ApiWorld::json(
      world.send(bhttp::verb::get, "/api/v1/timelines/public?limit=2&since_id=" + ids[0]));
  REQUIRE(since.Size() == 2);
  CHECK(std::string(since[0]["id"].GetString()) == ids[4]);
  CHECK(world.send(bhttp::verb::get, "/api/v1/timelines/home").result_int() == 401);
}

TEST_CASE("the token endpoint answers OAuth errors, and revoked tokens get 401") {
  ApiWorld world;
  auto app = ApiWorld::json(world.send(
      bhttp::verb::post, "/api/v1/apps", {},
      "client_name=t&redirect_uris=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob&scopes=read+write"));
  const std::string client = std::string("client_id=") + app["client_id"].GetString() +
                             "&client_secret=" + app["client_secret"].GetString();
  auto wrong = world.send(bhttp::verb::post, "/oauth/token", {},
                          "grant_type=password&username=town&password=nope&" + client);
  CHECK(wrong.result_int() == 400);
  CHECK(std::string(ApiWorld::json(wrong)["error"].GetString()) == "invalid_grant");
  CHECK(world.send(bhttp::verb::post, "/oauth/token", {},
                   "grant_type=password&username=town&password=correct+horse&client_id=x&"
                   "client_secret=y")
            .result_int() == 401);
  CHECK(world.send(bhttp::verb::post, "/oauth/token", {}, "grant_type=magic&" + client)
            .result_int() == 400);
  auto ok = ApiWorld::json(world.send(
      bhttp::verb::post, "/oauth/token", {},
      "grant_type=password&username=town&password=correct+horse&" + client));
  const std::string token = ok["access_token"].GetString();
  CHECK(ok["created_at"].IsInt64());
  CHECK(world.send(bhttp::verb::get, "/api/v1/apps/verify_credentials", token).result_int() == 200);
  CHECK(world.send(bhttp::verb::post, "/oauth/revoke", {}, "token=" + token + "&" + client)
            .result_int() == 200);
  auto revoked = world.send(bhttp::verb::get, "/api/v1/accounts/verify_credentials", token);
  CHECK(revoked.result_int() == 401);
  CHECK(std::string(ApiWorld::json(revoked)["error"].GetString()) == "The access token was revoked");
}

TEST_CASE("statuses are edited through PostService and listed per account") {
  ApiWorld world;
  const auto writer = world.login("read write");
  const auto reader = world.login("read");
  auto posted = world.send(bhttp::verb::post, "/api/v1/statuses", writer,
                           "status=first+text&visibility=private");
  REQUIRE(posted.result_int() == 200);
  const std::string id = ApiWorld::json(posted)["id"].GetString();
  CHECK(world.send(bhttp::verb::put, "/api/v1/statuses/" + id, reader, "status=x").result_int() ==
        403);
  CHECK(world.send(bhttp::verb::put, "/api/v1/statuses/" + id, writer, "status=").result_int() ==
        422);
  auto edited = world.send(bhttp::verb::put, "/api/v1/statuses/" + id, writer,
                           R"({"status":"second text","spoiler_text":"cw"})", "application/json");
  REQUIRE(edited.result_int() == 200);
  auto doc = ApiWorld::json(edited);
  CHECK(std::string(doc["content"].GetString()).find("second text") != std::string::npos);
  CHECK(std::string(doc["spoiler_text"].GetString()) == "cw");
  CHECK(doc["edited_at"].IsString());

  const std::string account = "/api/v1/accounts/" + std::to_string(world.town.id) + "/statuses";
  // Followers-only: the author sees it; an anonymous caller does not.
  auto own = ApiWorld::json(world.send(bhttp::verb::get, account, writer));
  REQUIRE(own.Size() == 1);
  CHECK(std::string(own[0]["id"].GetString()) == id);
  CHECK(ApiWorld::json(world.send(bhttp::verb::get, account)).Size() == 0);
  CHECK(world.send(bhttp::verb::get, "/api/v1/accounts/999999/statuses").result_int() == 404);
}

TEST_CASE("markers are saved per account and versioned") {
  ApiWorld world;
  const auto writer = world.login("read write");
  const auto reader = world.login("read");
  CHECK(world.send(bhttp::verb::get, "/api/v1/markers", writer).body() == "{}");
  CHECK(world.send(bhttp::verb::post, "/api/v1/markers", reader, "home[last_read_id]=5")
            .result_int() == 403);
  auto saved = world.send(bhttp::verb::post, "/api/v1/markers", writer,
                          R"({"home":{"last_read_id":"5"}})", "application/json");
  REQUIRE(saved.result_int() == 200);
  CHECK(ApiWorld::json(saved)["home"]["version"].GetInt() == 1);
  auto moved = ApiWorld::json(
      world.send(bhttp::verb::post, "/api/v1/markers", writer,
                 "home[last_read_id]=7&notifications[last_read_id]=2"));
  CHECK(moved["home"]["version"].GetInt() == 2);
  CHECK(std::string(moved["home"]["last_read_id"].GetString()) == "7");
  CHECK(moved["notifications"]["version"].GetInt() == 1);
  auto home_only = ApiWorld::json(world.send(bhttp::verb::get, "/api/v1/markers?timeline[]=home",
                                             reader));
  CHECK(home_only.HasMember("home"));
  CHECK_FALSE(home_only.HasMember("notifications"));
  CHECK(world.send(bhttp::verb::post, "/api/v1/markers", writer,
                   "home[last_read_id]=" + std::string(65, '1'))
            .result_int() == 422);
}

TEST_CASE("relationships come from the follows table") {
  ApiWorld world;
  const auto token = world.login("read");
  const auto anna = world.add_follower("https://social.example/users/anna",
                                       "https://social.example/users/anna/inbox", "",
                                       world.town.id);
  const std::string target = "/api/v1/accounts/relationships?id[]=" + std::to_string(anna) +
                             "&id[]=999999&id[]=x";
  CHECK(world.send(bhttp::verb::get, target).result_int() == 401);
  auto rel = ApiWorld::json(world.send(bhttp::verb::get, target, token));
  REQUIRE(rel.Size() == 1);
  CHECK(std::string(rel[0]["id"].GetString()) == std::to_string(anna));
  CHECK(rel[0]["followed_by"].GetBool());
  CHECK_FALSE(rel[0]["following"].GetBool());
  CHECK_FALSE(rel[0]["requested"].GetBool());
}

TEST_CASE("update_credentials goes through ProfileService and sends Update to the followers") {
  ApiWorld world;
  const auto writer = world.login("read write");
  const auto reader = world.login("read");
  world.add_follower("https://social.example/users/anna", "https://social.example/users/anna/inbox",
                     "", world.town.id);
  const std::string path = "/api/v1/accounts/update_credentials";
  auto denied = world.send(bhttp::verb::patch, path, reader, "display_name=x");
  CHECK(denied.result_int() == 403);
  CHECK(ApiWorld::json(denied)["error"].IsString());
  CHECK(world.send(bhttp::verb::patch, path, writer, "display_name=" + std::string(31, 'a'))
            .result_int() == 422);
  auto updated = world.send(bhttp::verb::patch, path, writer,
                            "display_name=Gemeente+Utrecht&note=Road+works+ahead&locked=true");
  REQUIRE(updated.result_int() == 200);
  auto account = ApiWorld::json(updated);
  CHECK(std::string(account["display_name"].GetString()) == "Gemeente Utrecht");
  CHECK(account["locked"].GetBool());
  CHECK(std::string(account["source"]["note"].GetString()) == "Road works ahead");
  bool sent = false;
  for (const auto& d : world.deliveries()) {
    sent = sent || (d.inbox_url == "https://social.example/users/anna/inbox" &&
                    d.body.find("\"type\":\"Update\"") != std::string::npos);
  }
  CHECK(sent);
}

TEST_CASE("the same Idempotency-Key from the same token posts once within the hour") {
  ApiWorld world;
  const auto first_token = world.login("read write");
  const auto second_token = world.login("read write");
  world.extra_headers = {{"Idempotency-Key", "abc-123"}};
  auto first = world.send(bhttp::verb::post, "/api/v1/statuses", first_token, "status=Once");
  REQUIRE(first.result_int() == 200);
  const std::string id = ApiWorld::json(first)["id"].GetString();
  world.now += 1000;
  auto again = world.send(bhttp::verb::post, "/api/v1/statuses", first_token, "status=Once");
  REQUIRE(again.result_int() == 200);
  CHECK(std::string(ApiWorld::json(again)["id"].GetString()) == id);
  // Another token is another client: its key is its own.
  auto other = world.send(bhttp::verb::post, "/api/v1/statuses", second_token, "status=Once");
  CHECK(std::string(ApiWorld::json(other)["id"].GetString()) != id);
  // After an hour the key is forgotten.
  world.now += 60 * 60 * 1000;
  auto later = world.send(bhttp::verb::post, "/api/v1/statuses", first_token, "status=Once");
  CHECK(std::string(ApiWorld::json(later)["id"].GetString()) != id);
  world.extra_headers.clear();
  const auto statuses = ApiWorld::json(world.send(
      bhttp::verb::get, "/api/v1/accounts/" + std::to_string(world.town.id) + "/statuses",
      first_token));
  CHECK(statuses.Size() == 3);
}

TEST_CASE("a status's source is its author's - its history is the current version") {
  ApiWorld world;
  world.add_local("clerk");
  const auto writer = world.login("read write");
  const auto other = world.login("read", "clerk");
  auto posted = world.send(bhttp::verb::post, "/api/v1/statuses", writer,
                           "status=Road+works+%26+more&spoiler_text=cw");
  REQUIRE(posted.result_int() == 200);
  const std::string id = ApiWorld::json(posted)["id"].GetString();
  auto source = world.send(bhttp::verb::get, "/api/v1/statuses/" + id + "/source", writer);
  REQUIRE(source.result_int() == 200);
  auto doc = ApiWorld::json(source);
  CHECK(std::string(doc["id"].GetString()) == id);
  CHECK(std::string(doc["text"].GetString()) == "Road works & more");
  CHECK(std::string(doc["spoiler_text"].GetString()) == "cw");
  CHECK(world.send(bhttp::verb::get, "/api/v1/statuses/" + id + "/source", other).result_int() ==
        404);
  CHECK(world.send(bhttp::verb::get, "/api/v1/statuses/" + id + "/source").result_int() == 401);
  auto history = ApiWorld::json(
      world.send(bhttp::verb::get, "/api/v1/statuses/" + id + "/history", other));
  REQUIRE(history.Size() == 1);
  CHECK(std::string(history[0]["account"]["id"].GetString()) == std::to_string(world.town.id));
  CHECK(std::string(history[0]["content"].GetString()).find("Road works") != std::string::npos);
}

TEST_CASE("the hashtag timeline lists public statuses with the tag") {
  ApiWorld world;
  const auto writer = world.login("read write");
  REQUIRE(world.send(bhttp::verb::post, "/api/v1/statuses", writer, "status=Works+%23RoadWorks")
              .result_int() == 200);
  REQUIRE(world.send(bhttp::verb::post, "/api/v1/statuses", writer,
                     "status=Hidden+%23RoadWorks&visibility=unlisted")
              .result_int() == 200);
  REQUIRE(world.send(bhttp::verb::post, "/api/v1/statuses", writer, "status=Other+%23park")
              .result_int() == 200);
  auto tagged = ApiWorld::json(world.send(bhttp::verb::get, "/api/v1/timelines/tag/roadworks"));
  REQUIRE(tagged.Size() == 1);
  CHECK(std::string(tagged[0]["content"].GetString()).find("Works") != std::string::npos);
  CHECK(ApiWorld::json(world.send(bhttp::verb::get, "/api/v1/timelines/tag/RoadWorks?local=true"))
            .Size() == 1);
  CHECK(ApiWorld::json(world.send(bhttp::verb::get, "/api/v1/timelines/tag/roadworks?remote=true"))
            .Size() == 0);
  CHECK(ApiWorld::json(world.send(bhttp::verb::get, "/api/v1/timelines/tag/nothing")).Size() == 0);
}
