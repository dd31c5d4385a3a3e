// What the read side reads, stored directly: an in-memory Database with this instance's local
// accounts (test::local_actor under its base URL), remote people, posts as PostService stores
// them, replies, follows and reactions. The views tests call the read models on it; the routes
// tests (ReadWorld) put the router on top.
#pragma once

#include "federation/as2/instance_info.hpp"
#include "server/views/post_urls.hpp"
#include "storage/actors.hpp"
#include "storage/database.hpp"
#include "storage/follows.hpp"
#include "storage/posts.hpp"
#include "storage/reactions.hpp"
#include "tests/unit/support/catch_result.hpp"
#include "tests/unit/support/records.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <type_traits>

namespace civicpub::test {

inline constexpr storage::Millis kDay = 24LL * 3600 * 1000;
inline constexpr storage::Millis kReadNow = 20000 * kDay;  // 2024-10-04

class StoredWorld {
 public:
  explicit StoredWorld(std::string handle_domain = {}) {
    auto opened = storage::Database::open({});
    REQUIRE(opened);
    db_ = std::move(*opened);
    instance_.base_url = "https://social.town.example";
    instance_.host = "social.town.example";
    instance_.handle_domain = std::move(handle_domain);
    instance_.name = "Town of Example";
    instance_.software_version = "0.1.0";
    instance_.instance_actor_id = instance_.base_url + "/users/instance";
  }
  StoredWorld(const StoredWorld&) = delete;
  StoredWorld& operator=(const StoredWorld&) = delete;

  storage::Database& db() { return *db_; }
  const federation::as2::InstanceInfo& instance() const { return instance_; }
  std::string actor_uri(const std::string& name) const {
    return instance_.base_url + "/users/" + name;
  }

  // Runs `fn` in one write transaction; the test fails when it does.
  template <class F>
  auto write(F fn) {
    auto r = db_->write_sync(fn);
    REQUIRE(r);
    if constexpr (!std::is_void_v<typename decltype(r)::value_type>) return std::move(*r);
  }

  // A local account (test::local_actor) under this instance's base URL and handle domain.
  storage::ActorRecord add_actor(const std::string& name, const std::string& type = "Person") {
    auto a = local_actor(name, instance_.base_url);
    a.type = type;
    a.domain = instance_.effective_handle_domain();
    a.public_key_pem = "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n";
    a.discoverable = type != "Application";
    a.created_at = a.updated_at = kReadNow - 100 * kDay;
    a.id = write([&](storage::Connection& c) { return storage::actors::insert_local(c, a); });
    return a;
  }

  // A remote person (test::remote_actor) on a server without a shared inbox.
  storage::ActorRecord add_remote(const std::string& host, const std::string& name) {
    auto a = remote_actor(host, name);
    a.shared_inbox.clear();
    a.id = write([&](storage::Connection& c) { return storage::actors::upsert_remote(c, a); });
    return a;
  }

  // A local top post at <actor>/statuses/<post_id>, with no context of its own.
  storage::PostRecord add_post(const storage::ActorRecord& author, const std::string& post_id,
                               storage::Millis published,
                               storage::Visibility visibility = storage::Visibility::public_) {
    auto p = local_post(author, post_id, published, visibility);
    p.content_html = "<p>Post " + post_id + "</p>";
    return store(std::move(p));
  }

  // A thread root as PostService publishes it: context = <post url>/context.
  storage::PostRecord add_root(const storage::ActorRecord& author, const std::string& post_id,
                               storage::Millis published,
                               storage::Visibility visibility = storage::Visibility::public_) {
    auto p = local_post(author, post_id, published, visibility);
    p.context = server::views::context_url(p.ap_id);
    p.content_html = "<p>root</p>";
    return store(std::move(p));
  }

  // A reply by `author` (local or remote) to `parent`, in the parent's thread.
  storage::PostRecord add_reply(const storage::ActorRecord& author,
                                const storage::PostRecord& parent, const std::string& post_id,
                                storage::Millis published,
                                storage::Visibility visibility = storage::Visibility::public_) {
    storage::PostRecord p;
    if (author.local) {
      p.ap_id = server::views::post_url(author.uri, post_id);
      p.url = server::views::post_page_url(author.url, post_id);
    } else {
      p.ap_id = author.uri + "/statuses/" + post_id;
      p.url = "https://" + author.domain + "/@" + author.username + "/" + post_id;
      p.raw_json = "{}";
    }
    p.author_id = author.id;
    p.local = author.local;
    p.in_reply_to = parent.ap_id;
    p.thread_root = parent.thread_root;
    p.context = parent.context;
    p.visibility = visibility;
    p.content_html = "<p>Reply " + post_id + "</p>";
    p.published = published;
    return store(std::move(p));
  }

  storage::PostRecord store(storage::PostRecord p) {
    p.id = write([&](storage::Connection& c) { return storage::posts::insert(c, p); });
    return p;
  }

  void follow(const storage::ActorRecord& follower, const storage::ActorRecord& target,
              storage::FollowState state = storage::FollowState::accepted) {
    storage::FollowRecord f;
    f.follower_id = follower.id;
    f.target_id = target.id;
    f.state = state;
    f.activity_uri = follower.uri + "#follows/" + std::to_string(target.id);
    f.created_at = f.updated_at = now;
    write([&](storage::Connection& c) { return storage::follows::upsert(c, f); });
  }

  // A Like or Announce of `post` by `actor`; `activity` empty: one derived from both.
  void react(const storage::ActorRecord& actor, const storage::PostRecord& post,
             storage::ReactionKind kind, std::string activity = {}) {
    storage::ReactionRecord r;
    r.activity_uri = activity.empty() ? actor.uri + "#" + std::string(storage::to_string(kind)) +
                                            "/" + post.ap_id
                                      : std::move(activity);
    r.kind = kind;
    r.actor_id = actor.id;
    r.post_id = post.id;
    r.created_at = now;
    write([&](storage::Connection& c) { return storage::reactions::add(c, r); });
  }

  void delete_actor(const storage::ActorRecord& a) {
    write([&](storage::Connection& c) { return storage::actors::mark_deleted(c, a.id, now); });
  }
  void delete_post(const storage::PostRecord& p) {
    write([&](storage::Connection& c) { return storage::posts::mark_deleted(c, p.id, now); });
  }

  storage::Millis now = kReadNow;

 private:
  static storage::PostRecord local_post(const storage::ActorRecord& author,
                                        const std::string& post_id, storage::Millis published,
                                        storage::Visibility visibility) {
    storage::PostRecord p;
    p.ap_id = server::views::post_url(author.uri, post_id);
    p.url = server::views::post_page_url(author.url, post_id);
    p.author_id = author.id;
    p.local = true;
    p.thread_root = p.ap_id;
    p.visibility = visibility;
    p.published = published;
    return p;
  }

  std::unique_ptr<storage::Database> db_;
  federation::as2::InstanceInfo instance_;
};

}  // namespace civicpub::test
