// Create, Update and Delete of remote posts through the inbox: sanitizing, threads whose
// parents arrive late, tombstones, origin rules (only the author changes a post; an embedded
// object from another origin is refetched), and dropping what concerns no one here.
#include "tests/unit/server/inbound/inbound_fixtures.hpp"

#include "federation/federation_error.hpp"
#include "storage/statement.hpp"

using namespace civicpub;
using test::create_of;
using test::InboundWorld;
using test::kAnnaUri;
using test::kBobUri;
using test::NoteSpec;

namespace {

const std::string kNote1 = kAnnaUri + "/statuses/1";
const std::string kNote2 = kAnnaUri + "/statuses/2";

}  // namespace

TEST_CASE("posts in: a Mastodon reply to a local post is stored sanitized, once") {
  InboundWorld w;
  NoteSpec note;
  note.id = kNote1;
  note.in_reply_to = w.town_post.ap_id;
  note.cc = w.local.uri;
  note.content =
      R"(<p><span class=\"h-card\"><a href=\"https://town.example/@gemeente\" class=\"u-url mention\">@<span>gemeente</span></a></span> Agreed<script>alert(1)</script> <a href=\"javascript:alert(2)\">click</a> <a href=\"https://town.example/tags/plan\" class=\"mention hashtag\" rel=\"tag\">#<span>Plan</span></a></p>)";
  note.tag =
      R"([{"type":"Mention","href":")" + w.local.uri +
      R"(","name":"@gemeente@town.example"},{"type":"Hashtag","href":"https://town.example/tags/plan","name":"#Plan"}])";
  note.summary = "<p>CW &amp; more</p>";
  const auto body = create_of(kAnnaUri, note);
  w.deliver(w.anna, body);

  auto stored = w.post(kNote1);
  REQUIRE(stored);
  CHECK_FALSE(stored->local);
  CHECK(stored->in_reply_to == w.town_post.ap_id);
  CHECK(stored->thread_root == w.town_post.ap_id);
  CHECK(stored->context == w.town_post.context);  // joins the local conversation
  CHECK(stored->visibility == storage::Visibility::public_);
  CHECK(stored->content_html.find("script") == std::string::npos);
  CHECK(stored->content_html.find("alert") == std::string::npos);
  CHECK(stored->content_html.find("javascript") == std::string::npos);
  CHECK(stored->content_html.find("Agreed") != std::string::npos);
  CHECK(stored->content_html.find("click") != std::string::npos);
  CHECK(stored->content_html.find("href=\"https://town.example/@gemeente\"") != std::string::npos);
  CHECK(stored->summary == "CW & more");
  CHECK(stored->sensitive);
  CHECK(stored->published == 1767225600000);
  CHECK(stored->url == kNote1 + "/html");
  auto mentions = w.read(
      [&](storage::Connection& c) { return storage::post_details::mentions(c, stored->id); });
  REQUIRE(mentions.size() == 1);
  CHECK(mentions[0].actor_uri == w.local.uri);
  auto hashtags = w.read(
      [&](storage::Connection& c) { return storage::post_details::hashtags(c, stored->id); });
  REQUIRE(hashtags.size() == 1);
  CHECK(hashtags[0].name == "plan");

  // The same Create again (another activity id: a retry after a crash) changes nothing.
  REQUIRE(w.process(kAnnaUri, create_of(kAnnaUri, note, "again")));
  CHECK(w.read([&](storage::Connection& c) {
    return storage::posts::count_replies(c, w.town_post.ap_id, false);
  }) == 1);
}

TEST_CASE("posts in: a reply that arrives before its parent is linked when the parent comes") {
  InboundWorld w;
  w.follow(kAnnaUri);
  // The reply's parent (kNote1) cannot be fetched yet: the fake answers 404.
  NoteSpec reply;
  reply.id = kNote2;
  reply.in_reply_to = kNote1;
  w.deliver(w.anna, create_of(kAnnaUri, reply, "2"));
  auto early = w.post(kNote2);
  REQUIRE(early);
  CHECK(early->thread_root == kNote1);  // the best root known so far
  CHECK(w.transport.fetches(kNote1) == 1);

  // Then the parent arrives, itself a reply to the town's post.
  NoteSpec parent;
  parent.id = kNote1;
  parent.in_reply_to = w.town_post.ap_id;
  w.deliver(w.anna, create_of(kAnnaUri, parent, "1"));
  auto linked = w.post(kNote2);
  REQUIRE(linked);
  CHECK(linked->thread_root == w.town_post.ap_id);
  CHECK(w.post(kNote1)->thread_root == w.town_post.ap_id);
}

TEST_CASE("posts in: a Create after the Delete of its id is ignored") {
  InboundWorld w;
  w.follow(kAnnaUri);
  w.deliver(w.anna, test::activity_json(kAnnaUri + "/delete/1", "Delete", kAnnaUri,
                                        R"({"id":")" + kNote1 + R"(","type":"Tombstone"})"));
  CHECK(w.tombstoned(kNote1));
  NoteSpec note;
  note.id = kNote1;
  w.deliver(w.anna, create_of(kAnnaUri, note));
  CHECK_FALSE(w.post(kNote1));
}

TEST_CASE("posts in: only the author updates a post, from its own host") {
  InboundWorld w;
  w.follow(kAnnaUri);
  NoteSpec note;
  note.id = kNote1;
  note.content = "<p>first</p>";
  w.deliver(w.anna, create_of(kAnnaUri, note));
  REQUIRE(w.post(kNote1));

  SECTION("someone on another host") {
    NoteSpec forged = note;
    forged.author = kBobUri;
    forged.content = "<p>forged</p>";
    auto r = w.process(kBobUri, test::activity_json(kBobUri + "/upd/1", "Update", kBobUri,
                                                    test::note_json(forged)));
    CHECK_FALSE(r);
    CHECK(w.post(kNote1)->content_html == "<p>first</p>");
    CHECK_FALSE(w.post(kNote1)->updated);
  }
  SECTION("someone else on the author's host") {
    const std::string carl_uri = "https://remote.example/users/carl";
    auto carl = w.remote(carl_uri);
    NoteSpec forged = note;
    forged.content = "<p>forged</p>";  // still attributed to anna
    w.deliver(carl, test::activity_json(carl_uri + "/upd/1", "Update", carl_uri,
                                        test::note_json(forged)));
    CHECK(w.post(kNote1)->content_html == "<p>first</p>");
  }
  SECTION("the author: content re-sanitized, edit time kept") {
    NoteSpec edited = note;
    edited.content = "<p>second<script>x()</script></p>";
    edited.updated = "2026-01-02T10:00:00.123456Z";
    edited.tag = R"([{"type":"Hashtag","href":"https://remote.example/tags/x","name":"#X"}])";
    w.deliver(w.anna, test::activity_json(kAnnaUri + "/upd/2", "Update", kAnnaUri,
                                          test::note_json(edited)));
    auto after = w.post(kNote1);
    CHECK(after->content_html == "<p>second</p>");
    REQUIRE(after->updated);
    CHECK(*after->updated == 1767348000123);
    auto tags = w.read(
        [&](storage::Connection& c) { return storage::post_details::hashtags(c, after->id); });
    REQUIRE(tags.size() == 1);
    CHECK(tags[0].name == "x");
  }
}

TEST_CASE("posts in: Delete by the author keeps a tombstone - others cannot delete") {
  InboundWorld w;
  w.follow(kAnnaUri);
  NoteSpec note;
  note.id = kNote1;
  w.deliver(w.anna, create_of(kAnnaUri, note));

  auto refused = w.process(
      kBobUri, test::activity_json(kBobUri + "/del/1", "Delete", kBobUri, test::quoted(kNote1)));
  CHECK_FALSE(refused);
  CHECK_FALSE(w.post(kNote1)->deleted_at);
  CHECK_FALSE(w.tombstoned(kNote1));

  w.deliver(w.anna, test::activity_json(kAnnaUri + "/del/1", "Delete", kAnnaUri,
                                        R"({"id":")" + kNote1 + R"(","type":"Tombstone"})"));
  CHECK(w.post(kNote1)->deleted_at == test::kNow);
  CHECK(w.tombstoned(kNote1));
  // A local post cannot be deleted from outside.
  CHECK_FALSE(w.process(kAnnaUri, test::activity_json(kAnnaUri + "/del/2", "Delete", kAnnaUri,
                                                      test::quoted(w.town_post.ap_id))));
  CHECK_FALSE(w.post(w.town_post.ap_id)->deleted_at);
}

TEST_CASE("posts in: an embedded object from another origin is refetched - the fetched copy wins") {
  InboundWorld w;
  w.follow(kAnnaUri);
  NoteSpec real;
  real.id = kNote1;
  real.content = "<p>real</p>";
  w.serve_note(real);
  NoteSpec forged = real;
  forged.content = "<p>forged</p>";
  w.deliver(w.bob, create_of(kBobUri, forged));
  auto stored = w.post(kNote1);
  REQUIRE(stored);
  CHECK(stored->content_html == "<p>real</p>");
  CHECK(w.transport.fetches(kNote1) == 1);

  SECTION("an object given by id only is fetched too") {
    NoteSpec other;
    other.id = kNote2;
    other.content = "<p>by id</p>";
    w.serve_note(other);
    w.deliver(w.anna, test::activity_json(kAnnaUri + "/create/9", "Create", kAnnaUri,
                                          test::quoted(kNote2)));
    REQUIRE(w.post(kNote2));
    CHECK(w.post(kNote2)->content_html == "<p>by id</p>");
  }
}

TEST_CASE("posts in: an embedded post attributed to someone else than the actor is refused") {
  InboundWorld w;
  w.follow(kAnnaUri);
  const std::string carl_uri = "https://remote.example/users/carl";
  auto carl = w.remote(carl_uri);
  NoteSpec note;
  note.id = kNote1;  // anna's post, sent by carl from the same host
  auto r = w.process(carl_uri, create_of(carl_uri, note));
  CHECK_FALSE(r);
  CHECK(r.error() == federation::FederationError::origin_mismatch);
  CHECK_FALSE(w.post(kNote1));
}

TEST_CASE("posts in: a Create that concerns no one here is dropped") {
  InboundWorld w;
  NoteSpec note;
  note.id = kNote1;
  w.deliver(w.anna, create_of(kAnnaUri, note));
  CHECK_FALSE(w.post(kNote1));
  CHECK(w.log_text.str().find("concerns no one here") != std::string::npos);

  SECTION("addressing a local account is enough") {
    NoteSpec direct;
    direct.id = kNote2;
    direct.to = w.local.uri;
    w.deliver(w.anna, create_of(kAnnaUri, direct, "2"));
    REQUIRE(w.post(kNote2));
  }
}

TEST_CASE("posts in: a reply's unknown parents are fetched when it arrives") {
  InboundWorld w;
  NoteSpec top;
  top.id = kAnnaUri + "/statuses/10";
  top.in_reply_to = w.town_post.ap_id;
  w.serve_note(top);
  NoteSpec middle;
  middle.id = kAnnaUri + "/statuses/11";
  middle.in_reply_to = top.id;
  w.serve_note(middle);
  NoteSpec reply;
  reply.id = kAnnaUri + "/statuses/12";
  reply.in_reply_to = middle.id;
  reply.cc = w.local.uri;
  w.deliver(w.anna, create_of(kAnnaUri, reply));
  REQUIRE(w.post(reply.id));
  REQUIRE(w.post(middle.id));
  REQUIRE(w.post(top.id));
  CHECK(w.post(reply.id)->thread_root == w.town_post.ap_id);
  CHECK(w.post(middle.id)->thread_root == w.town_post.ap_id);
}

TEST_CASE("posts in: a post of a conversation stored here (same context) concerns us") {
  InboundWorld w;
  NoteSpec note;
  note.id = kAnnaUri + "/statuses/5";
  note.in_reply_to = kAnnaUri + "/statuses/unknown";  // neither stored nor served
  SECTION("a reply across a gap that addresses the thread's owner (FEP-7888 senders do)") {
    note.cc = w.local.uri;
  }
  SECTION("merely claiming one of our threads' context does not (issue 11)") {}
  std::string json = test::note_json(note);
  json.pop_back();
  json += R"(,"context":")" + w.town_post.context + R"("})";
  w.deliver(w.anna, test::activity_json(kAnnaUri + "/create/5", "Create", kAnnaUri, json));
  auto stored = w.post(note.id);
  if (note.cc.empty()) {
    CHECK_FALSE(stored);
  } else {
    REQUIRE(stored);
    CHECK(stored->context == w.town_post.context);
  }
}

// Group commit (issue 15): the worker takes queued activities in batches, in parallel lanes.
TEST_CASE("posts in: a batch with a Create, Update and Delete of one post applies them in order") {
  InboundWorld w;
  w.follow(kAnnaUri);
  w.follow(kBobUri);
  NoteSpec anna_note;
  anna_note.id = kNote1;
  anna_note.content = "<p>first</p>";
  NoteSpec edited = anna_note;
  edited.content = "<p>second</p>";
  edited.updated = "2026-01-02T10:00:00Z";
  NoteSpec bob_note;
  bob_note.id = kBobUri + "/statuses/1";
  bob_note.author = kBobUri;
  // Queued together, so one batch of the worker: anna's note, bob's, anna's edit, bob's delete.
  REQUIRE(w.accept(w.cavage_post(w.anna, create_of(kAnnaUri, anna_note))));
  REQUIRE(w.accept(w.cavage_post(w.bob, create_of(kBobUri, bob_note))));
  REQUIRE(w.accept(w.cavage_post(
      w.anna, test::activity_json(kAnnaUri + "/upd/1", "Update", kAnnaUri,
                                  test::note_json(edited)))));
  REQUIRE(w.accept(w.cavage_post(
      w.bob, test::activity_json(kBobUri + "/delete/1", "Delete", kBobUri,
                                 R"({"id":")" + bob_note.id + R"(","type":"Tombstone"})"))));
  const auto items = w.pending_items();
  REQUIRE(items.size() == 4);

  SECTION("processed and marked") {}
  SECTION("processed, then a crash before the batch was marked: processed again, no change") {
    for (const auto& item : items) {
      auto handled = w.run([&] { return w.worker.process(item); });
      REQUIRE(handled);
    }
    CHECK(w.pending_items().size() == 4);  // nothing marked
  }
  CHECK(w.run([&] { return w.worker.process_pending(); }) == 4);
  CHECK(w.pending_items().empty());
  auto stored = w.post(kNote1);
  REQUIRE(stored);
  CHECK(stored->content_html == "<p>second</p>");
  CHECK(stored->updated);
  auto deleted = w.post(bob_note.id);
  REQUIRE(deleted);
  CHECK(deleted->deleted_at);
  CHECK(w.tombstoned(bob_note.id));
  const auto remote_posts = w.read([](storage::Connection& c) -> Result<std::int64_t> {
    auto s = storage::Statement::prepare(c, "SELECT COUNT(*) FROM posts WHERE local = 0");
    if (!s) return s.error();
    auto row = s->step();
    if (!row) return row.error();
    return s->column_int64(0);
  });
  CHECK(remote_posts == 2);  // each stored once
  const auto done = w.read([](storage::Connection& c) {
    return storage::inbox_items::count_by_state(c, storage::InboxState::done);
  });
  CHECK(done == 4);
}
