#include "storage/post_details.hpp"
#include "tests/unit/storage/fixtures.hpp"
#include "storage/actors.hpp"
#include "storage/object_fetches.hpp"
#include "storage/posts.hpp"
#include "storage/reactions.hpp"

using namespace civicpub::storage;

using test::a_post;

TEST_CASE("post_details: mentions, hashtags and attachments are replaced as a set") {
  auto conn = test::memory_db();
  auto a = actors::upsert_remote(conn, test::remote_actor("far.example", "ann")).value();
  auto p = a_post(conn, a, "1");

  REQUIRE(post_details::replace_mentions(
      conn, p,
      {{"https://town.example/users/gemeente", "@gemeente@town.example"},
       {"https://b.example/users/bo", "@bo@b.example"},
       {"https://town.example/users/gemeente", "@dup"}}));
  auto m = post_details::mentions(conn, p).value();
  REQUIRE(m.size() == 2);
  CHECK(m[0].actor_uri == "https://town.example/users/gemeente");
  CHECK(m[0].name == "@gemeente@town.example");
  CHECK(m[1].name == "@bo@b.example");
  REQUIRE(post_details::replace_mentions(conn, p, {{"https://c.example/u/cy", "@cy@c.example"}}));
  CHECK(post_details::mentions(conn, p).value().size() == 1);

  REQUIRE(post_details::replace_hashtags(
      conn, p, {{"verkeer", "https://far.example/tags/verkeer"}, {"plein", ""}}));
  auto h = post_details::hashtags(conn, p).value();
  REQUIRE(h.size() == 2);
  CHECK(h[0].name == "plein");
  CHECK(h[1].href == "https://far.example/tags/verkeer");

  AttachmentRecord img;
  img.type = "Image";
  img.media_type = "image/png";
  img.url = "https://far.example/media/1.png";
  img.name = "A map of the square";
  img.width = 640;
  img.height = 480;
  AttachmentRecord doc;
  doc.url = "https://far.example/media/plan.pdf";
  REQUIRE(post_details::replace_attachments(conn, p, {img, doc}));
  auto at = post_details::attachments(conn, p).value();
  REQUIRE(at.size() == 2);
  CHECK(at[0].type == "Image");
  CHECK(at[0].name == "A map of the square");
  CHECK(at[0].width == 640);
  CHECK(at[1].type == "Document");
  CHECK_FALSE(at[1].width);
  REQUIRE(post_details::replace_attachments(conn, p, {}));
  CHECK(post_details::attachments(conn, p).value().empty());
}

TEST_CASE("reactions: counted per post and kind - idempotent - undone by activity or by match") {
  auto conn = test::memory_db();
  auto a = actors::upsert_remote(conn, test::remote_actor("far.example", "ann")).value();
  auto b = actors::upsert_remote(conn, test::remote_actor("b.example", "bo")).value();
  auto p = a_post(conn, a, "1");
  auto like = [&](std::int64_t actor, const std::string& id, ReactionKind k = ReactionKind::like) {
    ReactionRecord r;
    r.activity_uri = id;
    r.kind = k;
    r.actor_id = actor;
    r.post_id = p;
    r.created_at = 5;
    return reactions::add(conn, r).value();
  };
  CHECK(like(a, "https://far.example/likes/1"));
  CHECK_FALSE(like(a, "https://far.example/likes/1"));  // redelivered
  CHECK_FALSE(like(a, "https://far.example/likes/2"));  // a second Like by the same actor
  CHECK(like(b, "https://b.example/likes/1"));
  CHECK(like(b, "https://b.example/announces/1", ReactionKind::announce));
  CHECK(reactions::count(conn, p, ReactionKind::like).value() == 2);
  CHECK(reactions::count(conn, p, ReactionKind::announce).value() == 1);

  // Only the actor who made it can undo it.
  CHECK_FALSE(reactions::remove_by_activity(conn, "https://b.example/likes/1", a).value());
  CHECK(reactions::remove_by_activity(conn, "https://b.example/likes/1", b).value());
  CHECK(reactions::remove(conn, ReactionKind::announce, b, p).value());
  CHECK_FALSE(reactions::remove(conn, ReactionKind::announce, b, p).value());
  CHECK(reactions::count(conn, p, ReactionKind::like).value() == 1);
  CHECK(reactions::count(conn, p, ReactionKind::announce).value() == 0);
}

TEST_CASE("object_fetches: attempts, failures, success and the per-thread count") {
  auto conn = test::memory_db();
  CHECK_FALSE(object_fetches::find(conn, "https://far.example/notes/1").value());
  REQUIRE(object_fetches::record(conn, "https://far.example/notes/1", "T", 100, false, "timeout"));
  REQUIRE(object_fetches::record(conn, "https://far.example/notes/1", "", 200, false, "503"));
  auto f = object_fetches::find(conn, "https://far.example/notes/1").value();
  REQUIRE(f);
  CHECK(f->failures == 2);
  CHECK(f->thread == "T");
  CHECK(f->attempted_at == 200);
  CHECK(f->last_error == "503");
  CHECK_FALSE(f->succeeded_at);
  REQUIRE(object_fetches::record(conn, "https://far.example/notes/1", "T", 300, true));
  f = object_fetches::find(conn, "https://far.example/notes/1").value();
  CHECK(f->failures == 0);
  CHECK(f->succeeded_at == 300);
  CHECK(f->last_error.empty());
  REQUIRE(object_fetches::record(conn, "https://far.example/notes/2", "T", 350, true));
  REQUIRE(object_fetches::record(conn, "https://far.example/notes/3", "U", 360, true));
  CHECK(object_fetches::count_for_thread(conn, "T", 0).value() == 2);
  CHECK(object_fetches::count_for_thread(conn, "T", 320).value() == 1);
  // The thread's root became known: its records count for the new root.
  CHECK(object_fetches::move_thread(conn, "T", "R").value() == 2);
  CHECK(object_fetches::count_for_thread(conn, "T", 0).value() == 0);
  CHECK(object_fetches::count_for_thread(conn, "R", 0).value() == 2);
  CHECK(object_fetches::move_thread(conn, "R", "R").value() == 0);
}
