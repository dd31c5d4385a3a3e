// A world for the remote-post tests: the inbox World (in-memory database, local account
// gemeente, instance actor, fake Transport) plus RemotePosts and Mastodon-shaped Note and
// activity documents. tests/unit/server/inbound/inbound_fixtures.hpp adds the inbox worker.
#pragma once

#include "tests/unit/support/inbox_fixtures.hpp"

#include "federation/remote/remote_posts.hpp"
#include "storage/follows.hpp"
#include "storage/post_details.hpp"
#include "storage/posts.hpp"
#include "storage/tombstones.hpp"

#include <string>
#include <vector>

namespace civicpub::test {

struct NoteSpec {
  std::string id;
  std::string author = kAnnaUri;
  std::string content = "<p>hello</p>";
  std::string in_reply_to;  // empty: none
  std::string to = kPublicIri;
  std::string cc;          // one extra address; the author's followers are always in cc
  std::string tag = "[]";  // JSON array text
  std::string published = "2026-01-01T00:00:00Z";
  std::string updated;  // empty: none
  std::string summary;  // empty: none
};

// A Note as Mastodon writes it.
inline std::string note_json(const NoteSpec& n) {
  std::string json = R"({"id":")" + n.id + R"(","type":"Note","attributedTo":")" + n.author +
                     R"(","content":)" + "\"" + n.content + "\"" + R"(,"published":")" +
                     n.published + R"(","url":")" + n.id + R"(/html","to":[")" + n.to +
                     R"("],"cc":[")" + n.author + "/followers\"";
  if (!n.cc.empty()) json += ",\"" + n.cc + "\"";
  json += "],\"tag\":" + n.tag;
  json +=
      n.in_reply_to.empty() ? R"(,"inReplyTo":null)" : R"(,"inReplyTo":")" + n.in_reply_to + "\"";
  if (!n.updated.empty()) json += R"(,"updated":")" + n.updated + "\"";
  if (!n.summary.empty()) json += R"(,"summary":")" + n.summary + R"(","sensitive":true)";
  return json + "}";
}

inline std::string activity_json(const std::string& id, const std::string& type,
                                 const std::string& actor, const std::string& object_json) {
  return R"({"@context":"https://www.w3.org/ns/activitystreams","id":")" + id + R"(","type":")" +
         type + R"(","actor":")" + actor + R"(","object":)" + object_json + "}";
}

// The Create of `note` by `actor`, its id <actor>/create/<n>.
inline std::string create_of(const std::string& actor, const NoteSpec& note,
                             const std::string& n = "1") {
  return activity_json(actor + "/create/" + n, "Create", actor, note_json(note));
}

inline std::string quoted(const std::string& s) {
  return "\"" + s + "\"";
}

struct PostsWorld : World {
  federation::RemotePosts posts;
  RemoteActor anna;
  RemoteActor bob;
  storage::PostRecord town_post;  // a local public post of gemeente

  // `manual`: gemeente approves its followers by hand.
  explicit PostsWorld(federation::RemotePostsSettings settings = {}, bool manual = false,
                      federation::PostHooks hooks = {})
      : World({}, manual),
        posts(*db, transport, instance, *resolver, clock, settings, log, std::move(hooks)),
        anna(remote(kAnnaUri)),
        bob(remote(kBobUri)) {
    town_post.ap_id = local.uri + "/statuses/1";
    town_post.author_id = local.id;
    town_post.local = true;
    town_post.thread_root = town_post.ap_id;
    town_post.context = local.uri + "/statuses/1/context";
    town_post.content_html = "<p>Plan</p>";
    town_post.published = kNow - 60000;
    auto id = db->write_sync(
        [&](storage::Connection& c) { return storage::posts::insert(c, town_post); });
    REQUIRE(id);
    town_post.id = *id;
  }

  std::optional<storage::PostRecord> post(const std::string& id) {
    return read([&](storage::Connection& c) { return storage::posts::find_by_ap_id(c, id); });
  }
  bool tombstoned(const std::string& id) {
    return read([&](storage::Connection& c) { return storage::tombstones::contains(c, id); });
  }
  void serve_note(const NoteSpec& n) { transport.answer(n.id, 200, note_json(n)); }

  // gemeente follows `target` (an accepted follow): its posts concern us.
  void follow(const std::string& target) {
    REQUIRE(run([&] { return resolver->resolve(target); }));
    auto done = db->write_sync([&](storage::Connection& c) -> Result<void> {
      auto actor = storage::actors::find_by_uri(c, target);
      if (!actor) return actor.error();
      REQUIRE(*actor);
      storage::FollowRecord f;
      f.follower_id = local.id;
      f.target_id = (*actor)->id;
      f.state = storage::FollowState::accepted;
      f.activity_uri = local.uri + "#follows/" + target;
      f.created_at = f.updated_at = kNow;
      auto r = storage::follows::upsert(c, f);
      if (!r) return r.error();
      return {};
    });
    REQUIRE(done);
  }
};

}  // namespace civicpub::test
