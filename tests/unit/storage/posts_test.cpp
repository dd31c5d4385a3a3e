#include "tests/unit/storage/fixtures.hpp"
#include "storage/actors.hpp"
#include "storage/posts.hpp"

using namespace civicpub::storage;

namespace {
posts::AuthorPageQuery query(std::int64_t author, int limit, bool public_only = false,
                            std::optional<posts::PostCursor> before = std::nullopt) {
  posts::AuthorPageQuery q;
  q.author_id = author;
  q.limit = limit;
  q.public_only = public_only;
  q.before = before;
  return q;
}

PostRecord post(std::int64_t author, const std::string& id, Millis published,
                Visibility v = Visibility::public_) {
  PostRecord p;
  p.ap_id = "https://town.example/notes/" + id;
  p.author_id = author;
  p.local = true;
  p.thread_root = p.ap_id;
  p.context = "https://town.example/contexts/" + id;
  p.visibility = v;
  p.content_html = "<p>" + id + "</p>";
  p.published = published;
  return p;
}
}  // namespace

TEST_CASE("posts: insert stores every field - find by ap_id and id") {
  auto conn = test::memory_db();
  auto author = actors::insert_local(conn, test::local_actor("mayor")).value();
  auto p = post(author, "1", 1000, Visibility::unlisted);
  p.in_reply_to = "https://far.example/notes/9";
  p.thread_root = "https://far.example/notes/1";
  p.summary = "roadworks";
  p.sensitive = true;
  p.language = "nl";
  p.url = "https://town.example/@mayor/1";
  p.raw_json = "{\"type\":\"Note\"}";
  auto id = posts::insert(conn, p).value();
  auto found = posts::find_by_ap_id(conn, p.ap_id).value();
  REQUIRE(found);
  CHECK(found->id == id);
  CHECK(found->author_id == author);
  CHECK(found->local);
  CHECK(found->in_reply_to == p.in_reply_to);
  CHECK(found->thread_root == p.thread_root);
  CHECK(found->context == p.context);
  CHECK(found->visibility == Visibility::unlisted);
  CHECK(found->content_html == p.content_html);
  CHECK(found->summary == "roadworks");
  CHECK(found->sensitive);
  CHECK(found->language == "nl");
  CHECK(found->url == p.url);
  CHECK(found->raw_json == p.raw_json);
  CHECK(found->published == 1000);
  CHECK_FALSE(found->updated);
  CHECK_FALSE(found->deleted_at);
  CHECK(posts::find_by_id(conn, id).value()->ap_id == p.ap_id);
  CHECK_FALSE(posts::find_by_id(conn, id + 1).value());
  CHECK_FALSE(posts::find_by_ap_id(conn, "https://town.example/notes/none").value());
}

TEST_CASE("posts: duplicate ap_id is a conflict, unknown author a constraint error") {
  auto conn = test::memory_db();
  auto author = actors::insert_local(conn, test::local_actor("mayor")).value();
  REQUIRE(posts::insert(conn, post(author, "1", 1)));
  CHECK(posts::insert(conn, post(author, "1", 2)).error() == Errc::conflict);
  CHECK(posts::insert(conn, post(author + 50, "2", 2)).error() == Errc::constraint);
}

TEST_CASE("posts: update_content and mark_deleted") {
  auto conn = test::memory_db();
  auto author = actors::insert_local(conn, test::local_actor("mayor")).value();
  auto p = post(author, "1", 1);
  p.id = posts::insert(conn, p).value();
  p.content_html = "<p>edited</p>";
  p.summary = "cw";
  p.sensitive = true;
  p.language = "en";
  p.raw_json = "{}";
  REQUIRE(posts::update_content(conn, p, 99));
  auto found = posts::find_by_id(conn, p.id).value().value();
  CHECK(found.content_html == "<p>edited</p>");
  CHECK(found.summary == "cw");
  CHECK(found.sensitive);
  CHECK(found.language == "en");
  CHECK(found.raw_json == "{}");
  CHECK(found.updated == std::optional<Millis>(99));

  REQUIRE(posts::mark_deleted(conn, p.id, 123));
  found = posts::find_by_id(conn, p.id).value().value();
  CHECK(found.deleted_at == std::optional<Millis>(123));
  CHECK(posts::update_content(conn, p, 200).error() == Errc::not_found);  // deleted stays deleted
  CHECK(posts::mark_deleted(conn, p.id + 9, 1).error() == Errc::not_found);
  auto missing = p;
  missing.id = 4242;
  CHECK(posts::update_content(conn, missing, 1).error() == Errc::not_found);
}

TEST_CASE("posts: list_by_author pages newest first, skips deleted, filters visibility") {
  auto conn = test::memory_db();
  auto author = actors::insert_local(conn, test::local_actor("mayor")).value();
  auto other = actors::insert_local(conn, test::local_actor("clerk")).value();
  std::vector<std::int64_t> ids;
  ids.push_back(posts::insert(conn, post(author, "a", 100)).value());
  ids.push_back(posts::insert(conn, post(author, "b", 200, Visibility::followers)).value());
  ids.push_back(posts::insert(conn, post(author, "c", 200, Visibility::unlisted)).value());
  ids.push_back(posts::insert(conn, post(author, "d", 300, Visibility::direct)).value());
  ids.push_back(posts::insert(conn, post(author, "e", 400)).value());
  REQUIRE(posts::insert(conn, post(other, "x", 500)));
  REQUIRE(posts::mark_deleted(conn, ids[4], 1));

  auto all = posts::list_by_author(conn, query(author, 10)).value();
  REQUIRE(all.size() == 4);
  CHECK(all[0].ap_id.ends_with("/d"));
  CHECK(all[1].ap_id.ends_with("/c"));  // same published: higher id first
  CHECK(all[2].ap_id.ends_with("/b"));
  CHECK(all[3].ap_id.ends_with("/a"));

  auto first = posts::list_by_author(conn, query(author, 2)).value();
  REQUIRE(first.size() == 2);
  posts::PostCursor cursor{first.back().published, first.back().id};
  auto second =
      posts::list_by_author(conn, query(author, 2, false, cursor)).value();
  REQUIRE(second.size() == 2);
  CHECK(second[0].ap_id.ends_with("/b"));
  CHECK(second[1].ap_id.ends_with("/a"));

  auto pub = posts::list_by_author(conn, query(author, 10, true)).value();
  REQUIRE(pub.size() == 2);
  CHECK(pub[0].ap_id.ends_with("/c"));
  CHECK(pub[1].ap_id.ends_with("/a"));

  CHECK(posts::count_local(conn).value() == 5);  // 6 local posts, one deleted
  auto remote = actors::upsert_remote(conn, test::remote_actor("far.example", "r")).value();
  auto rp = post(remote, "remote", 1);
  rp.ap_id = "https://far.example/notes/1";
  rp.local = false;
  REQUIRE(posts::insert(conn, rp));
  CHECK(posts::count_local(conn).value() == 5);
}
