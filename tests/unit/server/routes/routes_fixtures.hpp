// A Router with the read routes over a real in-memory Database, and helpers to fill it and to
// send requests through the router without sockets.
#pragma once

#include "federation/as2/instance_info.hpp"
#include "server/views/post_urls.hpp"
#include "server/routes/actor_routes.hpp"
#include "server/routes/discovery_routes.hpp"
#include "server/routes/feed_routes.hpp"
#include "server/routes/post_routes.hpp"
#include "server/routes/thread_routes.hpp"
#include "storage/actors.hpp"
#include "storage/database.hpp"
#include "storage/follows.hpp"
#include "storage/posts.hpp"

#include <rapidjson/document.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <memory>
#include <string>

namespace civicpub::server::routes::testing {

namespace bhttp = boost::beast::http;

inline constexpr storage::Millis kDay = 24LL * 3600 * 1000;
inline constexpr storage::Millis kNow = 20000 * kDay;  // 2024-10-04

class ReadWorld {
 public:
  explicit ReadWorld(std::string handle_domain = {}) {
    auto opened = storage::Database::open({});
    REQUIRE(opened);
    db_ = std::move(*opened);
    instance_.base_url = "https://social.town.example";
    instance_.host = "social.town.example";
    instance_.handle_domain = std::move(handle_domain);
    instance_.name = "Town of Example";
    instance_.software_version = "0.1.0";
    instance_.instance_actor_id = instance_.base_url + "/users/instance";
    deps_ = std::make_unique<ReadDeps>(ReadDeps{*db_, instance_, [this] { return now; }, nullptr});
    register_discovery_routes(router_, *deps_);
    register_actor_routes(router_, *deps_);
    register_post_routes(router_, *deps_);
    register_thread_routes(router_, *deps_);
    register_feed_routes(router_, *deps_);
  }
  ReadWorld(const ReadWorld&) = delete;
  ReadWorld& operator=(const ReadWorld&) = delete;

  storage::Database& db() { return *db_; }
  const federation::as2::InstanceInfo& instance() const { return instance_; }
  std::string actor_uri(const std::string& name) const {
    return instance_.base_url + "/users/" + name;
  }

  // A local actor with every URI derived the way server/services/accounts.cpp derives them.
  storage::ActorRecord add_actor(const std::string& name, const std::string& type = "Person") {
    storage::ActorRecord a;
    a.local = true;
    a.username = name;
    a.type = type;
    a.domain = instance_.effective_handle_domain();
    a.display_name = "The " + name;
    a.uri = actor_uri(name);
    a.inbox = a.uri + "/inbox";
    a.outbox = a.uri + "/outbox";
    a.followers = a.uri + "/followers";
    a.following = a.uri + "/following";
    a.shared_inbox = instance_.base_url + "/inbox";
    a.url = instance_.base_url + "/@" + name;
    a.key_id = a.uri + "#main-key";
    a.public_key_pem = "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n";
    a.discoverable = type != "Application";
    a.created_at = a.updated_at = kNow - 100 * kDay;
    a.id =
        db_->write_sync([&](storage::Connection& c) { return storage::actors::insert_local(c, a); })
            .value();
    return a;
  }

  storage::ActorRecord add_remote(const std::string& host, const std::string& name) {
    storage::ActorRecord a;
    a.uri = "https://" + host + "/users/" + name;
    a.type = "Person";
    a.username = name;
    a.domain = host;
    a.inbox = a.uri + "/inbox";
    a.key_id = a.uri + "#main-key";
    a.raw_json = "{}";
    a.id = db_->write_sync(
                  [&](storage::Connection& c) { return storage::actors::upsert_remote(c, a); })
               .value();
    return a;
  }

  storage::PostRecord add_post(const storage::ActorRecord& author, const std::string& post_id,
                               storage::Millis published,
                               storage::Visibility visibility = storage::Visibility::public_) {
    storage::PostRecord p;
    p.ap_id = server::views::post_url(author.uri, post_id);
    p.url = server::views::post_page_url(author.url, post_id);
    p.author_id = author.id;
    p.local = true;
    p.thread_root = p.ap_id;
    p.visibility = visibility;
    p.content_html = "<p>Post " + post_id + "</p>";
    p.published = published;
    p.id = db_->write_sync([&](storage::Connection& c) { return storage::posts::insert(c, p); })
               .value();
    return p;
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
    p.id = db_->write_sync([&](storage::Connection& c) { return storage::posts::insert(c, p); })
               .value();
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
    db_->write_sync([&](storage::Connection& c) { return storage::follows::upsert(c, f); }).value();
  }

  void delete_actor(const storage::ActorRecord& a) {
    db_->write_sync(
           [&](storage::Connection& c) { return storage::actors::mark_deleted(c, a.id, now); })
        .value();
  }
  void delete_post(const storage::PostRecord& p) {
    db_->write_sync(
           [&](storage::Connection& c) { return storage::posts::mark_deleted(c, p.id, now); })
        .value();
  }

  // Sends GET `target` through the router. `accept` empty: no Accept header.
  http::Response get(const std::string& target, const std::string& accept = {},
                     const std::string& host = "social.town.example") {
    http::Request req{bhttp::verb::get, target, 11};
    if (!accept.empty()) req.set(bhttp::field::accept, accept);
    req.set(bhttp::field::host, host);
    const auto qmark = target.find('?');
    http::RequestContext ctx{req,
                             "127.0.0.1",
                             "https",
                             host,
                             target.substr(0, qmark),
                             qmark == std::string::npos ? "" : target.substr(qmark + 1),
                             {}};
    boost::asio::io_context ioc;
    std::optional<http::Response> res;
    boost::asio::co_spawn(
        ioc, [&]() -> boost::asio::awaitable<void> { res = co_await router_.dispatch(ctx); },
        [](std::exception_ptr e) {
          if (e) std::rethrow_exception(e);
        });
    ioc.run();
    REQUIRE(res);
    return std::move(*res);
  }

  storage::Millis now = kNow;

 private:
  std::unique_ptr<storage::Database> db_;
  federation::as2::InstanceInfo instance_;
  std::unique_ptr<ReadDeps> deps_;
  http::Router router_;
};

inline constexpr const char* kAs2Accept = "application/activity+json";
inline constexpr const char* kLdAccept =
    R"(application/ld+json; profile="https://www.w3.org/ns/activitystreams")";
inline constexpr const char* kBrowserAccept =
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

inline rapidjson::Document json_of(const http::Response& res) {
  rapidjson::Document doc;
  doc.Parse(res.body().data(), res.body().size());
  REQUIRE_FALSE(doc.HasParseError());
  REQUIRE(doc.IsObject());
  return doc;
}

inline std::string str(const rapidjson::Value& v, const char* name) {
  REQUIRE(v.IsObject());
  auto it = v.FindMember(name);
  REQUIRE(it != v.MemberEnd());
  REQUIRE(it->value.IsString());
  return it->value.GetString();
}

inline std::uint64_t num(const rapidjson::Value& v, const char* name) {
  auto it = v.FindMember(name);
  REQUIRE(it != v.MemberEnd());
  REQUIRE(it->value.IsUint64());
  return it->value.GetUint64();
}

inline std::string header(const http::Response& res, bhttp::field f) {
  return std::string(res[f]);
}

inline bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

}  // namespace civicpub::server::routes::testing
