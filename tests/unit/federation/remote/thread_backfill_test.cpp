// ThreadBackfill (through RemotePosts::backfill): reading a thread's context collection page by
// page, crawling replies collections when there is none, and the limits: the thread's budget,
// the per-object failure cooldown, the thread cooldown, tombstones, and posts that are not part
// of the thread. Peers are canned answers of the fake transport.
#include "tests/unit/support/post_fixtures.hpp"

#include "federation/federation_error.hpp"
#include "storage/object_fetches.hpp"

using namespace civicpub;
using federation::BackfillSource;
using test::kAnnaUri;
using test::NoteSpec;
using test::PostsWorld;

namespace {

const std::string kContext = "https://remote.example/contexts/1";

std::string note_id(int n) {
  return kAnnaUri + "/statuses/" + std::to_string(n);
}

// A Mastodon-shaped Note with extra members (`"context":...` and the like) before the end.
std::string note_with(const NoteSpec& note, const std::string& extra) {
  std::string json = test::note_json(note);
  json.pop_back();
  return json + "," + extra + "}";
}

// Note n of the thread: note 1 is the top post, note n > 1 replies to `parent` (1 unless given).
NoteSpec thread_note(int n, int parent = 1) {
  NoteSpec note;
  note.id = note_id(n);
  note.content = "<p>note " + std::to_string(n) + "</p>";
  if (n > 1) note.in_reply_to = note_id(parent);
  return note;
}

void serve_in_context(PostsWorld& w, const NoteSpec& note) {
  w.transport.answer(note.id, 200, note_with(note, R"("context":")" + kContext + "\""));
}

std::string ids_json(const std::vector<int>& notes) {
  std::string json = "[";
  for (const int n : notes) json += (json.size() > 1 ? ",\"" : "\"") + note_id(n) + "\"";
  return json + "]";
}

// The context collection in civicpub's own shape: an OrderedCollection whose `first` page links
// to the `next` one, items as ids.
void serve_context_pages(PostsWorld& w, const std::vector<int>& page1,
                         const std::vector<int>& page2) {
  w.transport.answer(kContext, 200,
                     R"({"id":")" + kContext + R"(","type":"OrderedCollection","attributedTo":")" +
                         kAnnaUri + R"(","first":")" + kContext + R"(?page=1"})");
  w.transport.answer(
      kContext + "?page=1", 200,
      R"({"id":")" + kContext + R"(?page=1","type":"OrderedCollectionPage","partOf":")" + kContext +
          R"(","next":")" + kContext + R"(?page=2","orderedItems":)" + ids_json(page1) + "}");
  w.transport.answer(kContext + "?page=2", 200,
                     R"({"id":")" + kContext +
                         R"(?page=2","type":"OrderedCollectionPage","partOf":")" + kContext +
                         R"(","orderedItems":)" + ids_json(page2) + "}");
}

// The top post stored (as delivered or fetched), notes 2..5 served, the context in two pages.
void serve_thread(PostsWorld& w) {
  serve_in_context(w, thread_note(1));
  REQUIRE(w.run([&] { return w.posts.post(note_id(1)); }));
  for (int n = 2; n <= 5; ++n) serve_in_context(w, thread_note(n, n == 5 ? 2 : 1));
  serve_context_pages(w, {1, 2, 3}, {4, 5});
}

federation::RemotePostsSettings settings(int budget, std::chrono::milliseconds thread_cooldown =
                                                         std::chrono::minutes(10)) {
  federation::RemotePostsSettings s;
  s.thread_fetch_budget = budget;
  s.backfill.thread_cooldown = thread_cooldown;
  return s;
}

}  // namespace

TEST_CASE("backfill: the context collection is read page by page and missing posts fetched") {
  PostsWorld w;
  serve_thread(w);
  // Note 5 is stored already (delivered to us): listed, not fetched again.
  REQUIRE(w.run([&] { return w.posts.post(note_id(2)); }));
  REQUIRE(w.run([&] { return w.posts.post(note_id(5)); }));
  const auto requests_before = w.transport.requests.size();

  // Asked from a reply: the thread is the same.
  auto counts = w.run([&] { return w.posts.backfill(note_id(5)); });
  REQUIRE(counts);
  CHECK(counts->source == BackfillSource::context);
  CHECK(counts->listed == 5);
  CHECK(counts->fetched == 2);
  CHECK(counts->skipped == 0);
  CHECK(counts->pages == 3);
  for (int n = 1; n <= 5; ++n) {
    auto post = w.post(note_id(n));
    REQUIRE(post);
    CHECK(post->thread_root == note_id(1));
    CHECK(post->context == kContext);
  }
  CHECK(w.post(note_id(4))->content_html == "<p>note 4</p>");
  // The collection, its two pages, notes 3 and 4: nothing else.
  CHECK(w.transport.requests.size() - requests_before == 5);
  CHECK(w.transport.fetches(note_id(5)) == 1);
  CHECK(w.transport.requests.back().header("Signature"));
}

TEST_CASE("backfill: the thread's budget stops it, pages included") {
  // 3 pages + 1 post = a budget of 4.
  PostsWorld w(settings(4, std::chrono::milliseconds(0)));
  serve_thread(w);
  auto counts = w.run([&] { return w.posts.backfill(note_id(1)); });
  REQUIRE(counts);
  CHECK(counts->source == BackfillSource::context);
  CHECK(counts->listed == 5);
  CHECK(counts->fetched == 1);
  CHECK(counts->skipped == 3);
  CHECK(w.post(note_id(2)));
  CHECK_FALSE(w.post(note_id(3)));
  CHECK(w.transport.fetches(note_id(3)) == 0);
  CHECK(w.read([&](storage::Connection& c) {
    return storage::object_fetches::count_for_thread(c, note_id(1), 0);
  }) == 4);

  // Spent for the window: the next backfill reads no page at all; a day later it goes on.
  const auto before = w.transport.requests.size();
  auto again = w.run([&] { return w.posts.backfill(note_id(1)); });
  REQUIRE(again);
  CHECK(again->fetched == 0);
  CHECK(w.transport.requests.size() == before);
  w.now += 25LL * 3600 * 1000;
  auto later = w.run([&] { return w.posts.backfill(note_id(1)); });
  REQUIRE(later);
  CHECK(later->fetched == 1);
  CHECK(w.post(note_id(3)));
}

TEST_CASE("backfill: a failed object is not asked for again within the cooldown") {
  PostsWorld w(settings(100, std::chrono::milliseconds(0)));
  serve_thread(w);
  w.transport.answer(note_id(3), 500, "{}");
  auto first = w.run([&] { return w.posts.backfill(note_id(1)); });
  REQUIRE(first);
  CHECK(first->fetched == 3);
  CHECK(first->skipped == 1);
  CHECK(w.transport.fetches(note_id(3)) == 1);

  serve_in_context(w, thread_note(3));
  auto second = w.run([&] { return w.posts.backfill(note_id(1)); });
  REQUIRE(second);
  CHECK(second->fetched == 0);
  CHECK(second->skipped == 1);
  CHECK(w.transport.fetches(note_id(3)) == 1);

  w.now += 11 * 60 * 1000;
  auto third = w.run([&] { return w.posts.backfill(note_id(1)); });
  REQUIRE(third);
  CHECK(third->fetched == 1);
  CHECK(w.post(note_id(3)));
}

TEST_CASE("backfill: a thread backfilled recently is not read again") {
  PostsWorld w;
  serve_thread(w);
  REQUIRE(w.run([&] { return w.posts.backfill(note_id(1)); })->fetched == 4);
  const auto before = w.transport.requests.size();
  auto again = w.run([&] { return w.posts.backfill(note_id(3)); });
  REQUIRE(again);
  CHECK(again->source == BackfillSource::recent);
  CHECK(w.transport.requests.size() == before);
  w.now += 11 * 60 * 1000;
  auto later = w.run([&] { return w.posts.backfill(note_id(3)); });
  REQUIRE(later);
  CHECK(later->source == BackfillSource::context);
  CHECK(later->fetched == 0);
}

TEST_CASE("backfill: tombstoned ids are skipped without a request") {
  PostsWorld w;
  serve_thread(w);
  REQUIRE(w.db->write_sync([&](storage::Connection& c) {
    return storage::tombstones::add(c, note_id(4), test::kNow);
  }));
  auto counts = w.run([&] { return w.posts.backfill(note_id(1)); });
  REQUIRE(counts);
  CHECK(counts->fetched == 3);
  CHECK(counts->skipped == 1);
  CHECK(w.transport.fetches(note_id(4)) == 0);
  CHECK_FALSE(w.post(note_id(4)));
}

TEST_CASE("backfill: embedded items are taken by id only and fetched from their origin") {
  PostsWorld w;
  serve_in_context(w, thread_note(1));
  REQUIRE(w.run([&] { return w.posts.post(note_id(1)); }));
  serve_in_context(w, thread_note(2));
  serve_in_context(w, thread_note(3));
  // Items embedded as a forged Note and as a Create activity (FEP-f228), in `items` of a
  // Collection whose first page is embedded too.
  const std::string forged = R"({"id":")" + note_id(2) + R"(","type":"Note","attributedTo":")" +
                             kAnnaUri + R"(","content":"<p>forged</p>"})";
  const std::string create = R"({"id":")" + note_id(3) + R"(/activity","type":"Create","actor":")" +
                             kAnnaUri + R"(","object":{"id":")" + note_id(3) +
                             R"(","type":"Note","content":"<p>forged</p>"}})";
  w.transport.answer(
      kContext, 200,
      R"({"id":")" + kContext + R"(","type":"Collection","first":{"type":"CollectionPage",)" +
          R"("partOf":")" + kContext + R"(","items":[)" + forged + "," + create + "]}}");
  auto counts = w.run([&] { return w.posts.backfill(note_id(1)); });
  REQUIRE(counts);
  CHECK(counts->source == BackfillSource::context);
  CHECK(counts->listed == 2);
  CHECK(counts->fetched == 2);
  CHECK(counts->pages == 1);
  CHECK(w.post(note_id(2))->content_html == "<p>note 2</p>");
  CHECK(w.post(note_id(3))->content_html == "<p>note 3</p>");
  CHECK(w.transport.fetches(note_id(2)) == 1);
}

TEST_CASE("backfill: a listed post that is not part of the thread is not stored") {
  PostsWorld w;
  serve_thread(w);
  NoteSpec stranger;
  stranger.id = note_id(9);  // no context, replies to nothing in the thread
  w.serve_note(stranger);
  serve_context_pages(w, {1, 2, 9}, {3});
  auto counts = w.run([&] { return w.posts.backfill(note_id(1)); });
  REQUIRE(counts);
  CHECK(counts->fetched == 2);
  CHECK(counts->skipped == 1);
  CHECK_FALSE(w.post(note_id(9)));
}

TEST_CASE("backfill: without a context, replies collections are crawled from the top") {
  PostsWorld w;
  const std::string replies1 = note_id(1) + "/replies";
  const std::string replies2 = note_id(2) + "/replies";
  // Mastodon's shape: a Collection with an embedded first CollectionPage (`items`, `next`).
  NoteSpec top = thread_note(1);
  std::string top_extra;
  SECTION("no context at all") {}
  SECTION("a context that cannot be read") {
    top_extra = R"("context":")" + kContext + "\",";
    w.transport.answer(kContext, 500, "{}");
  }
  top_extra += R"("replies":{"id":")" + replies1 +
                          R"(","type":"Collection","first":{"type":"CollectionPage","next":")" +
                          replies1 + R"(?page=true","partOf":")" + replies1 +
                          R"(","items":[")" + note_id(2) + R"("]}})";
  w.transport.answer(top.id, 200, note_with(top, top_extra));
  w.transport.answer(replies1 + "?page=true", 200,
                     R"({"id":")" + replies1 + R"(?page=true","type":"CollectionPage","partOf":")" +
                         replies1 + R"(","items":[")" + note_id(3) + "\"]}");
  // Note 2's replies: a link to a Collection whose first page is a link as well.
  w.transport.answer(note_id(2), 200,
                     note_with(thread_note(2), R"("replies":")" + replies2 + "\""));
  w.transport.answer(
      replies2, 200,
      R"({"id":")" + replies2 + R"(","type":"Collection","first":")" + replies2 + R"(?page=1"})");
  w.transport.answer(replies2 + "?page=1", 200,
                     R"({"id":")" + replies2 + R"(?page=1","type":"CollectionPage","items":[")" +
                         note_id(4) + "\"]}");
  w.serve_note(thread_note(3));
  w.serve_note(thread_note(4, 2));
  REQUIRE(w.run([&] { return w.posts.post(note_id(1)); }));

  auto counts = w.run([&] { return w.posts.backfill(note_id(1)); });
  REQUIRE(counts);
  CHECK(counts->source == BackfillSource::replies);
  CHECK(counts->listed == 3);
  CHECK(counts->fetched == 3);
  CHECK(counts->pages == 3);
  for (int n = 2; n <= 4; ++n) {
    REQUIRE(w.post(note_id(n)));
    CHECK(w.post(note_id(n))->thread_root == note_id(1));
  }
  CHECK(w.post(note_id(4))->in_reply_to == note_id(2));
}

TEST_CASE("backfill: a thread whose top post is ours is complete") {
  PostsWorld w;
  auto counts = w.run([&] { return w.posts.backfill(w.town_post.ap_id); });
  REQUIRE(counts);
  CHECK(counts->source == BackfillSource::local);
  CHECK(w.transport.requests.empty());
  auto missing = w.run([&] { return w.posts.backfill(note_id(1)); });
  REQUIRE_FALSE(missing);
  CHECK(missing.error() == federation::FederationError::object_not_found);
}
