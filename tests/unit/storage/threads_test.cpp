// Thread queries over posts: replies, context, ancestors, descendants, late parents.
#include "tests/unit/storage/fixtures.hpp"
#include "storage/actors.hpp"
#include "storage/posts.hpp"
#include "tests/unit/storage/full_scans.hpp"

#include <unordered_map>

using namespace civicpub::storage;

namespace {

PostRecord note(std::int64_t author, const std::string& id, Millis published,
                const std::string& parent = "", Visibility v = Visibility::public_) {
  PostRecord p;
  p.ap_id = "https://far.example/notes/" + id;
  p.author_id = author;
  p.in_reply_to = parent.empty() ? "" : "https://far.example/notes/" + parent;
  p.thread_root = parent.empty() ? p.ap_id : "https://far.example/notes/root";
  p.context = "https://far.example/contexts/root";
  p.visibility = v;
  p.content_html = "<p>" + id + "</p>";
  p.published = published;
  return p;
}

std::vector<std::string> ids(const std::vector<PostRecord>& posts) {
  std::vector<std::string> out;
  for (const auto& p : posts) out.push_back(p.ap_id.substr(p.ap_id.rfind('/') + 1));
  return out;
}

}  // namespace

TEST_CASE("posts: object_type and name round-trip - update_content changes name") {
  auto conn = test::memory_db();
  auto author = actors::upsert_remote(conn, test::remote_actor("far.example", "ann")).value();
  auto p = note(author, "root", 1);
  p.object_type = "Article";
  p.name = "Plan for the square";
  auto id = posts::insert(conn, p).value();
  auto found = posts::find_by_id(conn, id).value();
  REQUIRE(found);
  CHECK(found->object_type == "Article");
  CHECK(found->name == "Plan for the square");
  found->name = "Revised plan";
  REQUIRE(posts::update_content(conn, *found, 5));
  CHECK(posts::find_by_id(conn, id).value()->name == "Revised plan");
  auto plain = note(author, "plain", 2);
  auto plain_id = posts::insert(conn, plain).value();
  CHECK(posts::find_by_id(conn, plain_id).value()->object_type == "Note");
}

TEST_CASE("posts: replies are direct only, oldest first, paged, deleted and private excluded") {
  auto conn = test::memory_db();
  auto a = actors::upsert_remote(conn, test::remote_actor("far.example", "ann")).value();
  REQUIRE(posts::insert(conn, note(a, "root", 1)));
  REQUIRE(posts::insert(conn, note(a, "r2", 30, "root")));
  REQUIRE(posts::insert(conn, note(a, "r1", 20, "root")));
  REQUIRE(posts::insert(conn, note(a, "r1a", 25, "r1")));  // a reply to a reply: not direct
  REQUIRE(posts::insert(conn, note(a, "dm", 26, "root", Visibility::direct)));
  auto gone = posts::insert(conn, note(a, "gone", 27, "root")).value();
  REQUIRE(posts::mark_deleted(conn, gone, 40));

  posts::ListQuery q{"https://far.example/notes/root", 20, 0, true};
  CHECK(ids(posts::list_replies(conn, q).value()) == std::vector<std::string>{"r1", "r2"});
  CHECK(posts::count_replies(conn, q.key, true).value() == 2);
  CHECK(posts::count_replies(conn, q.key, false).value() == 3);
  q.limit = 1;
  q.offset = 1;
  CHECK(ids(posts::list_replies(conn, q).value()) == std::vector<std::string>{"r2"});
  q.public_only = false;
  q.limit = 10;
  q.offset = 0;
  CHECK(ids(posts::list_replies(conn, q).value()) == std::vector<std::string>{"r1", "dm", "r2"});
}

TEST_CASE("posts: list_by_context lists the conversation in order") {
  auto conn = test::memory_db();
  auto a = actors::upsert_remote(conn, test::remote_actor("far.example", "ann")).value();
  REQUIRE(posts::insert(conn, note(a, "root", 1)));
  REQUIRE(posts::insert(conn, note(a, "r1", 20, "root")));
  REQUIRE(posts::insert(conn, note(a, "r1a", 25, "r1")));
  auto other = note(a, "elsewhere", 5);
  other.context = "https://far.example/contexts/other";
  REQUIRE(posts::insert(conn, other));
  posts::ListQuery q{"https://far.example/contexts/root", 20, 0, true};
  CHECK(ids(posts::list_by_context(conn, q).value()) ==
        std::vector<std::string>{"root", "r1", "r1a"});
  CHECK(posts::count_by_context(conn, q.key, true).value() == 3);
}

TEST_CASE("posts: ancestors walk up to the root, report the missing parent and stop at cycles") {
  auto conn = test::memory_db();
  auto a = actors::upsert_remote(conn, test::remote_actor("far.example", "ann")).value();

  SECTION("a complete chain") {
    REQUIRE(posts::insert(conn, note(a, "root", 1)));
    REQUIRE(posts::insert(conn, note(a, "r1", 2, "root")));
    REQUIRE(posts::insert(conn, note(a, "r2", 3, "r1")));
    auto up = posts::ancestors(conn, "https://far.example/notes/r2", 50).value();
    CHECK(ids(up.chain) == std::vector<std::string>{"root", "r1"});
    CHECK_FALSE(up.missing_parent);
    CHECK_FALSE(up.truncated);
    auto top = posts::ancestors(conn, "https://far.example/notes/root", 50).value();
    CHECK(top.chain.empty());
    CHECK_FALSE(top.missing_parent);
  }
  SECTION("a gap above") {
    REQUIRE(posts::insert(conn, note(a, "r1", 2, "root")));
    REQUIRE(posts::insert(conn, note(a, "r2", 3, "r1")));
    auto up = posts::ancestors(conn, "https://far.example/notes/r2", 50).value();
    CHECK(ids(up.chain) == std::vector<std::string>{"r1"});
    CHECK(up.missing_parent == "https://far.example/notes/root");
    auto direct = posts::ancestors(conn, "https://far.example/notes/r1", 50).value();
    CHECK(direct.chain.empty());
    CHECK(direct.missing_parent == "https://far.example/notes/root");
  }
  SECTION("a cycle ends at the depth cap") {
    REQUIRE(posts::insert(conn, note(a, "x", 2, "y")));
    REQUIRE(posts::insert(conn, note(a, "y", 3, "x")));
    auto up = posts::ancestors(conn, "https://far.example/notes/x", 5).value();
    CHECK(up.chain.size() == 5);
    CHECK(up.truncated);
    CHECK_FALSE(up.missing_parent);
  }
  SECTION("an unknown post has no ancestors") {
    auto up = posts::ancestors(conn, "https://far.example/notes/none", 50).value();
    CHECK(up.chain.empty());
    CHECK_FALSE(up.missing_parent);
  }
}

TEST_CASE("posts: descendants at every depth, capped, deleted ones kept for the shape") {
  auto conn = test::memory_db();
  auto a = actors::upsert_remote(conn, test::remote_actor("far.example", "ann")).value();
  REQUIRE(posts::insert(conn, note(a, "root", 1)));
  REQUIRE(posts::insert(conn, note(a, "r1", 2, "root")));
  auto r2 = posts::insert(conn, note(a, "r2", 4, "root")).value();
  REQUIRE(posts::insert(conn, note(a, "r1a", 3, "r1")));
  REQUIRE(posts::insert(conn, note(a, "r1a1", 5, "r1a")));
  REQUIRE(posts::mark_deleted(conn, r2, 9));
  CHECK(ids(posts::descendants(conn, "https://far.example/notes/root", 50, 100).value()) ==
        std::vector<std::string>{"r1", "r1a", "r2", "r1a1"});
  CHECK(ids(posts::descendants(conn, "https://far.example/notes/root", 2, 100).value()) ==
        std::vector<std::string>{"r1", "r1a", "r2"});
  CHECK(posts::descendants(conn, "https://far.example/notes/root", 50, 2).value().size() == 2);
  CHECK(ids(posts::descendants(conn, "https://far.example/notes/r1", 50, 100).value()) ==
        std::vector<std::string>{"r1a", "r1a1"});
}

TEST_CASE("posts: relink_thread_root moves replies that arrived first onto the real root") {
  auto conn = test::memory_db();
  auto a = actors::upsert_remote(conn, test::remote_actor("far.example", "ann")).value();
  auto early = note(a, "r2", 3, "r1");
  early.thread_root = "https://far.example/notes/r1";  // the best known when it arrived
  auto id = posts::insert(conn, early).value();
  CHECK(posts::relink_thread_root(conn, "https://far.example/notes/r1",
                                  "https://far.example/notes/root")
            .value() == 1);
  CHECK(posts::find_by_id(conn, id).value()->thread_root == "https://far.example/notes/root");
  CHECK(posts::relink_thread_root(conn, "https://x", "https://x").value() == 0);
}

TEST_CASE("posts: replies that arrived first take their parent's context when they had none") {
  auto conn = test::memory_db();
  auto a = actors::upsert_remote(conn, test::remote_actor("far.example", "ann")).value();
  auto bare = note(a, "r2", 3, "r1");
  bare.thread_root = "https://far.example/notes/r1";
  bare.context.clear();  // Mastodon and Fedify replies carry no context
  auto own = note(a, "r3", 4, "r1");
  own.thread_root = "https://far.example/notes/r1";
  own.context = "https://far.example/contexts/own";
  auto bare_id = posts::insert(conn, bare).value();
  auto own_id = posts::insert(conn, own).value();
  CHECK(posts::relink_thread_root(conn, "https://far.example/notes/r1",
                                  "https://far.example/notes/root", "https://far.example/ctx")
            .value() == 2);
  CHECK(posts::find_by_id(conn, bare_id).value()->context == "https://far.example/ctx");
  CHECK(posts::find_by_id(conn, own_id).value()->context == "https://far.example/contexts/own");
  // The parent is itself the top post (old root == new root): only the context is filled in.
  auto late = note(a, "r4", 5, "r5");
  late.thread_root = "https://far.example/notes/r5";
  late.context.clear();
  auto late_id = posts::insert(conn, late).value();
  CHECK(posts::relink_thread_root(conn, "https://far.example/notes/r5",
                                  "https://far.example/notes/r5", "https://far.example/ctx5")
            .value() == 1);
  CHECK(posts::find_by_id(conn, late_id).value()->context == "https://far.example/ctx5");
}

TEST_CASE("posts: active_remote_threads lists recent remote threads, newest post of each") {
  auto conn = test::memory_db();
  auto a = actors::upsert_remote(conn, test::remote_actor("far.example", "ann")).value();
  auto root = note(a, "root", 10);
  auto r1 = note(a, "r1", 20, "root");
  auto r2 = note(a, "r2", 30, "r1");
  auto old = note(a, "old", 1);  // a thread of its own, quiet since 1
  REQUIRE(posts::insert(conn, root));
  REQUIRE(posts::insert(conn, r1));
  REQUIRE(posts::insert(conn, r2));
  REQUIRE(posts::insert(conn, old));
  CHECK(posts::active_remote_threads(conn, 5, 10).value() ==
        std::vector<std::string>{"https://far.example/notes/r2"});
  CHECK(posts::active_remote_threads(conn, 0, 10).value().size() == 2);
  CHECK(posts::active_remote_threads(conn, 0, 1).value().size() == 1);
}

TEST_CASE("posts: count_replies_each counts a set of parents in one query, as count_replies") {
  auto conn = test::memory_db();
  auto a = actors::upsert_remote(conn, test::remote_actor("far.example", "ann")).value();
  REQUIRE(posts::insert(conn, note(a, "root", 1)));
  REQUIRE(posts::insert(conn, note(a, "r1", 20, "root")));
  REQUIRE(posts::insert(conn, note(a, "r2", 30, "root")));
  REQUIRE(posts::insert(conn, note(a, "r1a", 25, "r1")));
  REQUIRE(posts::insert(conn, note(a, "dm", 26, "root", Visibility::direct)));
  REQUIRE(posts::insert(conn, note(a, "fo", 27, "r1", Visibility::followers)));
  auto gone = posts::insert(conn, note(a, "gone", 28, "r2")).value();
  REQUIRE(posts::mark_deleted(conn, gone, 40));
  // A parent URI that needs escaping in JSON (remote input): quotes, a backslash, a control
  // character and non-ASCII text come back as the same bytes.
  const std::string odd = "https://far.example/notes/\"q\"\\b\x01/caf\xc3\xa9";
  auto odd_reply = note(a, "odd-reply", 29);
  odd_reply.in_reply_to = odd;
  REQUIRE(posts::insert(conn, odd_reply));

  const auto uri = [](const std::string& id) { return "https://far.example/notes/" + id; };
  const std::vector<std::string> parents{uri("root"), uri("r1"), uri("r2"), uri("r1a"),
                                         uri("root"), odd,       "",        uri("missing")};
  test::FullScans scans(conn);
  auto open = posts::count_replies_each(conn, parents, true).value();
  auto all = posts::count_replies_each(conn, parents, false).value();
  CHECK(scans.statements().empty());
  CHECK(open == std::unordered_map<std::string, std::int64_t>{
                    {uri("root"), 2}, {uri("r1"), 1}, {odd, 1}});
  CHECK(all == std::unordered_map<std::string, std::int64_t>{
                   {uri("root"), 3}, {uri("r1"), 2}, {odd, 1}});
  for (const auto& parent : parents) {
    const auto found = open.find(parent);
    const std::int64_t expected = found == open.end() ? 0 : found->second;
    CHECK(posts::count_replies(conn, parent, true).value() == expected);
  }
  CHECK(posts::count_replies_each(conn, {}, true).value().empty());
}
