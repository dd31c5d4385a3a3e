#include "federation/as2/reader.hpp"
#include "federation/post_urls.hpp"
#include "federation/services/post_service.hpp"
#include "federation/services/service_error.hpp"
#include "services_fixture.hpp"
#include "storage/posts.hpp"
#include "storage/tombstones.hpp"

#include <set>

using namespace civicpub;
using civicpub::testing::run;
using federation::services::PostService;
using federation::services::PublishRequest;
using federation::services::ServiceError;

namespace {

constexpr std::string_view kPublic = "https://www.w3.org/ns/activitystreams#Public";

struct PostFixture : civicpub::testing::ServicesFixture {
  PostService service{
      *db, lookup, {"https://town.example", "town.example"}, [this] { return now; }, 7};

  // Three followers on two distinct shared inboxes.
  void add_three_followers() {
    add_follower("https://a.example/users/1", "https://a.example/users/1/inbox",
                 "https://a.example/inbox", town.id);
    add_follower("https://a.example/users/2", "https://a.example/users/2/inbox",
                 "https://a.example/inbox", town.id);
    add_follower("https://b.example/users/3", "https://b.example/users/3/inbox",
                 "https://b.example/inbox", town.id);
  }

  Result<federation::services::PostOutcome> publish(
      std::string text, storage::Visibility v = storage::Visibility::public_, std::string cw = {}) {
    return run(service.publish(PublishRequest{"town", std::move(text), v, std::move(cw)}));
  }
};

std::set<std::string> ids(const rapidjson::Value& array) {
  std::set<std::string> out;
  for (const auto& v : array.GetArray()) out.insert(v.GetString());
  return out;
}

std::set<std::string> inboxes(const std::vector<storage::DeliveryRecord>& rows,
                              const std::string& activity_id) {
  std::set<std::string> out;
  for (const auto& r : rows) {
    if (r.activity_id == activity_id) out.insert(r.inbox_url);
  }
  return out;
}

}  // namespace

TEST_CASE_METHOD(PostFixture, "post: one Create per distinct shared inbox, identical bodies") {
  add_three_followers();
  auto outcome = publish("Road works on Main Street #traffic", storage::Visibility::public_);
  REQUIRE(outcome.has_value());
  const auto& post = outcome->post;
  CHECK(post.ap_id.rfind(town.uri + "/statuses/", 0) == 0);
  CHECK(outcome->activity_id == federation::create_activity_id(post.ap_id));
  CHECK(outcome->deliveries == 2);

  const auto rows = deliveries();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].body == rows[1].body);
  CHECK(inboxes(rows, outcome->activity_id) ==
        std::set<std::string>{"https://a.example/inbox", "https://b.example/inbox"});
  auto doc = federation::as2::parse_json(rows[0].body).value();
  CHECK(std::string(doc["type"].GetString()) == "Create");
  CHECK(std::string(doc["actor"].GetString()) == town.uri);
  const auto& note = doc["object"];
  CHECK(std::string(note["type"].GetString()) == "Note");
  CHECK(std::string(note["id"].GetString()) == post.ap_id);
  CHECK(std::string(note["url"].GetString()) == post.ap_id);
  CHECK(std::string(note["replies"].GetString()) == federation::replies_url(post.ap_id));
  CHECK(std::string(note["attributedTo"].GetString()) == town.uri);
  CHECK(std::string(note["content"].GetString()).find("#<span>traffic</span>") !=
        std::string::npos);
  CHECK(ids(note["to"]) == std::set<std::string>{std::string(kPublic)});
  CHECK(ids(note["cc"]) == std::set<std::string>{town.followers});

  auto stored = db->read(
      [&](storage::Connection& c) { return storage::posts::find_by_ap_id(c, post.ap_id); });
  REQUIRE(stored.value());
  CHECK((*stored)->local);
  CHECK((*stored)->author_id == town.id);
  CHECK((*stored)->content_html == post.content_html);
}

TEST_CASE_METHOD(PostFixture, "post: addressing follows the visibility; CW becomes summary") {
  add_three_followers();
  auto unlisted = publish("quiet", storage::Visibility::unlisted, "spoiler");
  REQUIRE(unlisted.has_value());
  auto followers = publish("members only", storage::Visibility::followers);
  REQUIRE(followers.has_value());
  const auto rows = deliveries();
  CHECK(rows.size() == 4);
  for (const auto& row : rows) {
    auto doc = federation::as2::parse_json(row.body).value();
    const auto& note = doc["object"];
    if (row.activity_id == unlisted->activity_id) {
      CHECK(ids(note["to"]) == std::set<std::string>{town.followers});
      CHECK(ids(note["cc"]) == std::set<std::string>{std::string(kPublic)});
      CHECK(std::string(note["summary"].GetString()) == "spoiler");
      CHECK(note["sensitive"].GetBool());
    } else {
      CHECK(ids(note["to"]) == std::set<std::string>{town.followers});
      CHECK(ids(note["cc"]).empty());
    }
  }
  CHECK(publish("   ").error() == ServiceError::empty_text);
  CHECK(run(service.publish(PublishRequest{"nobody", "hi", storage::Visibility::public_, ""}))
            .error() == ServiceError::unknown_account);
}

TEST_CASE_METHOD(PostFixture, "post: a remote mention is tagged, addressed and delivered to") {
  add_three_followers();
  const auto anna = add_remote("anna", "127.0.0.1:8081");
  // No https on the test peer: the WebFinger client falls back to http for an IP literal.
  transport.fail("https://127.0.0.1:8081/.well-known/webfinger?resource=acct:anna@127.0.0.1:8081",
                 federation::http::HttpError::connect_failed);
  transport.answer("http://127.0.0.1:8081/.well-known/webfinger?resource=acct:anna@127.0.0.1:8081",
                   200, civicpub::testing::jrd_json("anna@127.0.0.1:8081", anna));
  auto outcome = publish("Hello @anna@127.0.0.1:8081 and @ghost@nowhere.example");
  REQUIRE(outcome.has_value());
  REQUIRE(outcome->unresolved.size() == 1);
  CHECK(outcome->unresolved[0].handle == "@ghost@nowhere.example");
  CHECK_FALSE(outcome->unresolved[0].reason.empty());

  const auto rows = deliveries();
  CHECK(inboxes(rows, outcome->activity_id) == std::set<std::string>{"https://a.example/inbox",
                                                                     "https://b.example/inbox",
                                                                     anna + "/inbox"});
  auto doc = federation::as2::parse_json(rows[0].body).value();
  const auto& note = doc["object"];
  CHECK(ids(note["cc"]).count(anna) == 1);
  bool tagged = false;
  for (const auto& tag : note["tag"].GetArray()) {
    if (std::string(tag["type"].GetString()) == "Mention") {
      CHECK(std::string(tag["href"].GetString()) == anna);
      CHECK(std::string(tag["name"].GetString()) == "@anna@127.0.0.1:8081");
      tagged = true;
    }
  }
  CHECK(tagged);
  const std::string content = note["content"].GetString();
  CHECK(content.find(anna + "/profile") != std::string::npos);  // the link shows the profile URL
  CHECK(content.find("@ghost@nowhere.example") != std::string::npos);
}

TEST_CASE_METHOD(PostFixture, "post: direct goes to the mentioned actors only") {
  add_three_followers();
  const auto anna = add_remote("anna", "social.example", "https://social.example/inbox");
  auto outcome = publish("@anna@social.example psst", storage::Visibility::direct);
  REQUIRE(outcome.has_value());
  const auto rows = deliveries();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].inbox_url == "https://social.example/inbox");
  auto doc = federation::as2::parse_json(rows[0].body).value();
  CHECK(ids(doc["object"]["to"]) == std::set<std::string>{anna});
  CHECK(ids(doc["object"]["cc"]).empty());
}

TEST_CASE_METHOD(PostFixture, "post: edit sends Update(Note) with updated to the same audience") {
  add_three_followers();
  const auto anna = add_remote("anna", "social.example");
  auto published = publish("first @anna@social.example");
  REQUIRE(published.has_value());
  now += 60'000;
  auto edited = run(service.edit({published->post.ap_id, "second, no mention", {}, {}}));
  REQUIRE(edited.has_value());
  CHECK(edited->activity_id == federation::update_activity_id(published->post.ap_id, now));
  const auto rows = deliveries();
  // The formerly mentioned actor hears of the edit too.
  CHECK(inboxes(rows, edited->activity_id) == std::set<std::string>{"https://a.example/inbox",
                                                                    "https://b.example/inbox",
                                                                    anna + "/inbox"});
  const auto& row = *std::find_if(rows.begin(), rows.end(), [&](const auto& r) {
    return r.activity_id == edited->activity_id;
  });
  auto doc = federation::as2::parse_json(row.body).value();
  CHECK(std::string(doc["type"].GetString()) == "Update");
  CHECK(std::string(doc["object"]["id"].GetString()) == published->post.ap_id);
  CHECK(doc["object"].HasMember("updated"));
  CHECK(std::string(doc["object"]["content"].GetString()).find("second") != std::string::npos);

  auto stored = db->read([&](storage::Connection& c) {
                    return storage::posts::find_by_ap_id(c, published->post.ap_id);
                  }).value();
  REQUIRE(stored);
  CHECK(stored->updated == now);
  CHECK(stored->content_html.find("second") != std::string::npos);

  CHECK(run(service.edit({"https://town.example/users/town/statuses/1", "x", {}, {}})).error() ==
        ServiceError::unknown_post);
  CHECK(run(service.edit({published->post.ap_id, "x", {}, std::string("nobody")})).error() ==
        ServiceError::unknown_account);
}

TEST_CASE_METHOD(PostFixture, "post: delete sends Delete, keeps a tombstone, marks the post") {
  add_three_followers();
  auto published = publish("short-lived", storage::Visibility::unlisted);
  REQUIRE(published.has_value());
  now += 1000;
  auto removed = run(service.remove(published->post.ap_id));
  REQUIRE(removed.has_value());
  CHECK(removed->activity_id == federation::delete_activity_id(published->post.ap_id));
  const auto rows = deliveries();
  CHECK(inboxes(rows, removed->activity_id) ==
        std::set<std::string>{"https://a.example/inbox", "https://b.example/inbox"});
  const auto& row = *std::find_if(rows.begin(), rows.end(), [&](const auto& r) {
    return r.activity_id == removed->activity_id;
  });
  auto doc = federation::as2::parse_json(row.body).value();
  CHECK(std::string(doc["type"].GetString()) == "Delete");
  CHECK(std::string(doc["actor"].GetString()) == town.uri);
  CHECK(federation::as2::member_id(doc, "object").value() == published->post.ap_id);
  CHECK(ids(doc["cc"]).count(std::string(kPublic)) == 1);  // addressed like the unlisted post

  auto stored = db->read([&](storage::Connection& c) {
                    return storage::posts::find_by_ap_id(c, published->post.ap_id);
                  }).value();
  REQUIRE(stored);
  CHECK(stored->deleted_at == now);
  CHECK(db->read([&](storage::Connection& c) {
            return storage::tombstones::contains(c, published->post.ap_id);
          }).value());

  CHECK(run(service.remove(published->post.ap_id)).error() == ServiceError::post_deleted);
  CHECK(run(service.edit({published->post.ap_id, "again", {}, {}})).error() ==
        ServiceError::post_deleted);
}

TEST_CASE_METHOD(PostFixture, "post: remote posts cannot be edited or deleted from here") {
  const auto follower =
      add_follower("https://a.example/users/1", "https://a.example/users/1/inbox", "", town.id);
  storage::PostRecord remote;
  remote.ap_id = "https://a.example/notes/1";
  remote.author_id = follower;
  remote.thread_root = remote.ap_id;
  remote.content_html = "<p>theirs</p>";
  remote.published = kNow;
  REQUIRE(db->write_sync([&](storage::Connection& c) {
              return storage::posts::insert(c, remote);
            }).has_value());
  CHECK(run(service.edit({remote.ap_id, "mine now", {}, {}})).error() ==
        ServiceError::post_not_local);
  CHECK(run(service.remove(remote.ap_id)).error() == ServiceError::post_not_local);

  federation::NewAccount other{"parks", federation::AccountType::service, "", "", kNow};
  REQUIRE(federation::create_local_account(*db, {"https://town.example", "town.example"}, other)
              .has_value());
  auto published = publish("by town");
  REQUIRE(published.has_value());
  CHECK(run(service.remove(published->post.ap_id, std::string("parks"))).error() ==
        ServiceError::not_author);
}
