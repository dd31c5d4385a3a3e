// Moderation that travels (issue 12, point 4), at the group's server: a moderator on another
// server removes a thread with Lemmy's Delete (tests/fixtures/activities/lemmy_remove_page.json),
// locks a thread, features it and blocks an author; the group applies it and announces the
// moderator's activity, unchanged, to its members. From anyone else it changes nothing.
#include "tests/unit/server/inbound/group_fixtures.hpp"

#include "storage/actors.hpp"
#include "storage/group_moderation.hpp"

using namespace civicpub;

namespace {

const std::string kPage = "https://lemmy.example/post/3141";
const std::string kComment = "https://lemmy.example/comment/2718";
const std::string kFrank = "https://lemmy.example/u/frank";
const std::string kRemoveId =
    "https://lemmy.example/activities/delete/5b2f8d1e-93a4-4c77-b0e2-7d6c1a9f3e40";
const std::string kPublic = "https://www.w3.org/ns/activitystreams#Public";

// A group with a Lemmy thread (a Page and a comment) announced to its member anna.
struct ModWorld : test::GroupWorld {
  test::RemoteActor dana = remote("https://lemmy.example/u/dana");
  test::RemoteActor erin = remote("https://lemmy.example/u/erin");
  test::RemoteActor frank = remote(kFrank);

  ModWorld() {
    join(anna, "1");
    deliver(dana, test::lemmy_to_group("lemmy_create_page.json", group.uri));
    deliver(erin, test::lemmy_to_group("lemmy_create_comment_note.json", group.uri));
    REQUIRE(announced() == 2);
  }
  void make_frank_moderator() {
    auto stored = run([&] { return resolver->resolve(kFrank); });
    REQUIRE(stored);
    add_moderator(*stored);
  }
  // frank's activity in Lemmy's shape (lock_page.json, add_featured_post.json, block_user.json).
  std::string by_frank(const std::string& n, const std::string& type, const std::string& object,
                       const std::string& target = {}) {
    std::string json = R"({"@context":"https://www.w3.org/ns/activitystreams","id":")" + kFrank +
                       "/activities/" + n + R"(","type":")" + type + R"(","actor":")" + kFrank +
                       R"(","to":[")" + kPublic + R"("],"cc":[")" + group.uri + R"("],"object":")" +
                       object + "\"";
    if (!target.empty()) json += R"(,"target":")" + target + "\"";
    return json + "}";
  }
  std::string undo_by_frank(const std::string& n, const std::string& undone) {
    return test::activity_json(kFrank + "/activities/" + n, "Undo", kFrank, undone);
  }
  // anna's reply in the Page's thread; whether the group announced it.
  bool reply_announced(const std::string& n) {
    test::NoteSpec reply;
    reply.id = test::kAnnaUri + "/statuses/" + n;
    reply.in_reply_to = kPage;
    reply.cc = group.uri;
    deliver(anna, test::create_of(test::kAnnaUri, reply, n));
    REQUIRE(post(reply.id));
    return read([&](storage::Connection& c) {
             return storage::groups::find_post(c, group.id, reply.id);
           })
        .has_value();
  }
  std::vector<std::string> featured() {
    return read(
        [&](storage::Connection& c) { return storage::groups::featured(c, group.id, 10, 0); });
  }
};

}  // namespace

TEST_CASE(
    "group moderation: Lemmy's removal by a remote moderator drops the thread and is announced") {
  ModWorld w;
  w.make_frank_moderator();
  const auto removal = test::lemmy_to_group("lemmy_remove_page.json", w.group.uri);
  w.deliver(w.frank, removal);

  CHECK(w.announced() == 0);  // the Page and its comment left the outbox
  REQUIRE(w.post(kPage));
  CHECK(w.post(kPage)->deleted_at);
  CHECK(w.post(kComment)->deleted_at);
  // The members hear of it: Announce{the moderator's Delete, unchanged}.
  int of_removal = 0;
  for (const auto& d : w.group_sent("Announce")) {
    auto doc = federation::as2::parse_json(d.body);
    REQUIRE(doc);
    const auto& object = (*doc)["object"];
    if (!object.IsObject() || federation::as2::member_id(object, "id") != kRemoveId) continue;
    ++of_removal;
    auto original = federation::as2::parse_json(removal);
    REQUIRE(original);
    CHECK(federation::to_json_text(object) == federation::to_json_text(*original));
    CHECK(d.inbox_url == "https://remote.example/inbox");  // anna's shared inbox
  }
  CHECK(of_removal == 1);
  // Mastodon saw the Page as the group's boost: that Announce is undone.
  CHECK(w.group_sent("Undo").size() == 1);

  SECTION("a redelivery announces nothing more") {
    w.process(kFrank, removal, w.frank.key_id);
    CHECK(w.group_sent("Undo").size() == 1);
  }
}

TEST_CASE("group moderation: a removal by someone who is no moderator changes nothing") {
  ModWorld w;
  w.deliver(w.frank, test::lemmy_to_group("lemmy_remove_page.json", w.group.uri));
  CHECK(w.announced() == 2);
  CHECK_FALSE(w.post(kPage)->deleted_at);
  CHECK(w.group_sent("Undo").empty());
}

TEST_CASE("group moderation: a locked thread takes no more replies, an unlocked one does") {
  ModWorld w;
  w.make_frank_moderator();
  const auto lock = w.by_frank("lock/1", "Lock", kPage);
  w.deliver(w.frank, lock);
  CHECK(w.group_sent("Announce").size() == 4);  // Page (twice), comment, Lock
  CHECK_FALSE(w.reply_announced("60"));
  CHECK(w.group_sent("Reject").size() == 1);

  w.deliver(w.frank, w.undo_by_frank("undo/1", lock));
  CHECK(w.reply_announced("61"));

  SECTION("a Lock by someone else is refused") {
    w.deliver(w.erin, test::activity_json("https://lemmy.example/u/erin/lock/2", "Lock",
                                          "https://lemmy.example/u/erin", test::quoted(kPage)));
    CHECK(w.reply_announced("62"));
  }
}

TEST_CASE("group moderation: a thread is featured with Add and unfeatured with Remove") {
  ModWorld w;
  w.make_frank_moderator();
  const auto featured_url = w.group.uri + "/featured";
  w.deliver(w.frank, w.by_frank("add/1", "Add", kPage, featured_url));
  CHECK(w.featured() == std::vector<std::string>{kPage});
  // Only a thread's top post can be featured.
  w.deliver(w.frank, w.by_frank("add/2", "Add", kComment, featured_url));
  CHECK(w.featured().size() == 1);
  w.deliver(w.frank, w.by_frank("remove/1", "Remove", kPage, featured_url));
  CHECK(w.featured().empty());
  CHECK(w.announced() == 2);  // Remove from featured removes no post
}

TEST_CASE("group moderation: an author blocked from the group gets Reject, until unblocked") {
  ModWorld w;
  w.make_frank_moderator();
  const auto block = w.by_frank("block/1", "Block", test::kAnnaUri, w.group.uri);
  w.deliver(w.frank, block);
  CHECK_FALSE(w.reply_announced("70"));
  CHECK(w.group_sent("Reject").size() == 1);
  w.deliver(w.frank, w.undo_by_frank("undo/2", block));
  CHECK(w.reply_announced("71"));
}
