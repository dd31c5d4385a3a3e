#include "tests/unit/server/routes/routes_fixtures.hpp"

using namespace civicpub;
using namespace civicpub::server::routes::testing;

namespace {
bool context_has(const rapidjson::Document& doc, std::string_view url) {
  const auto& ctx = doc["@context"];
  if (!ctx.IsArray()) return false;
  for (const auto& v : ctx.GetArray()) {
    if (v.IsString() && v.GetString() == url) return true;
  }
  return false;
}
}  // namespace

TEST_CASE("actor: AS2 JSON with both contexts, the key, the exact content type and Vary") {
  ReadWorld world;
  auto alice = world.add_actor("alice");
  for (const char* accept : {kAs2Accept, kLdAccept}) {
    INFO(accept);
    auto res = world.get("/users/alice", accept);
    REQUIRE(res.result() == bhttp::status::ok);
    CHECK(header(res, bhttp::field::content_type) == "application/activity+json");
    CHECK(header(res, bhttp::field::vary) == "Accept");
    auto doc = json_of(res);
    CHECK(context_has(doc, "https://www.w3.org/ns/activitystreams"));
    CHECK(context_has(doc, "https://w3id.org/security/v1"));
    CHECK(str(doc, "id") == alice.uri);  // the id is the URL fetched
    CHECK(str(doc, "type") == "Person");
    CHECK(str(doc, "preferredUsername") == "alice");
    CHECK(str(doc, "inbox") == alice.inbox);
    const auto& key = doc["publicKey"];
    CHECK(str(key, "id") == alice.uri + "#main-key");
    CHECK(str(key, "owner") == alice.uri);
    CHECK(contains(str(key, "publicKeyPem"), "BEGIN PUBLIC KEY"));
  }
}

TEST_CASE("actor: a browser gets the HTML profile at the same URL, with Vary") {
  ReadWorld world;
  auto alice = world.add_actor("alice");
  world.add_post(alice, "100", kNow - kDay);
  world.add_post(alice, "101", kNow - kDay + 1, storage::Visibility::followers);
  for (const char* target : {"/users/alice", "/@alice"}) {
    INFO(target);
    auto res = world.get(target, kBrowserAccept);
    REQUIRE(res.result() == bhttp::status::ok);
    CHECK(header(res, bhttp::field::content_type) == "text/html; charset=utf-8");
    CHECK(header(res, bhttp::field::vary) == "Accept");
    CHECK(contains(res.body(), "Post 100"));
    CHECK_FALSE(contains(res.body(), "Post 101"));  // followers-only stays off the public page
  }
  // No Accept at all (curl): HTML too.
  CHECK(contains(header(world.get("/users/alice"), bhttp::field::content_type), "text/html"));
}

TEST_CASE("actor: /@name redirects an AS2 request to the actor id") {
  ReadWorld world;
  auto alice = world.add_actor("alice");
  auto res = world.get("/@alice", kAs2Accept);
  CHECK(res.result() == bhttp::status::found);
  CHECK(header(res, bhttp::field::location) == alice.uri);
  CHECK(world.get("/@nobody", kAs2Accept).result() == bhttp::status::not_found);
}

TEST_CASE("actor: 404 for an unknown account in both formats") {
  ReadWorld world;
  auto json = world.get("/users/nobody", kAs2Accept);
  CHECK(json.result() == bhttp::status::not_found);
  CHECK(header(json, bhttp::field::content_type) == "application/json");
  auto page = world.get("/users/nobody", kBrowserAccept);
  CHECK(page.result() == bhttp::status::not_found);
  CHECK(contains(header(page, bhttp::field::content_type), "text/html"));
}

TEST_CASE("actor: 410 for a deleted account: a Tombstone for AS2, the error page for HTML") {
  ReadWorld world;
  auto gone = world.add_actor("gone", "Organization");
  world.delete_actor(gone);
  auto json = world.get("/users/gone", kAs2Accept);
  REQUIRE(json.result() == bhttp::status::gone);
  CHECK(header(json, bhttp::field::content_type) == "application/activity+json");
  auto doc = json_of(json);
  CHECK(str(doc, "type") == "Tombstone");
  CHECK(str(doc, "id") == gone.uri);
  CHECK(str(doc, "formerType") == "Organization");
  auto page = world.get("/users/gone", kBrowserAccept);
  CHECK(page.result() == bhttp::status::gone);
  CHECK(contains(header(page, bhttp::field::content_type), "text/html"));
  CHECK(world.get("/@gone", kBrowserAccept).result() == bhttp::status::gone);
  CHECK(world.get("/users/gone/outbox", kAs2Accept).result() == bhttp::status::gone);
}

TEST_CASE("actor: the instance actor is served as an Application") {
  ReadWorld world;
  world.add_actor("instance", "Application");
  auto res = world.get("/users/instance", kAs2Accept);
  REQUIRE(res.result() == bhttp::status::ok);
  auto doc = json_of(res);
  CHECK(str(doc, "type") == "Application");
  CHECK(str(doc, "id") == world.instance().instance_actor_id);
}

TEST_CASE("collections: followers and following list accepted follows with correct totals") {
  ReadWorld world;
  auto alice = world.add_actor("alice");
  auto bob = world.add_remote("far.example", "bob");
  auto carol = world.add_remote("far.example", "carol");
  auto dave = world.add_remote("far.example", "dave");
  world.follow(bob, alice);
  world.follow(carol, alice);
  world.follow(dave, alice, storage::FollowState::pending);  // not (yet) a follower
  world.follow(alice, bob);

  auto res = world.get("/users/alice/followers", kAs2Accept);
  REQUIRE(res.result() == bhttp::status::ok);
  CHECK(header(res, bhttp::field::content_type) == "application/activity+json");
  auto doc = json_of(res);
  CHECK(str(doc, "type") == "OrderedCollection");
  CHECK(str(doc, "id") == alice.followers);
  CHECK(num(doc, "totalItems") == 2);
  CHECK(str(doc, "first") == alice.followers + "?page=1");

  auto page = json_of(world.get("/users/alice/followers?page=1", kAs2Accept));
  CHECK(str(page, "type") == "OrderedCollectionPage");
  CHECK(str(page, "partOf") == alice.followers);
  REQUIRE(page["orderedItems"].IsArray());
  CHECK(page["orderedItems"].Size() == 2);
  CHECK_FALSE(contains(world.get("/users/alice/followers?page=1").body(), dave.uri));
  // Mastodon's own spelling of the first page.
  CHECK(world.get("/users/alice/followers?page=true").result() == bhttp::status::ok);

  auto following = json_of(world.get("/users/alice/following?page=1", kAs2Accept));
  CHECK(num(following, "totalItems") == 1);
  REQUIRE(following["orderedItems"].Size() == 1);
  CHECK(std::string(following["orderedItems"][0].GetString()) == bob.uri);
}

TEST_CASE("collections: the outbox pages Create activities of public posts, newest first") {
  ReadWorld world;
  auto alice = world.add_actor("alice");
  for (int i = 1; i <= 25; ++i) world.add_post(alice, std::to_string(1000 + i), kNow + i);
  world.add_post(alice, "2000", kNow + 100, storage::Visibility::followers);
  world.add_post(alice, "2001", kNow + 101, storage::Visibility::direct);
  auto deleted = world.add_post(alice, "2002", kNow + 102);
  world.delete_post(deleted);
  world.add_post(alice, "2003", kNow + 103, storage::Visibility::unlisted);

  auto outbox = json_of(world.get("/users/alice/outbox", kAs2Accept));
  CHECK(num(outbox, "totalItems") == 26);
  CHECK(str(outbox, "last") == alice.outbox + "?page=2");

  auto first = json_of(world.get("/users/alice/outbox?page=1", kAs2Accept));
  CHECK(str(first, "next") == alice.outbox + "?page=2");
  const auto& items = first["orderedItems"];
  REQUIRE(items.Size() == 20);
  CHECK(str(items[0], "type") == "Create");
  CHECK(str(items[0], "id") == server::views::post_url(alice.uri, "2003") + "/activity");
  CHECK(str(items[0]["object"], "id") == server::views::post_url(alice.uri, "2003"));
  CHECK(str(items[1]["object"], "id") == server::views::post_url(alice.uri, "1025"));

  auto second = json_of(world.get("/users/alice/outbox?page=2", kAs2Accept));
  CHECK(second["orderedItems"].Size() == 6);
  CHECK(str(second, "prev") == alice.outbox + "?page=1");
  CHECK(second.FindMember("next") == second.MemberEnd());
  auto body = world.get("/users/alice/outbox?page=1").body() +
              world.get("/users/alice/outbox?page=2").body();
  CHECK_FALSE(contains(body, "Post 2000"));
  CHECK_FALSE(contains(body, "Post 2001"));
  CHECK_FALSE(contains(body, "Post 2002"));

  // Past the end: an empty page, not an error.
  auto far = json_of(world.get("/users/alice/outbox?page=9", kAs2Accept));
  CHECK(far["orderedItems"].Size() == 0);
}

TEST_CASE("collections: a malformed page is 400, an unknown actor 404") {
  ReadWorld world;
  world.add_actor("alice");
  for (const char* q : {"?page=0", "?page=-1", "?page=abc", "?page=01", "?page="}) {
    INFO(q);
    CHECK(world.get(std::string("/users/alice/outbox") + q).result() == bhttp::status::bad_request);
  }
  CHECK(world.get("/users/nobody/followers").result() == bhttp::status::not_found);
}

TEST_CASE("profile page: older posts are paged with ?page=N") {
  ReadWorld world;
  auto alice = world.add_actor("alice");
  for (int i = 1; i <= 21; ++i) world.add_post(alice, std::to_string(500 + i), kNow + i);
  auto first = world.get("/@alice", kBrowserAccept);
  CHECK(contains(first.body(), "Post 521"));
  CHECK_FALSE(contains(first.body(), "Post 501<"));
  CHECK(contains(first.body(), "/@alice?page=2"));
  auto second = world.get("/@alice?page=2", kBrowserAccept);
  REQUIRE(second.result() == bhttp::status::ok);
  CHECK(contains(second.body(), "Post 501<"));
  CHECK(world.get("/@alice?page=x", kBrowserAccept).result() == bhttp::status::bad_request);
}
