// The thread owner's questions about a conversation: is it ours, and where do its remote
// participants receive activities.
#include "storage/thread_audience.hpp"
#include "tests/unit/storage/fixtures.hpp"
#include "tests/unit/storage/full_scans.hpp"
#include "storage/actors.hpp"
#include "storage/posts.hpp"

using namespace civicpub::storage;

namespace {

const std::string kRoot = "https://town.example/users/gemeente/statuses/1";
const std::string kContext = kRoot + "/context";

PostRecord post(std::int64_t author, const std::string& id, const std::string& parent,
                bool local = false) {
  PostRecord p;
  p.ap_id = id;
  p.author_id = author;
  p.local = local;
  p.in_reply_to = parent;
  p.thread_root = parent.empty() ? id : kRoot;
  p.context = kContext;
  p.content_html = "<p>x</p>";
  p.published = 10;
  return p;
}

}  // namespace

TEST_CASE("thread_audience: the local thread is found by its root, else by its context") {
  auto conn = test::memory_db();
  auto owner = actors::insert_local(conn, test::local_actor("gemeente")).value();
  auto ann = actors::upsert_remote(conn, test::remote_actor("far.example", "ann")).value();
  REQUIRE(posts::insert(conn, post(owner, kRoot, "", true)));

  auto by_root = thread_audience::find_local_thread(conn, kRoot, "").value();
  REQUIRE(by_root);
  CHECK(by_root->root == kRoot);
  CHECK(by_root->context == kContext);
  CHECK(by_root->owner_id == owner);
  // A reply whose parent is missing names the missing parent as its root, but keeps the context.
  auto by_context =
      thread_audience::find_local_thread(conn, "https://far.example/notes/missing", kContext)
          .value();
  REQUIRE(by_context);
  CHECK(by_context->root == kRoot);

  // A remote top post, a local reply, or nothing matching: not a local thread.
  auto remote_root = post(ann, "https://far.example/notes/top", "");
  remote_root.context = "https://far.example/contexts/top";
  REQUIRE(posts::insert(conn, remote_root));
  CHECK_FALSE(
      thread_audience::find_local_thread(conn, remote_root.ap_id, remote_root.context).value());
  auto local_reply =
      post(owner, "https://town.example/users/gemeente/statuses/2", remote_root.ap_id, true);
  local_reply.thread_root = remote_root.ap_id;
  local_reply.context = remote_root.context;
  REQUIRE(posts::insert(conn, local_reply));
  CHECK_FALSE(
      thread_audience::find_local_thread(conn, local_reply.ap_id, remote_root.context).value());
  CHECK_FALSE(thread_audience::find_local_thread(conn, "", "").value());
}

TEST_CASE("thread_audience: participant inboxes are remote, distinct, shared first, sorted") {
  auto conn = test::memory_db();
  auto owner = actors::insert_local(conn, test::local_actor("gemeente")).value();
  auto resident = actors::insert_local(conn, test::local_actor("piet")).value();
  auto ann = actors::upsert_remote(conn, test::remote_actor("far.example", "ann")).value();
  auto ben = actors::upsert_remote(conn, test::remote_actor("far.example", "ben")).value();
  auto cas = actors::upsert_remote(conn, test::remote_actor("solo.example", "cas", false)).value();
  auto dan = actors::upsert_remote(conn, test::remote_actor("gone.example", "dan")).value();
  auto eve = actors::upsert_remote(conn, test::remote_actor("elsewhere.example", "eve")).value();
  auto fay = actors::upsert_remote(conn, test::remote_actor("ctx.example", "fay")).value();
  REQUIRE(actors::mark_deleted(conn, dan, 50));

  REQUIRE(posts::insert(conn, post(owner, kRoot, "", true)));
  REQUIRE(posts::insert(conn, post(resident, kRoot + "0", kRoot, true)));
  REQUIRE(posts::insert(conn, post(ann, "https://far.example/notes/1", kRoot)));
  REQUIRE(posts::insert(conn, post(ben, "https://far.example/notes/2", kRoot)));
  auto deleted = posts::insert(conn, post(cas, "https://solo.example/notes/3", kRoot)).value();
  REQUIRE(posts::mark_deleted(conn, deleted, 60));
  REQUIRE(posts::insert(conn, post(dan, "https://gone.example/notes/4", kRoot)));
  // Another thread: not a participant.
  auto other = post(eve, "https://elsewhere.example/notes/5", "https://elsewhere.example/x");
  other.thread_root = "https://elsewhere.example/x";
  other.context = "https://elsewhere.example/ctx";
  REQUIRE(posts::insert(conn, other));
  // Linked only by context (its parent is not stored yet).
  auto gap = post(fay, "https://ctx.example/notes/6", "https://far.example/notes/missing");
  gap.thread_root = "https://far.example/notes/missing";
  REQUIRE(posts::insert(conn, gap));

  CHECK(thread_audience::participant_inboxes(conn, kRoot, kContext).value() ==
        std::vector<std::string>{"https://ctx.example/inbox", "https://far.example/inbox",
                                 "https://solo.example/users/cas/inbox"});
  CHECK(thread_audience::participant_inboxes(conn, kRoot, "").value() ==
        std::vector<std::string>{"https://far.example/inbox",
                                 "https://solo.example/users/cas/inbox"});
  CHECK(thread_audience::participant_inboxes(conn, "", "").value().empty());
}

TEST_CASE("thread_audience: both lookups use indexes, never a scan of every post") {
  auto conn = test::memory_db();
  auto owner = actors::insert_local(conn, test::local_actor("gemeente")).value();
  auto ann = actors::upsert_remote(conn, test::remote_actor("far.example", "ann")).value();
  REQUIRE(posts::insert(conn, post(owner, kRoot, "", true)));
  for (int i = 0; i < 20; ++i) {
    auto other = post(ann, "https://far.example/notes/" + std::to_string(i), "");
    other.context = "https://far.example/contexts/" + std::to_string(i);
    REQUIRE(posts::insert(conn, other));
  }

  test::FullScans scans(conn);
  REQUIRE(thread_audience::find_local_thread(conn, kRoot, kContext).value());
  REQUIRE(thread_audience::find_local_thread(conn, "", kContext).value());
  REQUIRE(thread_audience::participant_inboxes(conn, kRoot, kContext));
  CHECK(scans.statements() == std::vector<std::string>{});
}
