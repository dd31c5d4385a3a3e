// Posting to a civic group from another server (issue 12; FEP-1b12): membership by Follow, the
// group's Announce of the member's activity (embedded unchanged) plus the bare post for a new
// thread, replies inside the group's threads that do not name the group (lemmy#2218), and the
// Reject of a post the group's rules refuse.
#include "tests/unit/server/inbound/group_fixtures.hpp"

#include "federation/as2/reader.hpp"
#include "federation/remote/post_store.hpp"
#include "storage/deliveries.hpp"
#include "storage/follows.hpp"
#include "storage/groups.hpp"
#include "tests/unit/support/fixture_files.hpp"

#include <set>

using namespace civicpub;

namespace {

const std::string kAnna = test::kAnnaUri;
const std::string kBob = test::kBobUri;
using test::GroupWorld;
using test::lemmy_to_group;

std::string canonical(const rapidjson::Value& v) {
  return federation::to_json_text(v);
}

}  // namespace

TEST_CASE("group: a Follow of a group makes a member and is accepted") {
  GroupWorld w;
  w.join(w.anna, "1");
  auto members = w.read(
      [&](storage::Connection& c) { return storage::follows::count_followers(c, w.group.id); });
  CHECK(members == 1);
  CHECK(w.group_sent("Accept").size() == 1);

  SECTION("Undo of the Follow leaves the group") {
    w.deliver(w.anna,
              test::activity_json(kAnna + "/undo/1", "Undo", kAnna,
                                  test::follow_json(kAnna + "/follows/1", kAnna, w.group.uri)));
    CHECK(w.read([&](storage::Connection& c) {
      return storage::follows::count_followers(c, w.group.id);
    }) == 0);
  }
}

TEST_CASE("group: a member's new thread is announced, activity unchanged, plus the bare post") {
  GroupWorld w;
  w.join(w.anna, "1");
  w.join(w.bob, "1");
  test::NoteSpec note;
  note.id = kAnna + "/statuses/10";
  note.cc = w.group.uri;  // Lemmy's way: the group in the addressing
  const std::string create = test::create_of(kAnna, note, "10");
  w.deliver(w.anna, create);

  REQUIRE(w.post(note.id));
  CHECK(w.announced() == 1);
  auto announces = w.group_sent("Announce");
  // Two servers (remote.example and other.example), two Announces each.
  REQUIRE(announces.size() == 4);
  std::set<std::string> inboxes;
  int of_activity = 0;
  int of_object = 0;
  for (const auto& d : announces) {
    inboxes.insert(d.inbox_url);
    auto doc = federation::as2::parse_json(d.body);
    REQUIRE(doc);
    CHECK(federation::as2::member_id(*doc, "actor") == w.group.uri);
    const auto* object = federation::as2::find_member(*doc, "object");
    REQUIRE(object);
    if (object->IsObject()) {
      ++of_activity;
      auto original = federation::as2::parse_json(create);
      REQUIRE(original);
      CHECK(canonical(*object) == canonical(*original));  // embedded unchanged (FEP-1b12)
    } else {
      ++of_object;
      CHECK(object->GetString() == note.id);
    }
  }
  CHECK(of_activity == 2);
  CHECK(of_object == 2);
  CHECK(inboxes.size() == 2);

  SECTION("a redelivery announces nothing new") {
    w.process(kAnna, create, w.anna.key_id);
    CHECK(w.group_sent("Announce").size() == 4);
    CHECK(w.announced() == 1);
  }

  SECTION("a reply addressing only the thread's author is announced in the group (lemmy#2218)") {
    test::NoteSpec reply;
    reply.id = kBob + "/statuses/11";
    reply.author = kBob;
    reply.in_reply_to = note.id;
    reply.cc = kAnna;  // no group in to, cc or audience
    const std::string reply_create = test::create_of(kBob, reply, "11");
    w.deliver(w.bob, reply_create);
    CHECK(w.announced() == 2);
    int reply_announces = 0;
    for (const auto& d : w.group_sent("Announce")) {
      if (d.body.find(kBob + "/create/11") != std::string::npos) ++reply_announces;
    }
    // The activity to both servers; no Announce of the bare reply (Mastodon timelines).
    CHECK(reply_announces == 2);
    CHECK(w.group_sent("Announce").size() == 6);
  }

  SECTION("a post that names no group and is in no group thread is not announced") {
    test::NoteSpec other;
    other.id = kBob + "/statuses/12";
    other.author = kBob;
    other.cc = w.local.uri;
    w.deliver(w.bob, test::create_of(kBob, other, "12"));
    REQUIRE(w.post(other.id));
    CHECK(w.announced() == 1);
  }
}

TEST_CASE("group: a members-only group refuses a stranger's post with a Reject") {
  GroupWorld w(/*members_only=*/true);
  w.join(w.anna, "1");
  test::NoteSpec note;
  note.id = kBob + "/statuses/20";
  note.author = kBob;
  note.cc = w.group.uri;
  w.deliver(w.bob, test::create_of(kBob, note, "20"));
  CHECK(w.announced() == 0);
  CHECK(w.group_sent("Announce").empty());
  auto rejects = w.group_sent("Reject");
  REQUIRE(rejects.size() == 1);
  CHECK(rejects[0].inbox_url == kBob + "/inbox");
  auto doc = federation::as2::parse_json(rejects[0].body);
  REQUIRE(doc);
  CHECK(federation::as2::member_id(*doc, "object") == kBob + "/create/20");

  SECTION("the member's post is announced") {
    test::NoteSpec ok;
    ok.id = kAnna + "/statuses/21";
    ok.cc = w.group.uri;
    w.deliver(w.anna, test::create_of(kAnna, ok, "21"));
    CHECK(w.announced() == 1);
  }
}

TEST_CASE("group: where only moderators start threads, a member's new thread is refused") {
  GroupWorld w(false, /*mods_only=*/true);
  w.join(w.anna, "1");
  test::NoteSpec note;
  note.id = kAnna + "/statuses/30";
  note.cc = w.group.uri;
  w.deliver(w.anna, test::create_of(kAnna, note, "30"));
  CHECK(w.announced() == 0);
  CHECK(w.group_sent("Reject").size() == 1);
}

TEST_CASE("group: a followers-only post naming the group is not announced") {
  GroupWorld w;
  w.join(w.anna, "1");
  test::NoteSpec note;
  note.id = kAnna + "/statuses/40";
  note.to = kAnna + "/followers";
  note.cc = w.group.uri;
  w.deliver(w.anna, test::create_of(kAnna, note, "40"));
  CHECK(w.announced() == 0);
  CHECK(w.group_sent("Announce").empty());
  CHECK(w.group_sent("Reject").empty());
}

TEST_CASE("group: Lemmy's Create of a Page and of a comment Note are taken and announced") {
  GroupWorld w;
  auto dana = w.remote("https://lemmy.example/u/dana");
  auto erin = w.remote("https://lemmy.example/u/erin");
  // Lemmy addresses the community in cc and audience of the Create, in to and audience of the
  // Page; here the community is our group.
  w.deliver(dana, lemmy_to_group("lemmy_create_page.json", w.group.uri));
  auto page = w.post("https://lemmy.example/post/3141");
  REQUIRE(page);
  CHECK(page->object_type == "Page");
  CHECK(page->name == "New cycle lane on Station Road: feedback thread");
  CHECK(w.announced() == 1);

  w.deliver(erin, lemmy_to_group("lemmy_create_comment_note.json", w.group.uri));
  auto comment = w.post("https://lemmy.example/comment/2718");
  REQUIRE(comment);
  CHECK(comment->in_reply_to == page->ap_id);
  CHECK(comment->thread_root == page->ap_id);
  CHECK(w.announced() == 2);
  auto posts = w.read(
      [&](storage::Connection& c) { return storage::groups::posts_page(c, w.group.id, 10, 0); });
  REQUIRE(posts.size() == 2);
  CHECK(posts[0].thread_root == page->ap_id);  // the comment belongs to the Page's thread
  CHECK(posts[0].activity_uri ==
        "https://lemmy.example/activities/create/0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a");
}
