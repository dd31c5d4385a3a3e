#include "tests/unit/server/routes/routes_fixtures.hpp"

using namespace civicpub;
using namespace civicpub::server::routes::testing;

TEST_CASE("webfinger: acct resource answers the JRD with the self link and CORS") {
  ReadWorld world;
  auto alice = world.add_actor("alice");
  auto res = world.get("/.well-known/webfinger?resource=acct:alice@social.town.example");
  REQUIRE(res.result() == bhttp::status::ok);
  CHECK(header(res, bhttp::field::content_type) == "application/jrd+json");
  CHECK(header(res, bhttp::field::access_control_allow_origin) == "*");
  auto doc = json_of(res);
  CHECK(str(doc, "subject") == "acct:alice@social.town.example");
  const auto& links = doc["links"];
  REQUIRE(links.IsArray());
  bool self = false;
  for (const auto& link : links.GetArray()) {
    if (str(link, "rel") == "self") {
      self = true;
      CHECK(str(link, "type") == "application/activity+json");
      CHECK(str(link, "href") == alice.uri);
    }
  }
  CHECK(self);
  // Case of the username does not matter; percent-encoding of the resource is read.
  CHECK(world.get("/.well-known/webfinger?resource=acct%3AALICE%40social.town.example").result() ==
        bhttp::status::ok);
}

TEST_CASE("webfinger: 404 for unknown accounts and other domains, 410 for deleted ones") {
  ReadWorld world;
  auto gone = world.add_actor("gone");
  world.add_actor("alice");
  world.delete_actor(gone);
  auto unknown = world.get("/.well-known/webfinger?resource=acct:nobody@social.town.example");
  CHECK(unknown.result() == bhttp::status::not_found);
  CHECK(header(unknown, bhttp::field::access_control_allow_origin) == "*");
  CHECK(world.get("/.well-known/webfinger?resource=acct:alice@elsewhere.example").result() ==
        bhttp::status::not_found);
  CHECK(world.get("/.well-known/webfinger?resource=acct:gone@social.town.example").result() ==
        bhttp::status::gone);
}

TEST_CASE("webfinger: 400 for a missing or malformed resource") {
  ReadWorld world;
  for (const char* target : {"/.well-known/webfinger", "/.well-known/webfinger?resource=",
                             "/.well-known/webfinger?resource=alice",
                             "/.well-known/webfinger?resource=acct:@social.town.example",
                             "/.well-known/webfinger?resource=ftp://social.town.example/users/a",
                             "/.well-known/webfinger?resource=acct:a%zz@social.town.example"}) {
    INFO(target);
    CHECK(world.get(target).result() == bhttp::status::bad_request);
  }
}

TEST_CASE("webfinger: with a handle domain both hosts answer with the same subject and link") {
  ReadWorld world("town.example");
  auto council = world.add_actor("council");
  for (const char* resource : {"acct:council@town.example", "acct:council@social.town.example"}) {
    INFO(resource);
    auto res = world.get(std::string("/.well-known/webfinger?resource=") + resource);
    REQUIRE(res.result() == bhttp::status::ok);
    auto doc = json_of(res);
    CHECK(str(doc, "subject") == "acct:council@town.example");
    CHECK(contains(res.body(), "\"href\":\"" + council.uri + "\""));
  }
  CHECK(world.get("/.well-known/webfinger?resource=acct:council@other.example").result() ==
        bhttp::status::not_found);
}

TEST_CASE("webfinger: an actor URL or profile URL resource resolves to the same account") {
  ReadWorld world;
  auto alice = world.add_actor("alice");
  for (const std::string& url : {alice.uri, alice.url}) {
    INFO(url);
    auto res = world.get("/.well-known/webfinger?resource=" + url);
    REQUIRE(res.result() == bhttp::status::ok);
    CHECK(str(json_of(res), "subject") == "acct:alice@social.town.example");
  }
  CHECK(world.get("/.well-known/webfinger?resource=https://social.town.example/users/nobody")
            .result() == bhttp::status::not_found);
  // Our path on someone else's host is not ours.
  CHECK(world.get("/.well-known/webfinger?resource=https://evil.example/users/alice").result() ==
        bhttp::status::not_found);
}

TEST_CASE("webfinger: the instance actor is found, because it signs fetches") {
  ReadWorld world;
  auto instance = world.add_actor("instance", "Application");
  auto res = world.get("/.well-known/webfinger?resource=acct:instance@social.town.example");
  REQUIRE(res.result() == bhttp::status::ok);
  CHECK(contains(res.body(), instance.uri));
}

TEST_CASE("webfinger: remote actors are never answered for") {
  ReadWorld world;
  auto bob = world.add_remote("social.town.example", "bob");  // a lie about our host
  CHECK(world.get("/.well-known/webfinger?resource=" + bob.uri).result() ==
        bhttp::status::not_found);
}

TEST_CASE("host-meta points at the WebFinger endpoint") {
  ReadWorld world;
  auto res = world.get("/.well-known/host-meta");
  REQUIRE(res.result() == bhttp::status::ok);
  CHECK(header(res, bhttp::field::content_type) == "application/xrd+xml");
  CHECK(contains(res.body(),
                 "template=\"https://social.town.example/.well-known/webfinger?resource={uri}\""));
}

TEST_CASE("nodeinfo: the links document points at 2.0 and 2.1") {
  ReadWorld world;
  auto res = world.get("/.well-known/nodeinfo");
  REQUIRE(res.result() == bhttp::status::ok);
  CHECK(contains(res.body(), "https://social.town.example/nodeinfo/2.0"));
  CHECK(contains(res.body(), "https://social.town.example/nodeinfo/2.1"));
  CHECK(contains(header(res, bhttp::field::content_type), "application/json"));
}

TEST_CASE("nodeinfo: usage counts come from storage and change with it") {
  ReadWorld world;
  world.add_actor("instance", "Application");
  auto usage_of = [&](const std::string& path) {
    auto res = world.get(path);
    REQUIRE(res.result() == bhttp::status::ok);
    auto doc = json_of(res);
    const auto& usage = doc["usage"];
    return std::array<std::uint64_t, 4>{
        num(usage["users"], "total"), num(usage["users"], "activeMonth"),
        num(usage["users"], "activeHalfyear"), num(usage, "localPosts")};
  };
  using Counts = std::array<std::uint64_t, 4>;
  CHECK(usage_of("/nodeinfo/2.0") == Counts{0, 0, 0, 0});  // the instance actor is no user
  auto alice = world.add_actor("alice");
  auto bob = world.add_actor("bob");
  world.add_actor("carol");
  world.add_post(alice, "1", kNow - 2 * kDay);
  world.add_post(bob, "2", kNow - 60 * kDay);
  CHECK(usage_of("/nodeinfo/2.0") == Counts{3, 1, 2, 2});
  CHECK(usage_of("/nodeinfo/2.1") == Counts{3, 1, 2, 2});
  world.now += 30 * kDay;  // alice's post leaves the month window
  CHECK(usage_of("/nodeinfo/2.1") == Counts{3, 0, 2, 2});
  auto res = world.get("/nodeinfo/2.1");
  CHECK(contains(header(res, bhttp::field::content_type), "schema/2.1"));
  CHECK(contains(res.body(), "\"protocols\":[\"activitypub\"]"));
}

TEST_CASE("front page lists discoverable accounts, not the instance actor") {
  ReadWorld world;
  world.add_actor("instance", "Application");
  world.add_actor("cityhall", "Organization");
  auto res = world.get("/", kBrowserAccept);
  REQUIRE(res.result() == bhttp::status::ok);
  CHECK(contains(header(res, bhttp::field::content_type), "text/html"));
  CHECK(contains(res.body(), "cityhall"));
  CHECK_FALSE(contains(res.body(), "/@instance"));
  CHECK_FALSE(res["Content-Security-Policy"].empty());
}
