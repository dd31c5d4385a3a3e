// Thread authority (issue 5): activities about posts in a thread owned here are forwarded, as
// received, to the thread's audience; a reply to one of our posts in a thread owned elsewhere is
// passed on to the owner.
#include "tests/unit/server/inbound/inbound_fixtures.hpp"

#include "storage/deliveries.hpp"

#include <algorithm>

using namespace civicpub;
using test::create_of;
using test::InboundWorld;
using test::kAnnaUri;
using test::kBobUri;
using test::kNow;
using test::kOlgaUri;
using test::NoteSpec;

namespace {

const std::string kAnnaReply = kAnnaUri + "/statuses/1";
const std::string kBobReply = kBobUri + "/statuses/2";
const std::string kOlgaRoot = kOlgaUri + "/statuses/1";
const std::string kOlgaContext = "https://owner.example/contexts/1";

struct AuthorityWorld : InboundWorld {
  storage::ActorRecord stored_remote(const std::string& host, const std::string& name,
                                     bool shared = true) {
    auto a = test::remote_actor(host, name);
    if (!shared) a.shared_inbox.clear();
    a.created_at = a.updated_at = a.fetched_at = now;
    auto id = db->write_sync(
        [&](storage::Connection& c) { return storage::actors::upsert_remote(c, a); });
    REQUIRE(id);
    a.id = *id;
    return a;
  }

  // `follower` follows gemeente (accepted).
  void followed_by(const storage::ActorRecord& follower) {
    storage::FollowRecord f;
    f.follower_id = follower.id;
    f.target_id = local.id;
    f.state = storage::FollowState::accepted;
    f.activity_uri = follower.uri + "#follow";
    f.created_at = f.updated_at = now;
    REQUIRE(db->write_sync([&](storage::Connection& c) { return storage::follows::upsert(c, f); }));
  }

  storage::PostRecord store_post(storage::PostRecord p) {
    auto id = db->write_sync([&](storage::Connection& c) { return storage::posts::insert(c, p); });
    REQUIRE(id);
    p.id = *id;
    return p;
  }

  // The queued deliveries of `activity_id`, sorted by inbox.
  std::vector<storage::DeliveryRecord> queued(const std::string& activity_id) {
    auto rows =
        read([&](storage::Connection& c) { return storage::deliveries::due(c, now, 1000); });
    std::erase_if(rows, [&](const auto& d) { return d.activity_id != activity_id; });
    std::sort(rows.begin(), rows.end(),
              [](const auto& a, const auto& b) { return a.inbox_url < b.inbox_url; });
    return rows;
  }
  static std::vector<std::string> inboxes(const std::vector<storage::DeliveryRecord>& rows) {
    std::vector<std::string> out;
    for (const auto& r : rows) out.push_back(r.inbox_url);
    return out;
  }
};

// anna replies to the town's post; bob replies to anna (depth 2, addressing only anna).
NoteSpec anna_reply(const AuthorityWorld& w) {
  NoteSpec n;
  n.id = kAnnaReply;
  n.in_reply_to = w.town_post.ap_id;
  n.cc = w.local.uri;
  n.tag = R"([{"type":"Mention","href":")" + w.local.uri + R"(","name":"@gemeente@town.example"}])";
  return n;
}
NoteSpec bob_reply() {
  NoteSpec n;
  n.id = kBobReply;
  n.author = kBobUri;
  n.in_reply_to = kAnnaReply;
  n.cc = kAnnaUri;
  n.tag = R"([{"type":"Mention","href":")" + kAnnaUri + R"(","name":"@anna@remote.example"}])";
  return n;
}

}  // namespace

TEST_CASE(
    "authority: a reply at depth 2 in our thread goes, as received, to the thread's audience") {
  AuthorityWorld w;
  // Followers: two behind one shared inbox, one with a personal inbox only, one on bob's server.
  w.followed_by(w.stored_remote("far.example", "f1"));
  w.followed_by(w.stored_remote("far.example", "f2"));
  w.followed_by(w.stored_remote("solo.example", "f3", false));
  w.followed_by(w.stored_remote("other.example", "f4"));
  // Another participant, on a third server.
  auto carl = w.stored_remote("third.example", "carl");
  storage::PostRecord carl_post;
  carl_post.ap_id = "https://third.example/users/carl/statuses/9";
  carl_post.author_id = carl.id;
  carl_post.in_reply_to = w.town_post.ap_id;
  carl_post.thread_root = w.town_post.ap_id;
  carl_post.context = w.town_post.context;
  carl_post.published = kNow - 1000;
  w.store_post(carl_post);

  w.deliver(w.anna, create_of(kAnnaUri, anna_reply(w), "1"));
  const auto bob_body = create_of(kBobUri, bob_reply(), "2");
  const int woken_before = w.enqueued_calls;
  w.deliver(w.bob, bob_body);

  REQUIRE(w.post(kBobReply));
  auto rows = w.queued(kBobUri + "/create/2");
  // bob's own server (other.example) is left out: it sent the reply.
  CHECK(AuthorityWorld::inboxes(rows) ==
        std::vector<std::string>{"https://far.example/inbox", "https://remote.example/inbox",
                                 "https://solo.example/users/f3/inbox",
                                 "https://third.example/inbox"});
  for (const auto& r : rows) {
    CHECK(r.body == bob_body);        // the original bytes, unchanged
    CHECK(r.actor_id == w.local.id);  // signed by the thread owner
  }
  CHECK(w.enqueued_calls == woken_before + 1);

  // anna's reply (depth 1) went out too, without her own server.
  auto anna_rows = w.queued(kAnnaUri + "/create/1");
  CHECK(AuthorityWorld::inboxes(anna_rows) ==
        std::vector<std::string>{"https://far.example/inbox", "https://other.example/inbox",
                                 "https://solo.example/users/f3/inbox",
                                 "https://third.example/inbox"});

  SECTION("processing the same activity again forwards nothing new") {
    REQUIRE(w.process(kBobUri, bob_body, w.bob.key_id));
    CHECK(w.queued(kBobUri + "/create/2").size() == rows.size());
    // A redelivery through the inbox is not even processed again.
    w.deliver(w.bob, bob_body);
    CHECK(w.queued(kBobUri + "/create/2").size() == rows.size());
  }
  SECTION("the HTTP signer's server is left out too (a reply forwarded to us)") {
    NoteSpec again = bob_reply();
    again.id = kBobUri + "/statuses/3";
    const auto body = create_of(kBobUri, again, "3");
    REQUIRE(w.process(kBobUri, body, "https://third.example/users/carl#main-key"));
    CHECK(AuthorityWorld::inboxes(w.queued(kBobUri + "/create/3")) ==
          std::vector<std::string>{"https://far.example/inbox", "https://remote.example/inbox",
                                   "https://solo.example/users/f3/inbox"});
  }
  SECTION("Update and Delete of the reply are forwarded the same way") {
    NoteSpec edited = bob_reply();
    edited.content = "<p>edited</p>";
    edited.updated = "2026-01-01T01:00:00Z";
    const auto update =
        test::activity_json(kBobUri + "/update/1", "Update", kBobUri, test::note_json(edited));
    w.deliver(w.bob, update);
    CHECK(w.post(kBobReply)->content_html == "<p>edited</p>");
    auto updates = w.queued(kBobUri + "/update/1");
    CHECK(AuthorityWorld::inboxes(updates) == AuthorityWorld::inboxes(rows));
    for (const auto& r : updates) CHECK(r.body == update);

    const auto del = test::activity_json(kBobUri + "/delete/1", "Delete", kBobUri,
                                         R"({"id":")" + kBobReply + R"(","type":"Tombstone"})");
    w.deliver(w.bob, del);
    CHECK(w.post(kBobReply)->deleted_at);
    auto deletes = w.queued(kBobUri + "/delete/1");
    CHECK(AuthorityWorld::inboxes(deletes) == AuthorityWorld::inboxes(rows));
    for (const auto& r : deletes) CHECK(r.body == del);
  }
}

TEST_CASE("authority: a followers-only or direct reply is not forwarded") {
  AuthorityWorld w;
  w.followed_by(w.stored_remote("far.example", "f1"));
  w.deliver(w.anna, create_of(kAnnaUri, anna_reply(w), "1"));
  REQUIRE_FALSE(w.queued(kAnnaUri + "/create/1").empty());

  NoteSpec quiet = bob_reply();
  SECTION("followers-only") {
    quiet.to = kBobUri + "/followers";
  }
  SECTION("direct") {
    quiet.to = kAnnaUri;
  }
  w.follow(kBobUri);  // so the post concerns us and is stored
  w.deliver(w.bob, create_of(kBobUri, quiet, "2"));
  auto stored = w.post(kBobReply);
  REQUIRE(stored);
  CHECK(stored->visibility != storage::Visibility::public_);
  CHECK(w.queued(kBobUri + "/create/2").empty());
}

TEST_CASE("authority: an activity about a post that is not the actor's own is not forwarded") {
  AuthorityWorld w;
  w.followed_by(w.stored_remote("far.example", "f1"));
  w.deliver(w.anna, create_of(kAnnaUri, anna_reply(w), "1"));
  // carl, on anna's server, sends an Update of anna's reply: refused by the handler.
  const std::string carl_uri = "https://remote.example/users/carl";
  auto carl = w.remote(carl_uri);
  NoteSpec forged = anna_reply(w);
  forged.content = "<p>forged</p>";
  w.deliver(carl,
            test::activity_json(carl_uri + "/upd/1", "Update", carl_uri, test::note_json(forged)));
  CHECK(w.queued(carl_uri + "/upd/1").empty());
}

namespace {

// A thread owned by olga on owner.example; the town replied to it (a local post in her thread).
struct RemoteThreadWorld : AuthorityWorld {
  test::RemoteActor olga = remote(kOlgaUri);
  storage::PostRecord our_reply;

  explicit RemoteThreadWorld(bool root_stored) {
    followed_by(stored_remote("far.example", "f1"));
    if (root_stored) {
      REQUIRE(run([&] { return resolver->resolve(kOlgaUri); }));
      auto owner =
          read([&](storage::Connection& c) { return storage::actors::find_by_uri(c, kOlgaUri); });
      REQUIRE(owner);
      storage::PostRecord root;
      root.ap_id = kOlgaRoot;
      root.author_id = owner->id;
      root.thread_root = kOlgaRoot;
      root.context = kOlgaContext;
      root.published = kNow - 5000;
      store_post(root);
    }
    our_reply.ap_id = local.uri + "/statuses/7";
    our_reply.author_id = local.id;
    our_reply.local = true;
    our_reply.in_reply_to = kOlgaRoot;
    our_reply.thread_root = kOlgaRoot;
    our_reply.context = kOlgaContext;
    our_reply.published = kNow - 4000;
    our_reply = store_post(our_reply);
  }

  NoteSpec reply_to_us(const std::string& author) const {
    NoteSpec n;
    n.id = author + "/statuses/5";
    n.author = author;
    n.in_reply_to = our_reply.ap_id;
    n.cc = local.uri;
    n.tag = R"([{"type":"Mention","href":")" + local.uri + R"(","name":"@gemeente@town.example"}])";
    return n;
  }
};

}  // namespace

TEST_CASE("authority: a reply to our post in a thread owned elsewhere is passed on to the owner") {
  SECTION("the owner is the stored top post's author") {
    RemoteThreadWorld w(true);
    const auto body = create_of(kAnnaUri, w.reply_to_us(kAnnaUri), "5");
    w.deliver(w.anna, body);
    REQUIRE(w.post(kAnnaUri + "/statuses/5"));
    auto rows = w.queued(kAnnaUri + "/create/5");
    REQUIRE(rows.size() == 1);  // the owner only: not our followers, it is not our thread
    CHECK(rows[0].inbox_url == "https://owner.example/inbox");
    CHECK(rows[0].body == body);
    CHECK(rows[0].actor_id == w.local.id);
    CHECK(w.transport.fetches(kOlgaContext) == 0);
  }
  SECTION("the owner is the context collection's attributedTo when the top post is not stored") {
    RemoteThreadWorld w(false);
    w.transport.answer(kOlgaContext, 200,
                       R"({"@context":"https://www.w3.org/ns/activitystreams","id":")" +
                           kOlgaContext + R"(","type":"OrderedCollection","attributedTo":")" +
                           kOlgaUri + R"(","totalItems":2})");
    const auto body = create_of(kAnnaUri, w.reply_to_us(kAnnaUri), "5");
    w.deliver(w.anna, body);
    auto rows = w.queued(kAnnaUri + "/create/5");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].inbox_url == "https://owner.example/inbox");
    CHECK(rows[0].body == body);
    CHECK(w.transport.fetches(kOlgaContext) == 1);
  }
  SECTION("a context naming an owner on another server is not believed") {
    RemoteThreadWorld w(false);
    w.transport.answer(kOlgaContext, 200,
                       R"({"id":")" + kOlgaContext +
                           R"(","type":"OrderedCollection","attributedTo":")" + kBobUri + R"("})");
    w.deliver(w.anna, create_of(kAnnaUri, w.reply_to_us(kAnnaUri), "5"));
    REQUIRE(w.post(kAnnaUri + "/statuses/5"));
    CHECK(w.queued(kAnnaUri + "/create/5").empty());
  }
}

TEST_CASE("authority: nothing is passed on when the activity came from the owner's server") {
  RemoteThreadWorld w(true);
  SECTION("sent by the owner") {
    w.deliver(w.olga, create_of(kOlgaUri, w.reply_to_us(kOlgaUri), "5"));
    REQUIRE(w.post(kOlgaUri + "/statuses/5"));
    CHECK(w.queued(kOlgaUri + "/create/5").empty());
  }
  SECTION("forwarded to us by the owner's server") {
    const auto body = create_of(kAnnaUri, w.reply_to_us(kAnnaUri), "5");
    REQUIRE(w.process(kAnnaUri, body, w.olga.key_id));
    REQUIRE(w.post(kAnnaUri + "/statuses/5"));
    CHECK(w.queued(kAnnaUri + "/create/5").empty());
  }
}

namespace {

std::string with_context(const NoteSpec& note, const std::string& context) {
  std::string json = test::note_json(note);
  json.insert(json.size() - 1, R"(,"context":")" + context + "\"");
  return json;
}

std::int64_t in_context(AuthorityWorld& w, const std::string& context) {
  return w.read(
      [&](storage::Connection& c) { return storage::posts::count_by_context(c, context, false); });
}

}  // namespace

TEST_CASE("authority: a post that merely claims our thread's context is not forwarded or listed") {
  // Issue 11 item 7: claiming a conversation's `context` is not taking part in it.
  AuthorityWorld w;
  w.followed_by(w.stored_remote("far.example", "f1"));
  w.follow(kBobUri);  // bob's posts concern us, so they are stored
  const std::string context = w.town_post.context;
  const auto listed_before = in_context(w, context);
  NoteSpec claim;
  claim.id = kBobUri + "/statuses/7";
  claim.author = kBobUri;
  SECTION("not a reply") {}
  SECTION("a reply to a post we do not hold, addressing nobody of the thread") {
    claim.in_reply_to = "https://other.example/users/x/statuses/1";
  }
  SECTION("a reply to a stored post of another conversation") {
    auto carl = w.stored_remote("third.example", "carl");
    storage::PostRecord elsewhere;
    elsewhere.ap_id = "https://third.example/users/carl/statuses/5";
    elsewhere.author_id = carl.id;
    elsewhere.thread_root = elsewhere.ap_id;
    elsewhere.published = kNow - 1000;
    w.store_post(elsewhere);
    claim.in_reply_to = elsewhere.ap_id;
  }
  const std::string body = test::activity_json(kBobUri + "/create/7", "Create", kBobUri,
                                               with_context(claim, context));
  w.deliver(w.bob, body);
  auto stored = w.post(claim.id);
  REQUIRE(stored);
  CHECK(stored->context != context);
  CHECK(w.queued(kBobUri + "/create/7").empty());
  CHECK(in_context(w, context) == listed_before);
}

TEST_CASE("authority: a reply with a gap in its chain that addresses the owner joins the thread") {
  // The other side of the rule above: a reply whose parent has not reached us yet, naming the
  // thread's owner, keeps the context it claims (FEP-7888 backfill relies on it).
  AuthorityWorld w;
  const std::string context = w.town_post.context;
  NoteSpec reply;
  reply.id = kBobUri + "/statuses/8";
  reply.author = kBobUri;
  reply.in_reply_to = "https://other.example/users/x/statuses/1";
  reply.cc = w.local.uri;
  reply.tag = R"([{"type":"Mention","href":")" + w.local.uri + R"(","name":"@gemeente"}])";
  w.deliver(w.bob, test::activity_json(kBobUri + "/create/8", "Create", kBobUri,
                                       with_context(reply, context)));
  auto stored = w.post(reply.id);
  REQUIRE(stored);
  CHECK(stored->context == context);
}
