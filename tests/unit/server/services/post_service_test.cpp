// PostService::publish, edit and remove of a post that starts a thread: one activity per
// distinct inbox, addressing by visibility, mentions, the thread's context and tags, and who may
// change what.
#include "tests/unit/server/services/post_service_fixture.hpp"

#include "server/services/service_error.hpp"
#include "server/views/post_urls.hpp"
#include "storage/post_details.hpp"
#include "storage/posts.hpp"
#include "storage/tombstones.hpp"

using namespace civicpub;
using civicpub::testing::ids;
using civicpub::testing::kPublic;
using civicpub::testing::mentions_in;
using civicpub::testing::PostFixture;
using civicpub::testing::remote_note;
using civicpub::testing::remote_person;
using server::services::PublishRequest;
using server::services::ServiceError;

TEST_CASE_METHOD(PostFixture, "post: one Create per distinct shared inbox, identical bodies") {
  add_three_followers();
  auto outcome = publish("Road works on Main Street #traffic", storage::Visibility::public_);
  REQUIRE(outcome.has_value());
  const auto& post = outcome->post;
  CHECK(post.ap_id.rfind(town.uri + "/statuses/", 0) == 0);
  CHECK(outcome->activity_id == server::views::create_activity_id(post.ap_id));
  CHECK(outcome->deliveries == 2);

  const auto rows = deliveries();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].body == rows[1].body);
  CHECK(inboxes(outcome->activity_id) ==
        std::set<std::string>{"https://a.example/inbox", "https://b.example/inbox"});
  auto doc = federation::as2::parse_json(rows[0].body).value();
  CHECK(std::string(doc["type"].GetString()) == "Create");
  CHECK(std::string(doc["actor"].GetString()) == town.uri);
  const auto& note = doc["object"];
  CHECK(std::string(note["type"].GetString()) == "Note");
  CHECK(std::string(note["id"].GetString()) == post.ap_id);
  CHECK(std::string(note["url"].GetString()) == post.ap_id);
  CHECK(std::string(note["replies"].GetString()) == server::views::replies_url(post.ap_id));
  CHECK(std::string(note["attributedTo"].GetString()) == town.uri);
  CHECK(std::string(note["content"].GetString()).find("#<span>traffic</span>") !=
        std::string::npos);
  CHECK(ids(note["to"]) == std::set<std::string>{std::string(kPublic)});
  CHECK(ids(note["cc"]) == std::set<std::string>{town.followers});

  const auto stored = stored_post(post.ap_id);
  CHECK(stored.local);
  CHECK(stored.author_id == town.id);
  CHECK(stored.content_html == post.content_html);
}

TEST_CASE_METHOD(PostFixture, "post: addressing follows the visibility - CW becomes summary") {
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
  CHECK(test::run(service.publish(PublishRequest{"nobody", "hi", storage::Visibility::public_, "",
                                                 std::nullopt, std::nullopt}))
            .error() == ServiceError::unknown_account);
}

TEST_CASE_METHOD(PostFixture, "post: a remote mention is tagged, addressed and delivered to") {
  add_three_followers();
  const auto anna = add_remote("anna", "127.0.0.1:8081");
  // No https on the test peer: the WebFinger client falls back to http for an IP literal.
  transport.fail("https://127.0.0.1:8081/.well-known/webfinger?resource=acct:anna@127.0.0.1:8081",
                 federation::http::HttpError::connect_failed);
  transport.answer("http://127.0.0.1:8081/.well-known/webfinger?resource=acct:anna@127.0.0.1:8081",
                   200, test::jrd_json("anna@127.0.0.1:8081", anna));
  auto outcome = publish("Hello @anna@127.0.0.1:8081 and @ghost@nowhere.example");
  REQUIRE(outcome.has_value());
  REQUIRE(outcome->unresolved.size() == 1);
  CHECK(outcome->unresolved[0].handle == "@ghost@nowhere.example");
  CHECK_FALSE(outcome->unresolved[0].reason.empty());

  const auto rows = deliveries();
  CHECK(inboxes(outcome->activity_id) == std::set<std::string>{"https://a.example/inbox",
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
  auto edited = test::run(service.edit({published->post.ap_id, "second, no mention", {}, {}}));
  REQUIRE(edited.has_value());
  CHECK(edited->activity_id == server::views::update_activity_id(published->post.ap_id, now));
  // The formerly mentioned actor hears of the edit too.
  CHECK(inboxes(edited->activity_id) == std::set<std::string>{"https://a.example/inbox",
                                                              "https://b.example/inbox",
                                                              anna + "/inbox"});
  auto doc = sent(edited->activity_id);
  CHECK(std::string(doc["type"].GetString()) == "Update");
  CHECK(std::string(doc["object"]["id"].GetString()) == published->post.ap_id);
  CHECK(doc["object"].HasMember("updated"));
  CHECK(std::string(doc["object"]["content"].GetString()).find("second") != std::string::npos);

  const auto stored = stored_post(published->post.ap_id);
  CHECK(stored.updated == now);
  CHECK(stored.content_html.find("second") != std::string::npos);

  CHECK(test::run(service.edit({"https://town.example/users/town/statuses/1", "x", {}, {}}))
            .error() == ServiceError::unknown_post);
  CHECK(test::run(service.edit({published->post.ap_id, "x", {}, std::string("nobody")})).error() ==
        ServiceError::unknown_account);
}

TEST_CASE_METHOD(PostFixture, "post: delete sends Delete, keeps a tombstone, marks the post") {
  add_three_followers();
  auto published = publish("short-lived", storage::Visibility::unlisted);
  REQUIRE(published.has_value());
  now += 1000;
  auto removed = test::run(service.remove(published->post.ap_id));
  REQUIRE(removed.has_value());
  CHECK(removed->activity_id == server::views::delete_activity_id(published->post.ap_id));
  CHECK(inboxes(removed->activity_id) ==
        std::set<std::string>{"https://a.example/inbox", "https://b.example/inbox"});
  auto doc = sent(removed->activity_id);
  CHECK(std::string(doc["type"].GetString()) == "Delete");
  CHECK(std::string(doc["actor"].GetString()) == town.uri);
  CHECK(federation::as2::member_id(doc, "object").value() == published->post.ap_id);
  CHECK(ids(doc["cc"]).count(std::string(kPublic)) == 1);  // addressed like the unlisted post

  const auto stored = stored_post(published->post.ap_id);
  CHECK(stored.deleted_at == now);
  CHECK(db->read([&](storage::Connection& c) {
            return storage::tombstones::contains(c, published->post.ap_id);
          }).value());

  CHECK(test::run(service.remove(published->post.ap_id)).error() == ServiceError::post_deleted);
  CHECK(test::run(service.edit({published->post.ap_id, "again", {}, {}})).error() ==
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
  CHECK(test::run(service.edit({remote.ap_id, "mine now", {}, {}})).error() ==
        ServiceError::post_not_local);
  CHECK(test::run(service.remove(remote.ap_id)).error() == ServiceError::post_not_local);

  server::services::NewAccount other{"parks", server::services::AccountType::service, "", "", kNow};
  REQUIRE(server::services::create_local_account(*db, {"https://town.example", "town.example"}, other)
              .has_value());
  auto published = publish("by town");
  REQUIRE(published.has_value());
  CHECK(test::run(service.remove(published->post.ap_id, std::string("parks"))).error() ==
        ServiceError::not_author);
}

TEST_CASE_METHOD(PostFixture, "post: a new thread root gets <post url>/context - tags are stored") {
  const auto anna = add_remote("anna", "social.example");
  auto outcome = publish("Market plan @anna@social.example #Markt #plan #markt");
  REQUIRE(outcome.has_value());
  const auto& post = outcome->post;
  CHECK(post.context == server::views::context_url(post.ap_id));
  CHECK(post.thread_root == post.ap_id);
  CHECK(post.in_reply_to.empty());
  const auto stored = stored_post(post.ap_id);
  CHECK(stored.context == post.context);
  const auto mentions = mentions_of(stored.id);
  REQUIRE(mentions.size() == 1);
  CHECK(mentions[0].actor_uri == anna);
  CHECK(mentions[0].name == "@anna@social.example");
  const auto hashtags = db->read([&](storage::Connection& c) {
                            return storage::post_details::hashtags(c, stored.id);
                          }).value();
  REQUIRE(hashtags.size() == 2);
  CHECK(hashtags[0].name == "markt");
  CHECK(hashtags[0].href == "https://town.example/tags/Markt");
  CHECK(hashtags[1].name == "plan");

  auto doc = federation::as2::parse_json(deliveries()[0].body).value();
  const auto& note = doc["object"];
  CHECK(std::string(note["context"].GetString()) == post.context);
  CHECK(std::string(note["likes"].GetString()) == server::views::likes_url(post.ap_id));
  CHECK(std::string(note["shares"].GetString()) == server::views::shares_url(post.ap_id));
  CHECK(note["inReplyTo"].IsNull());
  std::vector<std::string> hashtag_names;
  for (const auto& tag : note["tag"].GetArray()) {
    if (std::string(tag["type"].GetString()) == "Hashtag")
      hashtag_names.push_back(tag["name"].GetString());
  }
  CHECK(hashtag_names == std::vector<std::string>{"#markt", "#plan"});
}
