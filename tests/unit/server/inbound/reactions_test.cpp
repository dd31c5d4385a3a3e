// Like and Announce of posts we store, and Undo of both: counted once, only for our posts, and
// only the reacting actor can take them back.
#include "tests/unit/server/inbound/inbound_fixtures.hpp"

#include "storage/inbox_items.hpp"
#include "storage/posts.hpp"
#include "storage/reactions.hpp"

using namespace civicpub;

namespace {

const std::string kAnna = test::kAnnaUri;
const std::string kBob = test::kBobUri;
const std::string kPostUri = "https://town.example/users/gemeente/statuses/1";

// The inbound world; the post reacted to is the town's post (kPostUri).
struct ReactionWorld : test::InboundWorld {
  std::int64_t post_id = town_post.id;

  ReactionWorld() { REQUIRE(town_post.ap_id == kPostUri); }

  std::int64_t add_post(const std::string& uri, std::int64_t author, storage::Visibility v) {
    storage::PostRecord p;
    p.ap_id = uri;
    p.author_id = author;
    p.local = author == local.id;
    p.thread_root = uri;
    p.visibility = v;
    p.content_html = "<p>Road works on Main Street</p>";
    p.published = now;
    auto id = db->write_sync([&](storage::Connection& c) { return storage::posts::insert(c, p); });
    REQUIRE(id);
    return *id;
  }

  std::int64_t count(std::int64_t post, storage::ReactionKind kind) {
    return read([&](storage::Connection& c) { return storage::reactions::count(c, post, kind); });
  }
  std::int64_t likes(std::int64_t post) { return count(post, storage::ReactionKind::like); }
  std::int64_t announces(std::int64_t post) { return count(post, storage::ReactionKind::announce); }
  std::int64_t failed() {
    return read([](storage::Connection& c) {
      return storage::inbox_items::count_by_state(c, storage::InboxState::failed);
    });
  }
};

// Mastodon's Like: a bare object id, an opaque fragment id.
std::string like_json(const std::string& id, const std::string& actor, const std::string& object) {
  return R"({"@context":"https://www.w3.org/ns/activitystreams","id":")" + id +
         R"(","type":"Like","actor":")" + actor + R"(","object":")" + object + R"("})";
}

// Mastodon's Announce: addressed like the post, `published`, the post as a bare id.
std::string announce_json(const std::string& id, const std::string& actor,
                          const std::string& object) {
  return R"({"@context":"https://www.w3.org/ns/activitystreams","id":")" + id +
         R"(","type":"Announce","actor":")" + actor +
         R"(","published":"2026-01-01T00:00:00Z","to":["https://www.w3.org/ns/activitystreams#Public"],"cc":[")" +
         actor + R"(/followers"],"object":")" + object + R"("})";
}

std::string undo_json(const std::string& id, const std::string& actor,
                      const std::string& embedded) {
  return R"({"@context":"https://www.w3.org/ns/activitystreams","id":")" + id +
         R"(","type":"Undo","actor":")" + actor + R"(","object":)" + embedded + "}";
}

}  // namespace

TEST_CASE("reactions: a Like of our post is counted once, however often it arrives") {
  ReactionWorld w;
  const std::string like = like_json(kAnna + "#likes/1", kAnna, kPostUri);
  w.deliver(w.anna, like);
  CHECK(w.likes(w.post_id) == 1);
  CHECK(w.announces(w.post_id) == 0);
  // The liker was resolved and stored.
  CHECK(w.read([](storage::Connection& c) { return storage::actors::find_by_uri(c, kAnna); }));

  SECTION("the same activity processed again") {
    storage::InboxItemRecord item;
    item.body = like;
    REQUIRE(w.run([&] { return w.worker.process(item); }));
    CHECK(w.likes(w.post_id) == 1);
  }
  SECTION("a second Like of the same post by the same actor, with a new id") {
    w.deliver(w.anna, like_json(kAnna + "#likes/2", kAnna, kPostUri));
    CHECK(w.likes(w.post_id) == 1);
  }
  SECTION("another actor's Like counts") {
    w.deliver(w.bob, like_json(kBob + "#likes/9", kBob, kPostUri));
    CHECK(w.likes(w.post_id) == 2);
  }
}

TEST_CASE("reactions: Likes of posts we do not store are ignored") {
  ReactionWorld w;
  w.deliver(w.anna, like_json(kAnna + "#likes/1", kAnna, "https://elsewhere.example/notes/1"));
  w.deliver(w.anna, like_json(kAnna + "#likes/2", kAnna, "https://town.example/users/gemeente"));
  CHECK(w.likes(w.post_id) == 0);
  CHECK(w.failed() == 0);
  CHECK(w.log_text.str().find("not a post we have") != std::string::npos);

  SECTION("nor is a Like of a deleted post") {
    REQUIRE(w.db->write_sync(
        [&](storage::Connection& c) { return storage::posts::mark_deleted(c, w.post_id, w.now); }));
    w.deliver(w.anna, like_json(kAnna + "#likes/3", kAnna, kPostUri));
    CHECK(w.likes(w.post_id) == 0);
  }
}

TEST_CASE("reactions: a Like of a remote post we store counts too") {
  ReactionWorld w;
  auto carl = w.run([&] { return w.resolver->resolve(kBob); });
  REQUIRE(carl);
  const std::string remote_post = kBob + "/statuses/5";
  const auto id = w.add_post(remote_post, carl->id, storage::Visibility::public_);
  w.deliver(w.anna, like_json(kAnna + "#likes/1", kAnna, remote_post));
  CHECK(w.likes(id) == 1);
  CHECK(w.likes(w.post_id) == 0);
}

TEST_CASE("reactions: Undo of a Like") {
  ReactionWorld w;
  const std::string like_id = kAnna + "#likes/1";
  w.deliver(w.anna, like_json(like_id, kAnna, kPostUri));
  REQUIRE(w.likes(w.post_id) == 1);

  SECTION("Mastodon embeds the Like: matched by its id") {
    w.deliver(w.anna,
              undo_json(kAnna + "#likes/1/undo", kAnna, like_json(like_id, kAnna, kPostUri)));
    CHECK(w.likes(w.post_id) == 0);
  }
  SECTION("an embedded Like with an id we never saw: matched on actor and post") {
    w.deliver(w.anna,
              undo_json(kAnna + "#undo/2", kAnna, like_json(kAnna + "#other", kAnna, kPostUri)));
    CHECK(w.likes(w.post_id) == 0);
  }
  SECTION("a bare id") {
    w.deliver(w.anna, R"({"id":")" + kAnna + R"(#undo/3","type":"Undo","actor":")" + kAnna +
                          R"(","object":")" + like_id + R"("})");
    CHECK(w.likes(w.post_id) == 0);
  }
  SECTION("Lemmy's shape: the Like without @context") {
    w.deliver(w.anna, undo_json("https://remote.example/activities/undo/1", kAnna,
                                R"({"actor":")" + kAnna + R"(","object":")" + kPostUri +
                                    R"(","type":"Like","id":")" + like_id + R"("})"));
    CHECK(w.likes(w.post_id) == 0);
  }
  SECTION("an Undo of the Like of the wrong kind removes nothing") {
    w.deliver(w.anna, undo_json(kAnna + "#undo/4", kAnna,
                                announce_json(kAnna + "#other", kAnna, kPostUri)));
    CHECK(w.likes(w.post_id) == 1);
  }
  SECTION("the Undo processed twice is harmless") {
    const std::string undo =
        undo_json(kAnna + "#likes/1/undo", kAnna, like_json(like_id, kAnna, kPostUri));
    w.deliver(w.anna, undo);
    storage::InboxItemRecord item;
    item.body = undo;
    REQUIRE(w.run([&] { return w.worker.process(item); }));
    CHECK(w.likes(w.post_id) == 0);
    CHECK(w.failed() == 0);
  }
}

TEST_CASE("reactions: only the actor who liked can undo the Like") {
  ReactionWorld w;
  const std::string like_id = kAnna + "#likes/1";
  w.deliver(w.anna, like_json(like_id, kAnna, kPostUri));
  w.deliver(w.bob, like_json(kBob + "#likes/1", kBob, kPostUri));
  REQUIRE(w.likes(w.post_id) == 2);

  SECTION("bob names anna's Like by id") {
    w.deliver(w.bob, R"({"id":")" + kBob + R"(#undo/1","type":"Undo","actor":")" + kBob +
                         R"(","object":")" + like_id + R"("})");
    CHECK(w.likes(w.post_id) == 2);
  }
  SECTION("bob embeds anna's Like") {
    w.deliver(w.bob, undo_json(kBob + "#undo/2", kBob, like_json(like_id, kAnna, kPostUri)));
    CHECK(w.likes(w.post_id) == 2);
  }
  SECTION("bob undoes his own: anna's stays") {
    w.deliver(w.bob,
              undo_json(kBob + "#undo/3", kBob, like_json(kBob + "#likes/1", kBob, kPostUri)));
    CHECK(w.likes(w.post_id) == 1);
  }
}

TEST_CASE("reactions: Announce of our post, and its Undo") {
  ReactionWorld w;
  const std::string announce_id = kAnna + "/statuses/77/activity";
  w.deliver(w.anna, announce_json(announce_id, kAnna, kPostUri));
  CHECK(w.announces(w.post_id) == 1);
  CHECK(w.likes(w.post_id) == 0);
  w.deliver(w.anna, announce_json(announce_id, kAnna, kPostUri));  // a redelivery
  CHECK(w.announces(w.post_id) == 1);

  SECTION("Undo with the Announce embedded") {
    w.deliver(w.anna,
              undo_json(announce_id + "/undo", kAnna, announce_json(announce_id, kAnna, kPostUri)));
    CHECK(w.announces(w.post_id) == 0);
  }
  SECTION("Undo by someone else changes nothing") {
    w.deliver(w.bob, undo_json(kBob + "#undo", kBob, announce_json(announce_id, kAnna, kPostUri)));
    CHECK(w.announces(w.post_id) == 1);
  }
}

TEST_CASE("reactions: Announces that are not boosts of our public posts are ignored") {
  ReactionWorld w;
  SECTION("a group's Announce of an activity (FEP-1b12)") {
    const std::string create =
        R"({"id":"https://remote.example/activities/create/1","type":"Create","actor":")" + kBob +
        R"(","object":{"id":")" + kPostUri + R"(","type":"Note"}})";
    w.deliver(
        w.anna,
        R"({"id":"https://remote.example/activities/announce/1","type":"Announce","actor":")" +
            kAnna + R"(","object":)" + create + "}");
    CHECK(w.announces(w.post_id) == 0);
    CHECK(w.failed() == 0);
  }
  SECTION("an embedded Note we store counts like its id") {
    w.deliver(w.anna, R"({"id":")" + kAnna +
                          R"(/statuses/78/activity","type":"Announce","actor":")" + kAnna +
                          R"(","object":{"id":")" + kPostUri + R"(","type":"Note"}})");
    CHECK(w.announces(w.post_id) == 1);
  }
  SECTION("a followers-only post cannot be boosted by others") {
    const std::string hidden = "https://town.example/users/gemeente/statuses/2";
    const auto id = w.add_post(hidden, w.local.id, storage::Visibility::followers);
    w.deliver(w.anna, announce_json(kAnna + "/statuses/79/activity", kAnna, hidden));
    CHECK(w.announces(id) == 0);
    // A Like of it still counts.
    w.deliver(w.anna, like_json(kAnna + "#likes/5", kAnna, hidden));
    CHECK(w.likes(id) == 1);
  }
  SECTION("an unknown post") {
    w.deliver(w.anna, announce_json(kAnna + "/statuses/80/activity", kAnna,
                                    "https://elsewhere.example/notes/1"));
    CHECK(w.announces(w.post_id) == 0);
    CHECK(w.failed() == 0);
  }
}
