#include "tests/unit/server/routes/routes_fixtures.hpp"
#include "storage/post_details.hpp"
#include "storage/reactions.hpp"

using namespace civicpub;
using namespace civicpub::server::routes::testing;

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

TEST_CASE("post: unlisted is served - followers-only and direct are 404 to anonymous requests") {
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
  CHECK(str(doc, "id") == server::views::create_activity_id(post.ap_id));
  CHECK(str(doc, "actor") == alice.uri);
  CHECK(str(doc["object"], "id") == post.ap_id);
}

namespace {

// A reply stored directly: local (under `author`'s statuses) or remote (any id).
storage::PostRecord add_reply(ReadWorld& world, const storage::ActorRecord& author,
                              const std::string& id, const storage::PostRecord& parent,
                              storage::Millis published,
                              storage::Visibility visibility = storage::Visibility::public_) {
  storage::PostRecord p;
  p.ap_id = id;
  p.author_id = author.id;
  p.local = author.local;
  p.in_reply_to = parent.ap_id;
  p.thread_root = parent.thread_root;
  p.context = parent.context;
  p.visibility = visibility;
  p.content_html = "<p>reply</p>";
  p.published = published;
  p.id = world.db()
             .write_sync([&](storage::Connection& c) { return storage::posts::insert(c, p); })
             .value();
  return p;
}

std::vector<std::string> items(const rapidjson::Value& page) {
  std::vector<std::string> out;
  for (const auto& v : page["orderedItems"].GetArray()) out.emplace_back(v.GetString());
  return out;
}

}  // namespace

TEST_CASE("post: the Note links its collections and carries its context and stored tags") {
  ReadWorld world;
  auto alice = world.add_actor("alice");
  auto post = world.add_root(alice, "100", kNow);
  world.db()
      .write_sync([&](storage::Connection& c) -> Result<void> {
        if (auto r = storage::post_details::replace_mentions(
                c, post.id, {{"https://far.example/users/bo", "@bo@far.example"}});
            !r) {
          return r;
        }
        return storage::post_details::replace_hashtags(
            c, post.id, {{"markt", "https://social.town.example/tags/markt"}});
      })
      .value();
  auto res = world.get(path_of(post.ap_id), kAs2Accept);
  REQUIRE(res.result() == bhttp::status::ok);
  auto doc = json_of(res);
  CHECK(str(doc, "replies") == server::views::replies_url(post.ap_id));
  CHECK(str(doc, "likes") == server::views::likes_url(post.ap_id));
  CHECK(str(doc, "shares") == server::views::shares_url(post.ap_id));
  CHECK(str(doc, "context") == server::views::context_url(post.ap_id));
  REQUIRE(doc["tag"].Size() == 2);
  CHECK(str(doc["tag"][0], "type") == "Mention");
  CHECK(str(doc["tag"][0], "href") == "https://far.example/users/bo");
  CHECK(str(doc["tag"][0], "name") == "@bo@far.example");
  CHECK(str(doc["tag"][1], "type") == "Hashtag");
  CHECK(str(doc["tag"][1], "name") == "#markt");
  CHECK(contains(res.body(),
                 R"("cc":[")" + alice.followers + R"(","https://far.example/users/bo"])"));
  // The Create at /activity embeds the same Note.
  auto create = json_of(world.get(path_of(post.ap_id) + "/activity", kAs2Accept));
  CHECK(create["object"]["tag"].Size() == 2);
}

TEST_CASE("post: /replies pages the direct public and unlisted replies, oldest first") {
  ReadWorld world;
  auto alice = world.add_actor("alice");
  auto bob = world.add_actor("bob");
  auto far = world.add_remote("far.example", "zoe");
  auto root = world.add_root(alice, "1", kNow);
  std::vector<std::string> expected;
  // 22 visible replies, alternating local and remote, published in reverse id order.
  for (int i = 0; i < 22; ++i) {
    const auto at = kNow + 1000 * (i + 1);
    const bool local = i % 2 == 0;
    const std::string id = local ? server::views::post_url(bob.uri, std::to_string(900 - i))
                                 : "https://far.example/notes/" + std::to_string(i);
    add_reply(world, local ? bob : far, id, root, at,
              i == 3 ? storage::Visibility::unlisted : storage::Visibility::public_);
    expected.push_back(id);
  }
  add_reply(world, bob, server::views::post_url(bob.uri, "2000"), root, kNow + 5,
            storage::Visibility::followers);
  add_reply(world, far, "https://far.example/notes/dm", root, kNow + 6,
            storage::Visibility::direct);
  auto deleted = add_reply(world, far, "https://far.example/notes/del", root, kNow + 7);
  world.delete_post(deleted);
  // A reply to a reply is not a direct reply.
  storage::PostRecord first_reply;
  first_reply.ap_id = expected[0];
  first_reply.thread_root = root.ap_id;
  add_reply(world, far, "https://far.example/notes/deep", first_reply, kNow + 8);

  const auto replies = server::views::replies_url(root.ap_id);
  auto res = world.get(path_of(replies), kAs2Accept);
  REQUIRE(res.result() == bhttp::status::ok);
  CHECK(header(res, bhttp::field::content_type) == "application/activity+json");
  auto collection = json_of(res);
  CHECK(str(collection, "id") == replies);
  CHECK(str(collection, "type") == "OrderedCollection");
  CHECK(num(collection, "totalItems") == 22);
  CHECK(str(collection, "first") == replies + "?page=1");
  CHECK_FALSE(collection.HasMember("attributedTo"));

  auto first = json_of(world.get(path_of(replies) + "?page=1", kAs2Accept));
  CHECK(str(first, "type") == "OrderedCollectionPage");
  CHECK(str(first, "partOf") == replies);
  CHECK(str(first, "next") == replies + "?page=2");
  CHECK_FALSE(first.HasMember("prev"));
  CHECK(items(first) == std::vector<std::string>(expected.begin(), expected.begin() + 20));
  auto second = json_of(world.get(path_of(replies) + "?page=2", kAs2Accept));
  CHECK(str(second, "prev") == replies + "?page=1");
  CHECK_FALSE(second.HasMember("next"));
  CHECK(items(second) == std::vector<std::string>(expected.begin() + 20, expected.end()));
  CHECK(items(json_of(world.get(path_of(replies) + "?page=3", kAs2Accept))).empty());
  // JSON whatever the Accept: there is no HTML twin.
  CHECK(header(world.get(path_of(replies), kBrowserAccept), bhttp::field::content_type) ==
        "application/activity+json");
  CHECK(world.get(path_of(replies) + "?page=x", kAs2Accept).result() == bhttp::status::bad_request);
}

TEST_CASE("post: /context lists the whole conversation, attributed to the thread owner") {
  ReadWorld world;
  auto alice = world.add_actor("alice");
  auto bob = world.add_actor("bob");
  auto far = world.add_remote("far.example", "zoe");
  auto root = world.add_root(alice, "1", kNow);
  auto r1 = add_reply(world, far, "https://far.example/notes/1", root, kNow + 10);
  auto r2 = add_reply(world, bob, server::views::post_url(bob.uri, "3"), r1, kNow + 20);
  add_reply(world, far, "https://far.example/notes/secret", r2, kNow + 30,
            storage::Visibility::followers);
  auto r3 = add_reply(world, far, "https://far.example/notes/4", r2, kNow + 40,
                      storage::Visibility::unlisted);

  const auto context = server::views::context_url(root.ap_id);
  auto collection = json_of(world.get(path_of(context), kAs2Accept));
  CHECK(str(collection, "id") == context);
  CHECK(str(collection, "type") == "OrderedCollection");
  CHECK(str(collection, "attributedTo") == alice.uri);
  CHECK(num(collection, "totalItems") == 4);
  auto page = json_of(world.get(path_of(context) + "?page=1", kAs2Accept));
  CHECK(str(page, "partOf") == context);
  CHECK(items(page) == std::vector<std::string>{root.ap_id, r1.ap_id, r2.ap_id, r3.ap_id});

  // Only the root owns the conversation; a reply's /context is not a collection.
  CHECK(world.get(path_of(r2.ap_id) + "/context", kAs2Accept).result() == bhttp::status::not_found);
  // The root's replies are its direct ones only.
  auto replies =
      json_of(world.get(path_of(server::views::replies_url(root.ap_id)) + "?page=1", kAs2Accept));
  CHECK(items(replies) == std::vector<std::string>{r1.ap_id});
}

TEST_CASE("post: /likes and /shares count the reactions") {
  ReadWorld world;
  auto alice = world.add_actor("alice");
  auto post = world.add_post(alice, "7", kNow);
  auto a = world.add_remote("a.example", "a");
  auto b = world.add_remote("b.example", "b");
  world.react(a, post, storage::ReactionKind::like);
  world.react(b, post, storage::ReactionKind::like);
  world.react(a, post, storage::ReactionKind::announce);
  auto likes = json_of(world.get(path_of(server::views::likes_url(post.ap_id)), kAs2Accept));
  CHECK(str(likes, "id") == server::views::likes_url(post.ap_id));
  CHECK(str(likes, "type") == "Collection");
  CHECK(num(likes, "totalItems") == 2);
  auto shares = json_of(world.get(path_of(server::views::shares_url(post.ap_id)), kAs2Accept));
  CHECK(str(shares, "id") == server::views::shares_url(post.ap_id));
  CHECK(num(shares, "totalItems") == 1);
  // Counts only: no pages.
  CHECK(world.get(path_of(server::views::likes_url(post.ap_id)) + "?page=1", kAs2Accept).result() ==
        bhttp::status::not_found);
}

TEST_CASE("post: collections of unknown, hidden and deleted posts are 404 or 410") {
  ReadWorld world;
  auto alice = world.add_actor("alice");
  auto hidden = world.add_post(alice, "2", kNow, storage::Visibility::followers);
  auto deleted = world.add_root(alice, "3", kNow);
  world.delete_post(deleted);
  for (const char* suffix : {"/replies", "/context", "/likes", "/shares"}) {
    INFO(suffix);
    CHECK(world.get(std::string("/users/alice/statuses/999") + suffix, kAs2Accept).result() ==
          bhttp::status::not_found);
    CHECK(world.get(std::string("/users/nobody/statuses/1") + suffix, kAs2Accept).result() ==
          bhttp::status::not_found);
    CHECK(world.get(path_of(hidden.ap_id) + suffix, kAs2Accept).result() ==
          bhttp::status::not_found);
    auto gone = world.get(path_of(deleted.ap_id) + suffix, kAs2Accept);
    CHECK(gone.result() == bhttp::status::gone);
    CHECK(header(gone, bhttp::field::content_type) == "application/json");
  }
}
