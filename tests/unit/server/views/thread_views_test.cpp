// views::thread_by_reference and thread_by_row_id, the read model behind the thread pages and
// `civicpub thread`, called directly on a stored world: the shape of the tree, what an anonymous
// reader sees (withheld and deleted placeholders), the counts, ancestors and their limits.
#include "server/views/thread_views.hpp"

#include "server/views/error.hpp"
#include "storage/statement.hpp"
#include "tests/unit/server/views/stored_world.hpp"

#include <string>
#include <vector>

using namespace civicpub;
using server::views::thread_by_reference;
using server::views::thread_by_row_id;
using server::views::ThreadOptions;
using server::views::ThreadPost;
using server::views::ViewError;
using test::kReadNow;

namespace {

// mayor/1
//   anna a            public, liked twice, shared once
//     mayor b         public
//     bob secret      followers-only, with a visible reply below it
//       anna s        public
//   anna gone         deleted, with a visible reply below it
//     mayor c         public
//   bob lone          direct, nothing below it
//   anna dropped      deleted, nothing below it
struct Conversation {
  test::StoredWorld w;
  storage::ActorRecord mayor = w.add_actor("mayor");
  storage::ActorRecord anna = w.add_remote("remote.example", "anna");
  storage::ActorRecord bob = w.add_remote("other.example", "bob");
  storage::PostRecord root = w.add_root(mayor, "1", kReadNow);
  storage::PostRecord a = w.add_reply(anna, root, "a", kReadNow + 1000);
  storage::PostRecord b = w.add_reply(mayor, a, "2", kReadNow + 2000);
  storage::PostRecord secret =
      w.add_reply(bob, a, "secret", kReadNow + 3000, storage::Visibility::followers);
  storage::PostRecord s = w.add_reply(anna, secret, "s", kReadNow + 4000);
  storage::PostRecord gone = w.add_reply(anna, root, "gone", kReadNow + 5000);
  storage::PostRecord c = w.add_reply(mayor, gone, "3", kReadNow + 6000);
  storage::PostRecord lone =
      w.add_reply(bob, root, "lone", kReadNow + 7000, storage::Visibility::direct);
  storage::PostRecord dropped = w.add_reply(anna, root, "dropped", kReadNow + 8000);

  Conversation() {
    w.delete_post(gone);
    w.delete_post(dropped);
    w.react(anna, a, storage::ReactionKind::like);
    w.react(bob, a, storage::ReactionKind::like);
    w.react(bob, a, storage::ReactionKind::announce);
  }
};

// "<ap_id>@<depth>" for each post of a tree.
std::vector<std::string> shape(const std::vector<ThreadPost>& posts) {
  std::vector<std::string> out;
  for (const auto& p : posts) out.push_back(p.post.ap_id + "@" + std::to_string(p.depth));
  return out;
}

std::string at(const storage::PostRecord& post, int depth) {
  return post.ap_id + "@" + std::to_string(depth);
}

}  // namespace

TEST_CASE("thread view: an anonymous reader gets the tree depth-first, oldest reply first") {
  Conversation t;
  auto thread = thread_by_reference(t.w.db(), t.root.ap_id, ThreadOptions{});
  REQUIRE(thread);
  CHECK(thread->ancestors.empty());
  CHECK(thread->focus == 0);
  CHECK_FALSE(thread->missing_parent);
  CHECK_FALSE(thread->truncated);
  // lone (not visible) and dropped (deleted) have nothing visible below them: left out.
  CHECK(shape(thread->tree) == std::vector<std::string>{at(t.root, 0), at(t.a, 1), at(t.b, 2),
                                                        at(t.secret, 2), at(t.s, 3), at(t.gone, 1),
                                                        at(t.c, 2)});
  const auto& root = thread->tree[0];
  CHECK(root.author.id == t.mayor.id);
  CHECK(root.replies == 1);  // a; gone and dropped are deleted, lone is direct
  const auto& a = thread->tree[1];
  CHECK(a.author.uri == t.anna.uri);
  CHECK(a.replies == 1);  // b; secret is followers-only
  CHECK(a.likes == 2);
  CHECK(a.shares == 1);
  CHECK_FALSE(a.withheld);
  CHECK_FALSE(a.deleted());
}

TEST_CASE("thread view: placeholders show nothing of what they stand for") {
  Conversation t;
  auto thread = thread_by_reference(t.w.db(), t.root.ap_id, ThreadOptions{});
  REQUIRE(thread);
  REQUIRE(thread->tree.size() == 7);
  const auto& secret = thread->tree[3];
  REQUIRE(secret.post.ap_id == t.secret.ap_id);
  CHECK(secret.withheld);
  CHECK(secret.post.content_html.empty());
  CHECK(secret.author.uri.empty());
  CHECK(secret.author.id == 0);
  CHECK(secret.replies == 0);
  const auto& gone = thread->tree[5];
  REQUIRE(gone.post.ap_id == t.gone.ap_id);
  CHECK(gone.deleted());
  CHECK_FALSE(gone.withheld);
  CHECK(gone.replies == 0);
}

TEST_CASE("thread view: the author's own view shows every visibility") {
  Conversation t;
  ThreadOptions everyone;
  everyone.public_only = false;
  auto thread = thread_by_reference(t.w.db(), t.root.ap_id, everyone);
  REQUIRE(thread);
  CHECK(shape(thread->tree) == std::vector<std::string>{at(t.root, 0), at(t.a, 1), at(t.b, 2),
                                                        at(t.secret, 2), at(t.s, 3), at(t.gone, 1),
                                                        at(t.c, 2), at(t.lone, 1)});
  CHECK_FALSE(thread->tree[3].withheld);
  CHECK(thread->tree[3].author.uri == t.bob.uri);
  CHECK(thread->tree[0].replies == 2);  // a and lone
  CHECK(thread->tree[1].replies == 2);  // b and secret
}

TEST_CASE("thread view: a reply in focus lists its ancestors, or sits in the tree from the top") {
  Conversation t;
  auto below = thread_by_reference(t.w.db(), t.s.ap_id, ThreadOptions{});
  REQUIRE(below);
  REQUIRE(below->ancestors.size() == 3);
  CHECK(below->ancestors[0].post.ap_id == t.root.ap_id);
  CHECK(below->ancestors[1].post.ap_id == t.a.ap_id);
  CHECK(below->ancestors[2].post.ap_id == t.secret.ap_id);
  CHECK(below->ancestors[2].withheld);
  CHECK(shape(below->tree) == std::vector<std::string>{at(t.s, 0)});
  CHECK(below->focus == 0);

  ThreadOptions from_top;
  from_top.from_top = true;
  auto whole = thread_by_reference(t.w.db(), t.s.ap_id, from_top);
  REQUIRE(whole);
  CHECK(whole->ancestors.empty());
  REQUIRE(whole->tree.size() == 7);
  CHECK(whole->focus == 4);
  CHECK(whole->tree[whole->focus].post.ap_id == t.s.ap_id);
}

TEST_CASE(
    "thread view: a withheld or deleted focus is still in the tree, for the caller to refuse") {
  Conversation t;
  auto lone = thread_by_reference(t.w.db(), t.lone.ap_id, ThreadOptions{});
  REQUIRE(lone);
  REQUIRE(lone->tree.size() == 1);
  CHECK(lone->tree[lone->focus].withheld);
  auto dropped = thread_by_reference(t.w.db(), t.dropped.ap_id, ThreadOptions{});
  REQUIRE(dropped);
  REQUIRE(dropped->tree.size() == 1);
  CHECK(dropped->tree[dropped->focus].deleted());
}

TEST_CASE("thread view: found by id, page URL or row - a parent not stored here is named") {
  test::StoredWorld w;
  auto anna = w.add_remote("remote.example", "anna");
  storage::PostRecord orphan;
  orphan.ap_id = anna.uri + "/statuses/9";
  orphan.url = "https://remote.example/@anna/9";
  orphan.author_id = anna.id;
  orphan.in_reply_to = "https://elsewhere.example/notes/1";
  orphan.thread_root = orphan.in_reply_to;
  orphan.content_html = "<p>an answer</p>";
  orphan.published = kReadNow;
  orphan = w.store(orphan);

  for (const auto& reference : {orphan.ap_id, orphan.url}) {
    auto thread = thread_by_reference(w.db(), reference, ThreadOptions{});
    REQUIRE(thread);
    CHECK(thread->tree.at(0).post.id == orphan.id);
    CHECK(thread->missing_parent == std::optional<std::string>(orphan.in_reply_to));
  }
  auto by_row = thread_by_row_id(w.db(), orphan.id, ThreadOptions{});
  REQUIRE(by_row);
  CHECK(by_row->tree.at(0).post.ap_id == orphan.ap_id);

  CHECK(thread_by_reference(w.db(), "https://remote.example/@anna/10", ThreadOptions{}).error() ==
        ViewError::not_found);
  CHECK(thread_by_row_id(w.db(), orphan.id + 100, ThreadOptions{}).error() == ViewError::not_found);
}

TEST_CASE("thread view: the ancestor walk and the reply levels stop at max_depth") {
  test::StoredWorld w;
  auto mayor = w.add_actor("mayor");
  std::vector<storage::PostRecord> chain{w.add_root(mayor, "1", kReadNow)};
  for (int i = 2; i <= 6; ++i) {
    chain.push_back(w.add_reply(mayor, chain.back(), std::to_string(i), kReadNow + i));
  }
  ThreadOptions shallow;
  shallow.max_depth = 2;
  auto up = thread_by_reference(w.db(), chain.back().ap_id, shallow);
  REQUIRE(up);
  CHECK(up->truncated);
  REQUIRE(up->ancestors.size() == 2);
  CHECK(up->ancestors[0].post.ap_id == chain[3].ap_id);
  CHECK(up->ancestors[1].post.ap_id == chain[4].ap_id);

  auto down = thread_by_reference(w.db(), chain.front().ap_id, shallow);
  REQUIRE(down);
  CHECK(shape(down->tree) ==
        std::vector<std::string>{at(chain[0], 0), at(chain[1], 1), at(chain[2], 2)});
}

TEST_CASE("thread view: counts above the focus, a deleted author's posts, a reply cycle") {
  Conversation t;
  // The ancestors are decorated together too: each with its own author and counts.
  auto below = thread_by_reference(t.w.db(), t.b.ap_id, ThreadOptions{});
  REQUIRE(below);
  REQUIRE(below->ancestors.size() == 2);
  CHECK(below->ancestors[0].author.id == t.mayor.id);
  CHECK(below->ancestors[0].replies == 1);
  CHECK(below->ancestors[1].author.id == t.anna.id);
  CHECK(below->ancestors[1].replies == 1);
  CHECK(below->ancestors[1].likes == 2);
  CHECK(below->ancestors[1].shares == 1);

  // anna's account is deleted: her posts turn into deleted placeholders without counts, and
  // those with nothing shown below them go; the others keep their own authors.
  t.w.delete_actor(t.anna);
  auto thread = thread_by_reference(t.w.db(), t.root.ap_id, ThreadOptions{});
  REQUIRE(thread);
  CHECK(shape(thread->tree) == std::vector<std::string>{at(t.root, 0), at(t.a, 1), at(t.b, 2),
                                                        at(t.gone, 1), at(t.c, 2)});
  const auto& a = thread->tree[1];
  CHECK(a.deleted());
  CHECK(a.replies == 0);
  CHECK(a.likes == 0);
  CHECK(a.shares == 0);
  CHECK(thread->tree[2].author.id == t.mayor.id);
  CHECK(thread->tree[0].replies == 1);  // a's row itself is not deleted: still counted

  // A reply cycle (x answers y answers x, as a broken or hostile server may send) ends.
  test::StoredWorld w;
  auto mayor = w.add_actor("mayor");
  auto x = w.add_root(mayor, "x", kReadNow);
  auto y = w.add_reply(mayor, x, "y", kReadNow + 1);
  w.write([&](storage::Connection& c) -> civicpub::Result<void> {
    auto s = storage::Statement::prepare(c, "UPDATE posts SET in_reply_to = ?1 WHERE id = ?2");
    if (!s) return s.error();
    s->bind(1, y.ap_id).bind(2, x.id);
    return s->run();
  });
  auto loop = thread_by_reference(w.db(), x.ap_id, ThreadOptions{});
  REQUIRE(loop);
  CHECK(shape(loop->tree) == std::vector<std::string>{at(x, 0), at(y, 1), at(x, 2)});
  CHECK(loop->tree[0].replies == 1);
  CHECK(loop->tree[1].replies == 1);
}
