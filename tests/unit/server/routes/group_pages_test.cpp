// A group's HTML page, its thread pages and their Atom feeds (issue 12, point 6): featured
// threads first, counts, moderators, how to join; removed threads and deleted posts not shown.
#include "tests/unit/server/routes/routes_fixtures.hpp"

#include "server/views/post_urls.hpp"
#include "storage/group_moderation.hpp"
#include "storage/groups.hpp"

using namespace civicpub;
using namespace civicpub::server::routes::testing;

namespace {

struct GroupPagesWorld : ReadWorld {
  storage::ActorRecord group = add_actor("wijkraad", "Group");
  storage::ActorRecord mod = add_actor("alice");
  storage::ActorRecord bob = add_remote("b.example", "bob");

  GroupPagesWorld() {
    write([&](storage::Connection& c) -> Result<int> {
      storage::groups::GroupSettings s;
      s.actor_id = group.id;
      s.created_at = s.updated_at = kNow;
      if (auto r = storage::groups::insert(c, s); !r) return r.error();
      if (auto r = storage::groups::add_moderator(c, group.id, mod.id, kNow); !r) return r.error();
      return 0;
    });
    follow(bob, group);
  }

  // A thread started in the group by `author`, announced by it.
  storage::PostRecord thread(const storage::ActorRecord& author, const std::string& n,
                             const std::string& text, storage::Millis at) {
    storage::PostRecord root;
    if (author.local) {
      root.ap_id = server::views::post_url(author.uri, n);
      root.url = server::views::post_page_url(author.url, n);
    } else {
      root.ap_id = author.uri + "/statuses/" + n;
      root.raw_json = "{}";
    }
    root.author_id = author.id;
    root.local = author.local;
    root.thread_root = root.ap_id;
    root.context = server::views::group_context_url(group.uri, root.ap_id);
    root.visibility = storage::Visibility::public_;
    root.content_html = "<p>" + text + "</p>";
    root.published = at;
    root = store(root);
    announce(root);
    return root;
  }

  void announce(const storage::PostRecord& post) {
    write([&](storage::Connection& c) -> Result<bool> {
      storage::groups::GroupPost gp;
      gp.group_id = group.id;
      gp.post_uri = post.ap_id;
      gp.thread_root = post.thread_root;
      gp.activity_uri = post.ap_id + "/activity";
      gp.announce_uri = group.uri + "/announces/" + std::to_string(post.id);
      gp.announce_json = "{}";
      gp.created_at = post.published;
      return storage::groups::add_post(c, gp);
    });
  }

  static std::string path_of(const storage::PostRecord& root) {
    return root.context.substr(root.context.find("/users/"));
  }
};

}  // namespace

TEST_CASE("group page: threads featured first with reply counts, members, moderators, joining") {
  GroupPagesWorld world;
  auto old_thread = world.thread(world.mod, "1", "Oude vergadering", kNow - 5000);
  auto featured = world.thread(world.bob, "2", "Vaste agenda", kNow - 9000);
  auto removed = world.thread(world.bob, "3", "Reclame voor schoenen", kNow - 100);
  auto newer = world.thread(world.mod, "4", "Nieuwe vergadering", kNow - 1000);
  world.announce(world.add_reply(world.bob, old_thread, "5", kNow));  // old_thread: latest activity
  world.write([&](storage::Connection& c) -> Result<int> {
    if (auto r = storage::groups::set_featured(c, world.group.id, featured.ap_id, true, kNow); !r)
      return r.error();
    if (auto r = storage::groups::set_locked(c, world.group.id, newer.ap_id, true, kNow); !r)
      return r.error();
    if (auto r = storage::groups::remove_posts(c, world.group.id, removed.ap_id, kNow); !r)
      return r.error();
    return 0;
  });

  auto res = world.get("/users/wijkraad", kBrowserAccept);
  REQUIRE(res.result() == bhttp::status::ok);
  const std::string html = res.body();
  CHECK(contains(html, "<html lang=\"en\""));
  CHECK(contains(html, "<main"));
  CHECK(contains(html, "<h2 id=\"threads-heading\">Threads</h2>"));
  CHECK(contains(html, "<strong>1</strong> member</li>"));
  CHECK(contains(html, "<strong>3</strong> threads</li>"));
  CHECK(contains(html, "<h2 id=\"join-heading\">How to join</h2>"));
  CHECK(contains(html, "<code>!wijkraad@"));
  CHECK(contains(html, "<h2 id=\"moderators-heading\">Moderators</h2>"));
  CHECK(contains(html, "<code>@alice@"));
  // Featured first, then by last activity: the old thread has the newest reply.
  const auto at_featured = html.find("Vaste agenda");
  const auto at_old = html.find("Oude vergadering");
  const auto at_newer = html.find("Nieuwe vergadering");
  REQUIRE(at_featured != std::string::npos);
  REQUIRE(at_old != std::string::npos);
  REQUIRE(at_newer != std::string::npos);
  CHECK(at_featured < at_old);
  CHECK(at_old < at_newer);
  CHECK(contains(html, "<span class=\"badge\">Featured</span>"));
  CHECK(contains(html, "<span class=\"badge\">Locked</span>"));
  CHECK(contains(html, "1 reply"));
  CHECK_FALSE(contains(html, "Reclame"));  // removed from the group
  // Each thread links to its page in the group: the context's URL.
  CHECK(contains(html, "href=\"" + old_thread.context + "\""));
  // Servers still get the Group actor.
  auto json = world.get("/users/wijkraad", kAs2Accept);
  REQUIRE(json.result() == bhttp::status::ok);
  CHECK(str(json_of(json), "type") == "Group");
  // An account's profile is no group page.
  CHECK_FALSE(contains(world.get("/users/alice", kBrowserAccept).body(), "How to join"));
}

TEST_CASE("group thread page: HTML for browsers at the context's URL, the collection for servers") {
  GroupPagesWorld world;
  auto root = world.thread(world.mod, "1", "Bankjes op het plein", kNow - 5000);
  auto reply = world.add_reply(world.bob, root, "2", kNow - 10);
  auto gone = world.add_reply(world.bob, root, "3", kNow);
  world.delete_post(gone);
  const auto path = GroupPagesWorld::path_of(root);

  auto page = world.get(path, kBrowserAccept);
  REQUIRE(page.result() == bhttp::status::ok);
  CHECK(header(page, bhttp::field::vary) == "Accept");
  const std::string html = page.body();
  CHECK(contains(html, "<h1>Bankjes op het plein</h1>"));
  CHECK(contains(html, "In the group"));
  CHECK(contains(html, "Reply 2"));
  CHECK_FALSE(contains(html, "Reply 3"));
  CHECK_FALSE(contains(html, "locked"));
  CHECK(contains(html, path + "/feed.atom"));

  auto json = world.get(path, kAs2Accept);
  REQUIRE(json.result() == bhttp::status::ok);
  CHECK(num(json_of(json), "totalItems") == 2);

  world.write([&](storage::Connection& c) {
    return storage::groups::set_locked(c, world.group.id, root.ap_id, true, kNow);
  });
  CHECK(contains(world.get(path, kBrowserAccept).body(), "This thread is locked"));

  // A removed thread has no page; an unknown key neither.
  world.write([&](storage::Connection& c) {
    return storage::groups::remove_posts(c, world.group.id, root.ap_id, kNow);
  });
  CHECK(world.get(path, kBrowserAccept).result() == bhttp::status::not_found);
  CHECK(world.get("/users/wijkraad/context/00ff", kBrowserAccept).result() ==
        bhttp::status::not_found);
  (void)reply;
}

TEST_CASE("group feeds: the group's new threads and one thread's posts, without removed ones") {
  GroupPagesWorld world;
  auto first = world.thread(world.mod, "1", "Eerste draad", kNow - 5000);
  auto second = world.thread(world.bob, "2", "Tweede draad", kNow - 4000);
  auto removed = world.thread(world.bob, "3", "Verwijderd", kNow - 3000);
  auto reply = world.add_reply(world.bob, first, "4", kNow - 10);
  auto gone = world.add_reply(world.bob, first, "5", kNow);
  world.delete_post(gone);
  world.write([&](storage::Connection& c) {
    return storage::groups::remove_posts(c, world.group.id, removed.ap_id, kNow);
  });

  auto feed = world.get("/users/wijkraad/feed.atom");
  REQUIRE(feed.result() == bhttp::status::ok);
  CHECK(contains(header(feed, bhttp::field::content_type), "application/atom+xml"));
  const std::string atom = feed.body();
  CHECK(contains(atom, "new threads</title>"));
  const auto at_first = atom.find("<id>" + first.ap_id + "</id>");
  const auto at_second = atom.find("<id>" + second.ap_id + "</id>");
  REQUIRE(at_first != std::string::npos);
  REQUIRE(at_second != std::string::npos);
  CHECK(at_second < at_first);  // newest thread first
  CHECK_FALSE(contains(atom, removed.ap_id));
  CHECK_FALSE(contains(atom, reply.ap_id));  // threads only

  auto thread_feed = world.get(GroupPagesWorld::path_of(first) + "/feed.atom");
  REQUIRE(thread_feed.result() == bhttp::status::ok);
  const std::string entries = thread_feed.body();
  CHECK(contains(entries, "<id>" + first.ap_id + "</id>"));
  CHECK(contains(entries, "<id>" + reply.ap_id + "</id>"));
  CHECK_FALSE(contains(entries, gone.ap_id));
  CHECK(world.get(GroupPagesWorld::path_of(removed) + "/feed.atom").result() ==
        bhttp::status::not_found);
  // An account's feed is unchanged: its own posts.
  CHECK(world.get("/users/alice/feed.atom").result() == bhttp::status::ok);
}
