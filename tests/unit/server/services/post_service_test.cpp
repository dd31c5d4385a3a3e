#include "tests/unit/support/fake_post_fetcher.hpp"
#include "federation/as2/reader.hpp"
#include "server/views/post_urls.hpp"
#include "server/services/post_service.hpp"
#include "server/services/service_error.hpp"
#include "tests/unit/server/services/services_fixture.hpp"
#include "storage/post_details.hpp"
#include "storage/posts.hpp"
#include "storage/tombstones.hpp"

#include <set>

using namespace civicpub;
using civicpub::testing::run;
using server::services::PostService;
using server::services::PublishRequest;
using server::services::ServiceError;

namespace {

constexpr std::string_view kPublic = "https://www.w3.org/ns/activitystreams#Public";

struct PostFixture : civicpub::testing::ServicesFixture {
  civicpub::testing::FakePostFetcher fetcher{*db};
  PostService service{
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
    return run(
        service.publish(PublishRequest{"town", std::move(text), v, std::move(cw), std::nullopt}));
  }

  Result<server::services::PostOutcome> reply(
      std::string parent, std::string text, storage::Visibility v = storage::Visibility::public_,
      std::string as = "town") {
    return run(
        service.publish(PublishRequest{std::move(as), std::move(text), v, "", std::move(parent)}));
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
  CHECK(outcome->activity_id == server::views::create_activity_id(post.ap_id));
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
  CHECK(std::string(note["replies"].GetString()) == server::views::replies_url(post.ap_id));
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
  CHECK(run(service.publish(
                PublishRequest{"nobody", "hi", storage::Visibility::public_, "", std::nullopt}))
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
  CHECK(edited->activity_id == server::views::update_activity_id(published->post.ap_id, now));
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
  CHECK(removed->activity_id == server::views::delete_activity_id(published->post.ap_id));
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

  server::services::NewAccount other{"parks", server::services::AccountType::service, "", "", kNow};
  REQUIRE(server::services::create_local_account(*db, {"https://town.example", "town.example"}, other)
              .has_value());
  auto published = publish("by town");
  REQUIRE(published.has_value());
  CHECK(run(service.remove(published->post.ap_id, std::string("parks"))).error() ==
        ServiceError::not_author);
}

namespace {

storage::ActorRecord remote_person(const std::string& host, const std::string& name,
                                   const std::string& shared_inbox = {}) {
  storage::ActorRecord a;
  a.uri = "https://" + host + "/users/" + name;
  a.type = "Person";
  a.username = name;
  a.domain = host;
  a.inbox = a.uri + "/inbox";
  a.shared_inbox = shared_inbox;
  a.followers = a.uri + "/followers";
  a.key_id = a.uri + "#main-key";
  a.public_key_pem = "PEM";
  a.raw_json = "{}";
  a.created_at = a.updated_at = a.fetched_at = civicpub::testing::ServicesFixture::kNow;
  return a;
}

storage::PostRecord remote_note(const std::string& id, const std::string& in_reply_to = {},
                                const std::string& context = {}) {
  storage::PostRecord p;
  p.ap_id = id;
  p.in_reply_to = in_reply_to;
  p.thread_root = in_reply_to.empty() ? id : in_reply_to;
  p.context = context;
  p.content_html = "<p>remote</p>";
  p.published = civicpub::testing::ServicesFixture::kNow - 5000;
  return p;
}

const rapidjson::Value& object_of(const rapidjson::Document& doc) {
  return doc["object"];
}

std::vector<std::pair<std::string, std::string>> mentions_in(const rapidjson::Value& note) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& tag : note["tag"].GetArray()) {
    if (std::string(tag["type"].GetString()) == "Mention") {
      out.emplace_back(tag["href"].GetString(), tag["name"].GetString());
    }
  }
  return out;
}

}  // namespace

TEST_CASE_METHOD(PostFixture, "post: a new thread root gets <post url>/context; tags are stored") {
  const auto anna = add_remote("anna", "social.example");
  auto outcome = publish("Market plan @anna@social.example #Markt #plan #markt");
  REQUIRE(outcome.has_value());
  const auto& post = outcome->post;
  CHECK(post.context == server::views::context_url(post.ap_id));
  CHECK(post.thread_root == post.ap_id);
  CHECK(post.in_reply_to.empty());
  auto stored = db->read([&](storage::Connection& c) {
                    return storage::posts::find_by_ap_id(c, post.ap_id);
                  }).value();
  REQUIRE(stored);
  CHECK(stored->context == post.context);
  const auto mentions = db->read([&](storage::Connection& c) {
                            return storage::post_details::mentions(c, stored->id);
                          }).value();
  REQUIRE(mentions.size() == 1);
  CHECK(mentions[0].actor_uri == anna);
  CHECK(mentions[0].name == "@anna@social.example");
  const auto hashtags = db->read([&](storage::Connection& c) {
                            return storage::post_details::hashtags(c, stored->id);
                          }).value();
  REQUIRE(hashtags.size() == 2);
  CHECK(hashtags[0].name == "markt");
  CHECK(hashtags[0].href == "https://town.example/tags/Markt");
  CHECK(hashtags[1].name == "plan");

  auto doc = federation::as2::parse_json(deliveries()[0].body).value();
  const auto& note = object_of(doc);
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

TEST_CASE_METHOD(PostFixture,
                 "reply: to a remote post not yet stored: fetched, addressed, delivered") {
  add_three_followers();
  const auto anna = remote_person("social.example", "anna", "https://social.example/inbox");
  const std::string root = "https://social.example/notes/1";
  const std::string parent_id = "https://social.example/notes/2";
  const std::string context = "https://social.example/contexts/1";
  auto parent = remote_note(parent_id, root, context);
  parent.thread_root = root;
  fetcher.serve(parent, anna);

  auto outcome = reply(parent_id, "Thank you, we will look into it.");
  REQUIRE(outcome.has_value());
  CHECK(fetcher.requested.front() == parent_id);
  CHECK(fetcher.ancestors_asked == std::vector<std::string>{parent_id});
  const auto& post = outcome->post;
  CHECK(post.in_reply_to == parent_id);
  CHECK(post.thread_root == root);
  CHECK(post.context == context);

  const auto rows = deliveries();
  CHECK(inboxes(rows, outcome->activity_id) ==
        std::set<std::string>{"https://a.example/inbox", "https://b.example/inbox",
                              "https://social.example/inbox"});
  auto doc = federation::as2::parse_json(rows[0].body).value();
  const auto& note = object_of(doc);
  CHECK(std::string(note["inReplyTo"].GetString()) == parent_id);
  CHECK(std::string(note["context"].GetString()) == context);
  CHECK(ids(note["to"]) == std::set<std::string>{std::string(kPublic)});
  CHECK(ids(note["cc"]) == std::set<std::string>{town.followers, anna.uri});
  CHECK(mentions_in(note) ==
        std::vector<std::pair<std::string, std::string>>{{anna.uri, "@anna@social.example"}});

  auto stored = db->read([&](storage::Connection& c) {
                    return storage::posts::find_by_ap_id(c, post.ap_id);
                  }).value();
  REQUIRE(stored);
  CHECK(stored->in_reply_to == parent_id);
  CHECK(stored->context == context);
  const auto mentions = db->read([&](storage::Connection& c) {
                            return storage::post_details::mentions(c, stored->id);
                          }).value();
  REQUIRE(mentions.size() == 1);
  CHECK(mentions[0].actor_uri == anna.uri);
}

TEST_CASE_METHOD(PostFixture, "reply: the thread above the parent is fetched first for its root") {
  const auto anna = remote_person("social.example", "anna");
  const std::string root = "https://social.example/notes/1";
  const std::string parent_id = "https://social.example/notes/2";
  // The parent arrives knowing only its own parent (thread_root = that URI, no context).
  fetcher.serve(remote_note(parent_id, "https://social.example/notes/1b"), anna);
  auto middle = remote_note("https://social.example/notes/1b", root);
  auto top = remote_note(root, "", "https://social.example/contexts/1");
  fetcher.serve_ancestor(top, anna);
  fetcher.serve_ancestor(middle, anna);
  fetcher.relink("https://social.example/notes/1b", root);

  auto outcome = reply(parent_id, "a reply deep in the thread");
  REQUIRE(outcome.has_value());
  CHECK(outcome->post.thread_root == root);
  // The parent has no context of its own: the thread root's is used.
  CHECK(outcome->post.context == "https://social.example/contexts/1");
  CHECK(inboxes(deliveries(), outcome->activity_id) == std::set<std::string>{anna.uri + "/inbox"});
}

TEST_CASE_METHOD(PostFixture, "reply: no context anywhere in the thread leaves it empty") {
  const auto anna = remote_person("social.example", "anna");
  fetcher.serve(remote_note("https://social.example/notes/9"), anna);
  auto outcome = reply("https://social.example/notes/9", "hello");
  REQUIRE(outcome.has_value());
  CHECK(outcome->post.context.empty());
  CHECK(outcome->post.thread_root == "https://social.example/notes/9");
  CHECK(fetcher.ancestors_asked.empty());  // a top post has nothing above it
  auto doc = federation::as2::parse_json(deliveries()[0].body).value();
  CHECK_FALSE(object_of(doc).HasMember("context"));
}

TEST_CASE_METHOD(PostFixture, "reply: to a local post copies its context and mentions its author") {
  server::services::NewAccount parks{"parks", server::services::AccountType::service, "Parks", "", kNow};
  REQUIRE(server::services::create_local_account(*db, {"https://town.example", "town.example"}, parks)
              .has_value());
  add_three_followers();
  auto root = publish("The plan for the park");
  REQUIRE(root.has_value());
  now += 1000;
  auto answer = reply(root->post.ap_id, "We agree", storage::Visibility::public_, "parks");
  REQUIRE(answer.has_value());
  CHECK(answer->post.in_reply_to == root->post.ap_id);
  CHECK(answer->post.thread_root == root->post.ap_id);
  CHECK(answer->post.context == server::views::context_url(root->post.ap_id));
  // Parks has no followers and town is local: nothing to send.
  CHECK(answer->deliveries == 0);
  auto stored = db->read([&](storage::Connection& c) {
                    return storage::posts::find_by_ap_id(c, answer->post.ap_id);
                  }).value();
  REQUIRE(stored);
  const auto mentions = db->read([&](storage::Connection& c) {
                            return storage::post_details::mentions(c, stored->id);
                          }).value();
  REQUIRE(mentions.size() == 1);
  CHECK(mentions[0].actor_uri == town.uri);
  CHECK(mentions[0].name == "@town@town.example");

  // Town answering in its own thread mentions nobody and goes to its followers.
  now += 1000;
  auto again = reply(answer->post.ap_id, "Thanks, parks");
  REQUIRE(again.has_value());
  CHECK(again->post.context == server::views::context_url(root->post.ap_id));
  CHECK(again->post.thread_root == root->post.ap_id);
  CHECK(inboxes(deliveries(), again->activity_id) ==
        std::set<std::string>{"https://a.example/inbox", "https://b.example/inbox"});
  auto own = reply(root->post.ap_id, "and a self-reply");
  REQUIRE(own.has_value());
  const auto rows = deliveries();
  const auto& row = *std::find_if(rows.begin(), rows.end(),
                                  [&](const auto& r) { return r.activity_id == own->activity_id; });
  auto doc = federation::as2::parse_json(row.body).value();
  CHECK(mentions_in(object_of(doc)).empty());
}

TEST_CASE_METHOD(PostFixture, "reply: a restricted parent keeps the requested visibility") {
  add_three_followers();
  const auto anna = remote_person("social.example", "anna", "https://social.example/inbox");
  auto parent = remote_note("https://social.example/notes/dm");
  parent.visibility = storage::Visibility::direct;
  fetcher.serve(parent, anna);
  auto direct = reply(parent.ap_id, "privately", storage::Visibility::direct);
  REQUIRE(direct.has_value());
  CHECK(direct->post.visibility == storage::Visibility::direct);
  CHECK(inboxes(deliveries(), direct->activity_id) ==
        std::set<std::string>{"https://social.example/inbox"});
  auto followers = reply(parent.ap_id, "to my followers", storage::Visibility::followers);
  REQUIRE(followers.has_value());
  const auto rows = deliveries();
  CHECK(inboxes(rows, followers->activity_id) ==
        std::set<std::string>{"https://a.example/inbox", "https://b.example/inbox",
                              "https://social.example/inbox"});
  for (const auto& row : rows) {
    auto doc = federation::as2::parse_json(row.body).value();
    const auto& note = object_of(doc);
    if (row.activity_id == direct->activity_id) {
      CHECK(ids(note["to"]) == std::set<std::string>{anna.uri});
    } else {
      CHECK(ids(note["to"]) == std::set<std::string>{town.followers});
      CHECK(ids(note["cc"]) == std::set<std::string>{anna.uri});
    }
  }
}

TEST_CASE_METHOD(PostFixture, "reply: a deleted or unreachable parent is refused, nothing stored") {
  const auto anna = remote_person("social.example", "anna");
  auto gone = remote_note("https://social.example/notes/gone");
  gone.deleted_at = kNow - 10;
  fetcher.serve(gone, anna);
  CHECK(reply(gone.ap_id, "too late").error() == ServiceError::parent_deleted);
  CHECK(reply("https://nowhere.example/notes/1", "hello?").error() ==
        federation::FederationError::fetch_failed);
  CHECK(deliveries().empty());
  CHECK(db->read([](storage::Connection& c) { return storage::posts::count_local(c); }).value() ==
        0);
}

TEST_CASE_METHOD(PostFixture, "reply: edit and delete reach the parent author from the table") {
  add_three_followers();
  const auto anna = remote_person("social.example", "anna", "https://social.example/inbox");
  const auto bob = add_remote("bob", "other.example");
  fetcher.serve(remote_note("https://social.example/notes/5"), anna);
  auto answer = reply("https://social.example/notes/5", "cc @bob@other.example");
  REQUIRE(answer.has_value());
  const std::set<std::string> everyone{"https://a.example/inbox", "https://b.example/inbox",
                                       "https://social.example/inbox", bob + "/inbox"};
  CHECK(inboxes(deliveries(), answer->activity_id) == everyone);

  now += 1000;
  auto edited = run(service.edit({answer->post.ap_id, "no names any more", {}, {}}));
  REQUIRE(edited.has_value());
  // Bob was mentioned before the edit and hears of it; anna stays addressed as the parent author.
  CHECK(inboxes(deliveries(), edited->activity_id) == everyone);
  auto stored = db->read([&](storage::Connection& c) {
                    return storage::posts::find_by_ap_id(c, answer->post.ap_id);
                  }).value();
  REQUIRE(stored);
  const auto mentions = db->read([&](storage::Connection& c) {
                            return storage::post_details::mentions(c, stored->id);
                          }).value();
  REQUIRE(mentions.size() == 1);
  CHECK(mentions[0].actor_uri == anna.uri);
  {
    const auto rows = deliveries();
    const auto& row = *std::find_if(rows.begin(), rows.end(), [&](const auto& r) {
      return r.activity_id == edited->activity_id;
    });
    auto doc = federation::as2::parse_json(row.body).value();
    CHECK(std::string(object_of(doc)["inReplyTo"].GetString()) == "https://social.example/notes/5");
    CHECK(ids(object_of(doc)["cc"]).count(anna.uri) == 1);
  }

  now += 1000;
  auto removed = run(service.remove(answer->post.ap_id));
  REQUIRE(removed.has_value());
  const auto rows = deliveries();
  CHECK(inboxes(rows, removed->activity_id) ==
        std::set<std::string>{"https://a.example/inbox", "https://b.example/inbox",
                              "https://social.example/inbox"});
  const auto& row = *std::find_if(rows.begin(), rows.end(), [&](const auto& r) {
    return r.activity_id == removed->activity_id;
  });
  auto doc = federation::as2::parse_json(row.body).value();
  CHECK(ids(doc["cc"]).count(anna.uri) == 1);
}
