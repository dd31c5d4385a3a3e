// Announces from a remote group (FEP-1b12), in Lemmy's shape (tests/fixtures/activities): the
// member's post a followed community passes on is taken, as refetched from its own server; a
// community no one here follows is ignored, and so is a post that is not its Create's actor's.
// A removal it announces applies when its actor is the post's author or listed in the
// community's moderators collection (its attributedTo, fetched).
#include "tests/unit/server/inbound/inbound_fixtures.hpp"

#include "federation/remote/post_store.hpp"
#include "storage/moderation.hpp"
#include "storage/post_details.hpp"
#include "tests/unit/support/fixture_files.hpp"

using namespace civicpub;

namespace {

const std::string kCommunity = "https://lemmy.example/c/townplanning";
const std::string kPage = "https://lemmy.example/post/3141";

struct LemmyWorld : test::InboundWorld {
  test::RemoteActor community = remote(kCommunity);
  test::RemoteActor dana = remote("https://lemmy.example/u/dana");

  LemmyWorld() {
    // The Page as Lemmy serves it at its id (the embedded Create's object).
    auto create = test::parse_fixture("activities/lemmy_create_page.json");
    transport.answer(kPage, 200, federation::to_json_text(create["object"]));
    // The community names its moderators collection in attributedTo, as Lemmy's Group does;
    // frank (lemmy_remove_page.json's actor) moderates it.
    std::string group = test::ActorDocument(kCommunity, community.keys.public_pem).json();
    const std::string person = R"("type":"Person")";
    group.replace(group.find(person), person.size(),
                  R"("type":"Group","attributedTo":")" + kCommunity + R"(/moderators")");
    transport.answer(kCommunity, 200, group);
    transport.answer(kCommunity + "/moderators", 200,
                     R"({"type":"OrderedCollection","id":")" + kCommunity +
                         R"(/moderators","orderedItems":["https://lemmy.example/u/frank"]})");
  }
  std::string announce() {
    return test::read_fixture("activities/lemmy_announce_create_page.json");
  }
};

}  // namespace

TEST_CASE("group announces: Lemmy's Announce of a Create(Page) by a followed community is taken") {
  LemmyWorld w;
  w.follow(kCommunity);
  w.deliver(w.community, w.announce());
  auto page = w.post(kPage);
  REQUIRE(page);
  CHECK(page->object_type == "Page");
  CHECK(page->name == "New cycle lane on Station Road: feedback thread");
  CHECK(page->author_id != 0);

  SECTION("a redelivery stores nothing new") {
    w.deliver(w.community, w.announce());
    CHECK(w.post(kPage)->id == page->id);
  }
}

TEST_CASE("group announces: a community no one here follows is ignored") {
  LemmyWorld w;
  w.deliver(w.community, w.announce());
  CHECK_FALSE(w.post(kPage));
}

TEST_CASE("group announces: a post its origin attributes to someone else is dropped") {
  LemmyWorld w;
  w.follow(kCommunity);
  auto create = test::parse_fixture("activities/lemmy_create_page.json");
  std::string page = federation::to_json_text(create["object"]);
  const std::string dana = "https://lemmy.example/u/dana";
  page.replace(page.find(dana), dana.size(), "https://lemmy.example/u/erin");
  w.transport.answer(kPage, 200, page);
  w.remote("https://lemmy.example/u/erin");
  w.deliver(w.community, w.announce());
  CHECK_FALSE(w.post(kPage));
}

TEST_CASE("group announces: Lemmy's Announce of a moderator's removal drops the post here") {
  LemmyWorld w;
  w.follow(kCommunity);
  w.deliver(w.community, w.announce());
  REQUIRE(w.post(kPage));
  const auto removal = test::read_fixture("activities/lemmy_announce_remove_page.json");

  SECTION("from the community: dropped, tombstoned") {
    w.deliver(w.community, removal);
    CHECK(w.post(kPage)->deleted_at);
    CHECK(w.read([&](storage::Connection& c) { return storage::tombstones::contains(c, kPage); }));
  }
  SECTION("by someone who is neither its author nor a moderator: kept") {
    std::string text = removal;
    const std::string frank = "https://lemmy.example/u/frank";
    text.replace(text.find(frank), frank.size(), "https://lemmy.example/u/gus");
    w.deliver(w.community, text);
    CHECK_FALSE(w.post(kPage)->deleted_at);
  }
  SECTION("when the community's moderators cannot be read: kept") {
    w.transport.answer(kCommunity + "/moderators", 404, "{}");
    w.deliver(w.community, removal);
    CHECK_FALSE(w.post(kPage)->deleted_at);
  }
  SECTION("by its author (dana deletes her own post): dropped") {
    std::string text = removal;
    const std::string frank = "https://lemmy.example/u/frank";
    text.replace(text.find(frank), frank.size(), "https://lemmy.example/u/dana");
    w.deliver(w.community, text);
    CHECK(w.post(kPage)->deleted_at);
  }
  SECTION("from another group, whose post it is not: kept") {
    auto other = w.remote("https://lemmy.example/c/other");
    w.follow(other.uri);
    std::string text = removal;
    const std::string from = R"("actor": ")" + kCommunity + "\"";
    text.replace(text.find(from), from.size(), R"("actor": ")" + other.uri + "\"");
    const std::string id = "https://lemmy.example/activities/announce/delete/";
    text.replace(text.find(id), id.size(), id + "x");
    w.deliver(other, text);
    CHECK_FALSE(w.post(kPage)->deleted_at);
  }
}

// Whether the stored post `uri` was hidden by moderation (posts.moderated).
bool moderated(LemmyWorld& w, const std::string& uri) {
  return w.read([&](storage::Connection& c) { return storage::moderation::post_hidden(c, uri); });
}

// Our account started the thread in the community (mentioning it); someone else replied. The
// community's moderator removes the thread: the reply is dropped here, and our own post is
// hidden like a moderated post (Lemmy marks a moderator's removal `removed` on the author's
// instance too), still stored for its author, not tombstoned. Before, ours stayed shown
// (test_fedify_groups.py asserted it); before that, the removal was ignored whole.
TEST_CASE("group announces: a moderator's removal of a thread we started hides ours too") {
  LemmyWorld w;
  w.follow(kCommunity);
  const auto reply = w.reply_to_town();
  w.deliver(w.anna, test::create_of(test::kAnnaUri, reply));
  REQUIRE(w.post(reply.id));
  REQUIRE(w.post(reply.id)->thread_root == w.town_post.ap_id);
  std::string removal = test::read_fixture("activities/lemmy_announce_remove_page.json");
  removal.replace(removal.find(kPage), kPage.size(), w.town_post.ap_id);
  const auto queued_before = w.queued().size();

  SECTION("our post mentions the community: the reply goes, ours is hidden as removed") {
    REQUIRE(w.db->write_sync([&](storage::Connection& c) {
      return storage::post_details::replace_mentions(c, w.town_post.id,
                                                     {{kCommunity, "@townplanning@lemmy.example"}});
    }));
    w.deliver(w.community, removal);
    CHECK(w.post(reply.id)->deleted_at);
    CHECK(w.tombstoned(reply.id));
    CHECK_FALSE(moderated(w, reply.id));
    REQUIRE(w.post(w.town_post.ap_id));
    CHECK(w.post(w.town_post.ap_id)->deleted_at);
    CHECK(moderated(w, w.town_post.ap_id));
    CHECK_FALSE(w.tombstoned(w.town_post.ap_id));
    CHECK(w.queued().size() == queued_before);  // nothing is sent about it
  }
  SECTION("our post mentions the community, the removal is not a moderator's: all stay") {
    REQUIRE(w.db->write_sync([&](storage::Connection& c) {
      return storage::post_details::replace_mentions(c, w.town_post.id,
                                                     {{kCommunity, "@townplanning@lemmy.example"}});
    }));
    const std::string frank = "https://lemmy.example/u/frank";
    removal.replace(removal.find(frank), frank.size(), "https://lemmy.example/u/gus");
    w.deliver(w.community, removal);
    CHECK_FALSE(w.post(reply.id)->deleted_at);
    CHECK_FALSE(w.post(w.town_post.ap_id)->deleted_at);
    CHECK_FALSE(moderated(w, w.town_post.ap_id));
  }
  SECTION("our post does not name the community: nothing is dropped") {
    w.deliver(w.community, removal);
    CHECK_FALSE(w.post(reply.id)->deleted_at);
    CHECK_FALSE(w.post(w.town_post.ap_id)->deleted_at);
  }
}
