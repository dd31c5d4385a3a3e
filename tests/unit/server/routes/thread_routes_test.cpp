#include "tests/unit/server/routes/routes_fixtures.hpp"

#include "storage/reactions.hpp"

using namespace civicpub;
using namespace civicpub::server::routes::testing;

namespace {

std::string path_of(const std::string& url) {
  return url.substr(std::string("https://social.town.example").size());
}

std::size_t count(std::string_view haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string_view::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

std::string remote_page(const storage::PostRecord& post) {
  return "/remote/" + std::to_string(post.id);
}

// town/1 (root)
//   peer reply a          (remote, public; liked twice, shared once)
//     town reply b        (local, public)
//     peer reply secret   (remote, followers-only: not shown)
//   peer reply gone       (remote, deleted, with a public reply below: placeholder)
//     town reply c
//   peer reply leaf       (remote, deleted, nothing below: left out)
struct Thread {
  ReadWorld world;
  storage::ActorRecord town = world.add_actor("town", "Organization");
  storage::ActorRecord bob = world.add_remote("peer.example", "bob");
  storage::PostRecord root = world.add_post(town, "1", kNow);
  storage::PostRecord a = world.add_reply(bob, root, "a", kNow + 1000);
  storage::PostRecord b = world.add_reply(town, a, "2", kNow + 2000);
  storage::PostRecord secret =
      world.add_reply(bob, a, "secret", kNow + 3000, storage::Visibility::followers);
  storage::PostRecord gone = world.add_reply(bob, root, "gone", kNow + 4000);
  storage::PostRecord c = world.add_reply(town, gone, "3", kNow + 5000);
  storage::PostRecord leaf = world.add_reply(bob, root, "leaf", kNow + 6000);

  Thread() {
    world.delete_post(gone);
    world.delete_post(leaf);
    world.react(town, a, storage::ReactionKind::like, "https://x.example/like/1");
    world.react(bob, a, storage::ReactionKind::like, "https://x.example/like/2");
    world.react(bob, a, storage::ReactionKind::announce, "https://x.example/announce/1");
  }
};

}  // namespace

TEST_CASE("thread page: a reply's page shows the whole thread, local and remote replies") {
  Thread t;
  auto res = t.world.get(path_of(t.b.url), kBrowserAccept);
  REQUIRE(res.result() == bhttp::status::ok);
  const std::string& body = res.body();
  CHECK(contains(body, "<p>Post 1</p>"));
  CHECK(contains(body, "<p>Reply a</p>"));
  CHECK(contains(body, "<p>Reply 2</p>"));
  CHECK(contains(body, "<p>Reply 3</p>"));
  // The remote author with their home server; the remote reply links to its local page and to
  // the original.
  CHECK(contains(body, "@bob@peer.example"));
  CHECK(contains(body, "href=\"https://social.town.example" + remote_page(t.a) + "\""));
  CHECK(contains(body, "Original on peer.example"));
  CHECK(contains(body, t.a.url));
  // The reply asked for is the current one; the root is at the top.
  CHECK(body.find("<p>Post 1</p>") < body.find("<p>Reply a</p>"));
  CHECK(body.find("<p>Reply a</p>") < body.find("<p>Reply 2</p>"));
  CHECK(contains(body, "id=\"current\" aria-current=\"true\">\n<header>"));
  CHECK(body.find("id=\"current\"") < body.find("<p>Reply 2</p>"));
  CHECK(body.find("<p>Reply a</p>") < body.find("id=\"current\""));
  // Counts: a has one visible reply (the followers-only one is not counted for strangers),
  // two likes and one share; the root has one visible direct reply.
  CHECK(contains(body, "1 reply \u00b7 2 likes \u00b7 1 share"));
}

TEST_CASE("thread page: followers-only and deleted posts are left out or kept as placeholders") {
  Thread t;
  auto res = t.world.get(path_of(t.root.url), kBrowserAccept);
  REQUIRE(res.result() == bhttp::status::ok);
  const std::string& body = res.body();
  CHECK_FALSE(contains(body, "Reply secret"));
  CHECK_FALSE(contains(body, "Reply gone"));
  CHECK_FALSE(contains(body, "Reply leaf"));
  CHECK(count(body, "This post was deleted.") == 1);  // gone (with c below); leaf is dropped
  CHECK(body.find("This post was deleted.") < body.find("<p>Reply 3</p>"));
  CHECK_FALSE(contains(body, remote_page(t.gone)));
}

TEST_CASE("thread page: a followers-only post with a public reply stays as a placeholder") {
  ReadWorld world;
  auto town = world.add_actor("town");
  auto bob = world.add_remote("peer.example", "bob");
  auto root = world.add_post(town, "1", kNow, storage::Visibility::followers);
  auto reply = world.add_reply(bob, root, "r", kNow + 1);
  auto res = world.get(remote_page(reply), kBrowserAccept);
  REQUIRE(res.result() == bhttp::status::ok);
  CHECK(contains(res.body(), "This post is not public."));
  CHECK_FALSE(contains(res.body(), "<p>Post 1</p>"));
  CHECK_FALSE(contains(res.body(), "The town"));
  CHECK(contains(res.body(), "<p>Reply r</p>"));
}

TEST_CASE("remote post page: the thread around a remote post, with the original linked") {
  Thread t;
  auto res = t.world.get(remote_page(t.a), kBrowserAccept);
  REQUIRE(res.result() == bhttp::status::ok);
  CHECK(header(res, bhttp::field::content_type) == "text/html; charset=utf-8");
  const std::string& body = res.body();
  CHECK(contains(body, "<h1>Post by bob</h1>"));
  CHECK(contains(body, "This post comes from peer.example"));
  CHECK(contains(body, "<link rel=\"canonical\" href=\"" + t.a.url + "\">"));
  CHECK(contains(body, "<meta name=\"robots\" content=\"noindex\">"));
  CHECK(contains(body, "<p>Post 1</p>"));  // the thread from its top
  CHECK(contains(body, "<p>Reply 2</p>"));
  CHECK(body.find("id=\"current\"") < body.find("<p>Reply a</p>"));
  // An AS2 client is sent to the post's own id.
  auto as2 = t.world.get(remote_page(t.a), kAs2Accept);
  CHECK(as2.result() == bhttp::status::found);
  CHECK(header(as2, bhttp::field::location) == t.a.ap_id);
}

TEST_CASE("remote post page: unknown, hidden, deleted and local posts") {
  Thread t;
  CHECK(t.world.get("/remote/999999", kBrowserAccept).result() == bhttp::status::not_found);
  CHECK(t.world.get("/remote/abc", kBrowserAccept).result() == bhttp::status::not_found);
  CHECK(t.world.get("/remote/-1", kBrowserAccept).result() == bhttp::status::not_found);
  CHECK(t.world.get(remote_page(t.secret), kBrowserAccept).result() == bhttp::status::not_found);
  CHECK(t.world.get(remote_page(t.secret), kAs2Accept).result() == bhttp::status::not_found);
  CHECK(t.world.get(remote_page(t.gone), kBrowserAccept).result() == bhttp::status::gone);
  auto local = t.world.get(remote_page(t.b), kBrowserAccept);
  CHECK(local.result() == bhttp::status::found);
  CHECK(header(local, bhttp::field::location) == t.b.url);
}

TEST_CASE("feed: an account's public and unlisted posts as Atom, linked from the profile") {
  ReadWorld world;
  auto alice = world.add_actor("alice");
  auto first = world.add_post(alice, "1", kNow);
  world.add_post(alice, "2", kNow + 1000, storage::Visibility::unlisted);
  world.add_post(alice, "3", kNow + 2000, storage::Visibility::followers);
  auto res = world.get("/users/alice/feed.atom");
  REQUIRE(res.result() == bhttp::status::ok);
  CHECK(header(res, bhttp::field::content_type) == "application/atom+xml; charset=utf-8");
  const std::string& body = res.body();
  CHECK(body.rfind("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=", 0) == 0);
  CHECK(contains(body, "<id>" + first.ap_id + "</id>"));
  CHECK(contains(body, "<content type=\"html\" xml:lang") == false);
  CHECK(contains(body, "<content type=\"html\">&lt;p&gt;Post 1&lt;/p&gt;</content>"));
  CHECK(contains(body, "&lt;p&gt;Post 2&lt;/p&gt;"));
  CHECK_FALSE(contains(body, "Post 3"));
  CHECK(count(body, "<entry>") == 2);
  // Newest first.
  CHECK(body.find("Post 2") < body.find("Post 1"));
  CHECK(contains(body, "<link rel=\"self\" type=\"application/atom+xml\" href=\"" + alice.uri +
                           "/feed.atom\"/>"));

  auto profile = world.get("/@alice", kBrowserAccept);
  REQUIRE(profile.result() == bhttp::status::ok);
  CHECK(contains(profile.body(), "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"" +
                                     alice.uri + "/feed.atom\">"));

  CHECK(world.get("/users/nobody/feed.atom").result() == bhttp::status::not_found);
  world.delete_actor(alice);
  CHECK(world.get("/users/alice/feed.atom").result() == bhttp::status::gone);
}

TEST_CASE("thread page: a post deeper than the page renders is shown with its nearer ancestors") {
  ReadWorld world;
  auto town = world.add_actor("town");
  auto bob = world.add_remote("peer.example", "bob");
  auto root = world.add_post(town, "1", kNow);
  storage::PostRecord parent = root;
  for (int i = 1; i <= 45; ++i) {
    parent = world.add_reply(bob, parent, "d" + std::to_string(i), kNow + i);
  }
  auto res = world.get(remote_page(parent), kBrowserAccept);
  REQUIRE(res.result() == bhttp::status::ok);
  const std::string& body = res.body();
  CHECK(contains(body, "<p>Reply d45</p>"));
  CHECK(contains(body, "id=\"current\""));
  CHECK(contains(body, "<p>Reply d25</p>"));  // 20 levels above the post
  CHECK_FALSE(contains(body, "<p>Reply d24</p>"));
  CHECK_FALSE(contains(body, "<p>Post 1</p>"));
  // The root's page shows 40 levels and links the rest.
  auto top = world.get(path_of(root.url), kBrowserAccept);
  REQUIRE(top.result() == bhttp::status::ok);
  CHECK(contains(top.body(), "<p>Reply d40</p>"));
  CHECK_FALSE(contains(top.body(), "<p>Reply d41</p>"));
  CHECK(contains(top.body(), "Continue this thread"));
}
