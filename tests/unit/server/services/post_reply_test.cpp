// PostService::publish of a reply: the parent fetched (with the thread above it) when it is not
// stored, the thread root and context taken from the thread, the parent's author addressed and
// mentioned, and edits and deletes reaching the same audience.
#include "tests/unit/server/services/post_service_fixture.hpp"

#include "federation/federation_error.hpp"
#include "server/services/service_error.hpp"
#include "server/views/post_urls.hpp"
#include "storage/post_details.hpp"
#include "storage/posts.hpp"

using namespace civicpub;
using civicpub::testing::ids;
using civicpub::testing::kPublic;
using civicpub::testing::mentions_in;
using civicpub::testing::PostFixture;
using civicpub::testing::remote_note;
using civicpub::testing::remote_person;
using server::services::PublishRequest;
using server::services::ServiceError;

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
  CHECK(inboxes(outcome->activity_id) == std::set<std::string>{"https://a.example/inbox",
                                                               "https://b.example/inbox",
                                                               "https://social.example/inbox"});
  auto doc = federation::as2::parse_json(rows[0].body).value();
  const auto& note = doc["object"];
  CHECK(std::string(note["inReplyTo"].GetString()) == parent_id);
  CHECK(std::string(note["context"].GetString()) == context);
  CHECK(ids(note["to"]) == std::set<std::string>{std::string(kPublic)});
  CHECK(ids(note["cc"]) == std::set<std::string>{town.followers, anna.uri});
  CHECK(mentions_in(note) ==
        std::vector<std::pair<std::string, std::string>>{{anna.uri, "@anna@social.example"}});

  const auto stored = stored_post(post.ap_id);
  CHECK(stored.in_reply_to == parent_id);
  CHECK(stored.context == context);
  const auto mentions = mentions_of(stored.id);
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
  CHECK(inboxes(outcome->activity_id) == std::set<std::string>{anna.uri + "/inbox"});
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
  CHECK_FALSE(doc["object"].HasMember("context"));
}

TEST_CASE_METHOD(PostFixture, "reply: to a local post copies its context and mentions its author") {
  server::services::NewAccount parks{"parks", server::services::AccountType::service, "Parks", "",
                                     kNow};
  REQUIRE(
      server::services::create_local_account(*db, {"https://town.example", "town.example"}, parks)
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
  const auto stored = stored_post(answer->post.ap_id);
  const auto mentions = mentions_of(stored.id);
  REQUIRE(mentions.size() == 1);
  CHECK(mentions[0].actor_uri == town.uri);
  CHECK(mentions[0].name == "@town@town.example");

  // Town answering in its own thread mentions nobody and goes to its followers.
  now += 1000;
  auto again = reply(answer->post.ap_id, "Thanks, parks");
  REQUIRE(again.has_value());
  CHECK(again->post.context == server::views::context_url(root->post.ap_id));
  CHECK(again->post.thread_root == root->post.ap_id);
  CHECK(inboxes(again->activity_id) ==
        std::set<std::string>{"https://a.example/inbox", "https://b.example/inbox"});
  auto own = reply(root->post.ap_id, "and a self-reply");
  REQUIRE(own.has_value());
  auto doc = sent(own->activity_id);
  CHECK(mentions_in(doc["object"]).empty());
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
  CHECK(inboxes(direct->activity_id) == std::set<std::string>{"https://social.example/inbox"});
  auto followers = reply(parent.ap_id, "to my followers", storage::Visibility::followers);
  REQUIRE(followers.has_value());
  const auto rows = deliveries();
  CHECK(inboxes(followers->activity_id) == std::set<std::string>{"https://a.example/inbox",
                                                                 "https://b.example/inbox",
                                                                 "https://social.example/inbox"});
  for (const auto& row : rows) {
    auto doc = federation::as2::parse_json(row.body).value();
    const auto& note = doc["object"];
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
  CHECK(inboxes(answer->activity_id) == everyone);

  now += 1000;
  auto edited = test::run(service.edit({answer->post.ap_id, "no names any more", {}, {}}));
  REQUIRE(edited.has_value());
  // Bob was mentioned before the edit and hears of it; anna stays addressed as the parent author.
  CHECK(inboxes(edited->activity_id) == everyone);
  const auto stored = stored_post(answer->post.ap_id);
  const auto mentions = mentions_of(stored.id);
  REQUIRE(mentions.size() == 1);
  CHECK(mentions[0].actor_uri == anna.uri);
  const auto edit_sent = sent(edited->activity_id);
  CHECK(std::string(edit_sent["object"]["inReplyTo"].GetString()) ==
        "https://social.example/notes/5");
  CHECK(ids(edit_sent["object"]["cc"]).count(anna.uri) == 1);

  now += 1000;
  auto removed = test::run(service.remove(answer->post.ap_id));
  REQUIRE(removed.has_value());
  CHECK(inboxes(removed->activity_id) == std::set<std::string>{"https://a.example/inbox",
                                                               "https://b.example/inbox",
                                                               "https://social.example/inbox"});
  auto doc = sent(removed->activity_id);
  CHECK(ids(doc["cc"]).count(anna.uri) == 1);
}
