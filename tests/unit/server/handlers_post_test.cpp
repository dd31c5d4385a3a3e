#include "handlers_fixtures.hpp"

using namespace civicpub;
using namespace civicpub::server::handlers::testing;

namespace {
std::string path_of(const std::string& url) {
  return url.substr(std::string("https://social.town.example").size());
}
}  // namespace

TEST_CASE("post: a public post as an AS2 Note, with the exact content type and Vary") {
  ReadWorld world;
  auto alice = world.add_actor("alice");
  auto post = world.add_post(alice, "1234", kNow);
  auto res = world.get(path_of(post.ap_id), kAs2Accept);
  REQUIRE(res.result() == bhttp::status::ok);
  CHECK(header(res, bhttp::field::content_type) == "application/activity+json");
  CHECK(header(res, bhttp::field::vary) == "Accept");
  auto doc = json_of(res);
  CHECK(str(doc, "id") == post.ap_id);
  CHECK(str(doc, "type") == "Note");
  CHECK(str(doc, "attributedTo") == alice.uri);
  CHECK(str(doc, "content") == "<p>Post 1234</p>");
  CHECK(str(doc, "url") == post.url);
  CHECK(contains(res.body(), R"("to":["https://www.w3.org/ns/activitystreams#Public"])"));
  CHECK(contains(res.body(), "\"cc\":[\"" + alice.followers + "\"]"));
}

TEST_CASE("post: a browser gets the post page at the id and at the page URL") {
  ReadWorld world;
  auto alice = world.add_actor("alice");
  auto post = world.add_post(alice, "1234", kNow);
  for (const std::string& url : {post.ap_id, post.url}) {
    INFO(url);
    auto res = world.get(path_of(url), kBrowserAccept);
    REQUIRE(res.result() == bhttp::status::ok);
    CHECK(header(res, bhttp::field::content_type) == "text/html; charset=utf-8");
    CHECK(header(res, bhttp::field::vary) == "Accept");
    CHECK(contains(res.body(), "<p>Post 1234</p>"));
  }
  auto redirect = world.get(path_of(post.url), kAs2Accept);
  CHECK(redirect.result() == bhttp::status::found);
  CHECK(header(redirect, bhttp::field::location) == post.ap_id);
}

TEST_CASE("post: unlisted is served; followers-only and direct are 404 to anonymous requests") {
  ReadWorld world;
  auto alice = world.add_actor("alice");
  auto unlisted = world.add_post(alice, "1", kNow, storage::Visibility::unlisted);
  auto followers = world.add_post(alice, "2", kNow, storage::Visibility::followers);
  auto direct = world.add_post(alice, "3", kNow, storage::Visibility::direct);
  CHECK(world.get(path_of(unlisted.ap_id), kAs2Accept).result() == bhttp::status::ok);
  for (const auto* p : {&followers, &direct}) {
    INFO(p->ap_id);
    for (const char* accept : {kAs2Accept, kBrowserAccept}) {
      CHECK(world.get(path_of(p->ap_id), accept).result() == bhttp::status::not_found);
    }
    CHECK(world.get(path_of(p->url), kBrowserAccept).result() == bhttp::status::not_found);
    CHECK(world.get(path_of(p->ap_id) + "/activity").result() == bhttp::status::not_found);
  }
  // Even deleted, a followers-only post does not reveal that it existed.
  world.delete_post(followers);
  CHECK(world.get(path_of(followers.ap_id), kAs2Accept).result() == bhttp::status::not_found);
}

TEST_CASE("post: a deleted post answers 410 with a Tombstone, or the 410 page") {
  ReadWorld world;
  auto alice = world.add_actor("alice");
  auto post = world.add_post(alice, "77", kNow);
  world.delete_post(post);
  auto res = world.get(path_of(post.ap_id), kAs2Accept);
  REQUIRE(res.result() == bhttp::status::gone);
  CHECK(header(res, bhttp::field::content_type) == "application/activity+json");
  auto doc = json_of(res);
  CHECK(str(doc, "type") == "Tombstone");
  CHECK(str(doc, "id") == post.ap_id);
  CHECK(str(doc, "formerType") == "Note");
  auto page = world.get(path_of(post.ap_id), kBrowserAccept);
  CHECK(page.result() == bhttp::status::gone);
  CHECK(contains(header(page, bhttp::field::content_type), "text/html"));
}

TEST_CASE("post: posts of a deleted account are gone too") {
  ReadWorld world;
  auto alice = world.add_actor("alice");
  auto post = world.add_post(alice, "5", kNow);
  world.delete_actor(alice);
  auto res = world.get(path_of(post.ap_id), kAs2Accept);
  CHECK(res.result() == bhttp::status::gone);
  CHECK(str(json_of(res), "type") == "Tombstone");
}

TEST_CASE("post: 404 for unknown ids, malformed ids and another author's path") {
  ReadWorld world;
  auto alice = world.add_actor("alice");
  world.add_actor("bob");
  world.add_post(alice, "9", kNow);
  for (const char* target :
       {"/users/alice/statuses/10", "/users/alice/statuses/abc", "/users/bob/statuses/9",
        "/users/nobody/statuses/9", "/users/alice/statuses/123456789012345678901"}) {
    INFO(target);
    CHECK(world.get(target, kAs2Accept).result() == bhttp::status::not_found);
  }
}

TEST_CASE("post: /activity serves the Create wrapping the Note") {
  ReadWorld world;
  auto alice = world.add_actor("alice");
  auto post = world.add_post(alice, "42", kNow);
  auto res = world.get(path_of(post.ap_id) + "/activity", kAs2Accept);
  REQUIRE(res.result() == bhttp::status::ok);
  CHECK(header(res, bhttp::field::content_type) == "application/activity+json");
  auto doc = json_of(res);
  CHECK(str(doc, "type") == "Create");
  CHECK(str(doc, "id") == federation::create_activity_id(post.ap_id));
  CHECK(str(doc, "actor") == alice.uri);
  CHECK(str(doc["object"], "id") == post.ap_id);
}
