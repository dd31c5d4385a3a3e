// The PostService over the services fixture, with a FakePostFetcher for remote parents, and what
// the post and reply tests read back: the inboxes an activity was queued for and the body sent.
#pragma once

#include "federation/as2/reader.hpp"
#include "server/services/post_service.hpp"
#include "storage/post_details.hpp"
#include "storage/posts.hpp"
#include "tests/unit/server/services/services_fixture.hpp"
#include "tests/unit/support/fake_post_fetcher.hpp"
#include "tests/unit/support/records.hpp"

#include <rapidjson/document.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace civicpub::testing {

inline constexpr std::string_view kPublic = "https://www.w3.org/ns/activitystreams#Public";

struct PostFixture : ServicesFixture {
  FakePostFetcher fetcher{*db};
  server::services::PostService service{
      *db, lookup, fetcher, {"https://town.example", "town.example"}, [this] { return now; }, 7};

  // Three followers on two distinct shared inboxes.
  void add_three_followers() {
    add_follower("https://a.example/users/1", "https://a.example/users/1/inbox",
                 "https://a.example/inbox", town.id);
    add_follower("https://a.example/users/2", "https://a.example/users/2/inbox",
                 "https://a.example/inbox", town.id);
    add_follower("https://b.example/users/3", "https://b.example/users/3/inbox",
                 "https://b.example/inbox", town.id);
  }

  Result<server::services::PostOutcome> publish(
      std::string text, storage::Visibility v = storage::Visibility::public_, std::string cw = {}) {
    return test::run(service.publish(
        server::services::PublishRequest{"town", std::move(text), v, std::move(cw), std::nullopt,
                                         std::nullopt}));
  }

  Result<server::services::PostOutcome> reply(std::string parent, std::string text,
                                              storage::Visibility v = storage::Visibility::public_,
                                              std::string as = "town") {
    return test::run(service.publish(server::services::PublishRequest{
        std::move(as), std::move(text), v, "", std::move(parent), std::nullopt}));
  }

  // The stored row of `ap_id`; the test fails when there is none.
  storage::PostRecord stored_post(const std::string& ap_id) {
    auto found = db->read([&](storage::Connection& c) {
                     return storage::posts::find_by_ap_id(c, ap_id);
                   }).value();
    REQUIRE(found);
    return *found;
  }
  std::vector<storage::MentionRecord> mentions_of(std::int64_t post_id) {
    return db
        ->read([&](storage::Connection& c) { return storage::post_details::mentions(c, post_id); })
        .value();
  }

  // The inboxes `activity_id` is queued for.
  std::set<std::string> inboxes(const std::string& activity_id) {
    std::set<std::string> out;
    for (const auto& r : deliveries()) {
      if (r.activity_id == activity_id) out.insert(r.inbox_url);
    }
    return out;
  }

  // The body queued for `activity_id` (the same for every inbox), parsed.
  rapidjson::Document sent(const std::string& activity_id) {
    for (const auto& r : deliveries()) {
      if (r.activity_id == activity_id) return federation::as2::parse_json(r.body).value();
    }
    FAIL("nothing queued for " << activity_id);
    return {};
  }
};

// The ids in a JSON array of strings (to, cc).
inline std::set<std::string> ids(const rapidjson::Value& array) {
  std::set<std::string> out;
  for (const auto& v : array.GetArray()) out.insert(v.GetString());
  return out;
}

// The (href, name) of each Mention tag of a Note.
inline std::vector<std::pair<std::string, std::string>> mentions_in(const rapidjson::Value& note) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& tag : note["tag"].GetArray()) {
    if (std::string(tag["type"].GetString()) == "Mention") {
      out.emplace_back(tag["href"].GetString(), tag["name"].GetString());
    }
  }
  return out;
}

// A remote person as the fetcher stores one (test::remote_actor, fetched now).
inline storage::ActorRecord remote_person(const std::string& host, const std::string& name,
                                          const std::string& shared_inbox = {}) {
  auto a = test::remote_actor(host, name);
  a.shared_inbox = shared_inbox;
  a.created_at = a.updated_at = a.fetched_at = ServicesFixture::kNow;
  return a;
}

// A remote Note; its thread root is its parent (or itself) until the thread above is known.
inline storage::PostRecord remote_note(const std::string& id, const std::string& in_reply_to = {},
                                       const std::string& context = {}) {
  storage::PostRecord p;
  p.ap_id = id;
  p.in_reply_to = in_reply_to;
  p.thread_root = in_reply_to.empty() ? id : in_reply_to;
  p.context = context;
  p.content_html = "<p>remote</p>";
  p.published = ServicesFixture::kNow - 5000;
  return p;
}

}  // namespace civicpub::testing
