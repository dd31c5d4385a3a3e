// A local account votes: on another server's poll the vote goes to the poll's author as Mastodon
// sends it (one Create(Note) per option, no content); on a consultation of this server it is
// counted at once. Unknown options, a second option on a single-choice poll, closed polls and
// posts without a poll are refused before anything is sent.
#include "tests/unit/server/services/post_service_fixture.hpp"

#include "server/services/consultation_error.hpp"
#include "server/services/consultation_service.hpp"
#include "server/services/poll_vote_service.hpp"
#include "server/views/api_poll.hpp"
#include "storage/polls.hpp"
#include "storage/posts.hpp"
#include "tests/unit/support/fixture_files.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

using namespace civicpub;
using civicpub::testing::PostFixture;
using civicpub::testing::remote_note;
using civicpub::testing::remote_person;
using server::services::ConsultationError;

namespace {

const std::string kQuestion = "https://mastodon.example/users/bob/statuses/113520000000000001";

struct VoteFixture : PostFixture {
  server::services::PollVoteService votes{*db, lookup, fetcher, [this] { return now; }, 3};

  // bob's Mastodon poll (activities/mastodon_create_question.json), as the fetcher stores it.
  void serve_question(const std::string& end_time = "2026-11-23T12:00:00Z") {
    auto create = test::parse_fixture("activities/mastodon_create_question.json");
    auto& object = create["object"];
    object["endTime"].SetString(end_time.c_str(), static_cast<rapidjson::SizeType>(end_time.size()),
                                create.GetAllocator());
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    object.Accept(writer);
    auto post = remote_note(kQuestion);
    post.object_type = "Question";
    post.raw_json = buffer.GetString();
    fetcher.serve(post, remote_person("mastodon.example", "bob", "https://mastodon.example/inbox"));
  }

  // The client API's Poll entity of the poll at `url` as `viewer` sees it.
  server::views::PollEntity entity(const std::string& url, std::optional<std::int64_t> viewer) {
    const auto info = instance();
    const server::views::ApiView view{info, viewer, now};
    return db->read([&](storage::Connection& c) -> Result<server::views::PollEntity> {
             auto post = storage::posts::find_by_ap_id(c, url);
             if (!post) return post.error();
             auto poll = server::views::poll_of(c, **post, view);
             if (!poll) return poll.error();
             return **poll;
           })
        .value();
  }

  Result<server::services::PollVoteOutcome> vote(std::vector<std::string> options,
                                                 const std::string& url = kQuestion) {
    return test::run(votes.vote(url, "town", std::move(options)));
  }
};

}  // namespace

TEST_CASE_METHOD(VoteFixture,
                 "poll vote: a vote on a remote poll goes to its author, as Mastodon's") {
  serve_question();
  auto outcome = vote({"Near the library"});
  REQUIRE(outcome);
  CHECK(outcome->remote);
  REQUIRE(outcome->activity_ids.size() == 1);
  CHECK(outcome->deliveries == 1);
  CHECK(inboxes(outcome->activity_ids[0]) ==
        std::set<std::string>{"https://mastodon.example/inbox"});
  auto body = sent(outcome->activity_ids[0]);
  CHECK(std::string(body["type"].GetString()) == "Create");
  CHECK(std::string(body["actor"].GetString()) == town.uri);
  const auto& note = body["object"];
  CHECK(std::string(note["type"].GetString()) == "Note");
  CHECK(std::string(note["name"].GetString()) == "Near the library");
  CHECK(std::string(note["inReplyTo"].GetString()) == kQuestion);
  CHECK(std::string(note["attributedTo"].GetString()) == town.uri);
  CHECK(std::string(note["to"][0].GetString()) == "https://mastodon.example/users/bob");
  CHECK_FALSE(note.HasMember("content"));
}

TEST_CASE_METHOD(VoteFixture,
                 "poll vote: wrong options and closed polls are refused, nothing sent") {
  serve_question();
  CHECK(vote({"On the roof"}).error() == ConsultationError::vote_unknown_option);
  CHECK(vote({"By the pond", "Near the library"}).error() == ConsultationError::one_choice_only);
  CHECK(vote({}).error() == ConsultationError::vote_unknown_option);
  CHECK(deliveries().empty());

  fetcher.serve(remote_note("https://mastodon.example/users/bob/statuses/2"),
                remote_person("mastodon.example", "bob", "https://mastodon.example/inbox"));
  CHECK(vote({"x"}, "https://mastodon.example/users/bob/statuses/2").error() ==
        ConsultationError::not_a_poll);
}

TEST_CASE_METHOD(VoteFixture, "poll vote: a poll past its endTime is closed") {
  serve_question("2020-01-01T00:00:00Z");
  CHECK(vote({"By the pond"}).error() == ConsultationError::vote_closed);
  CHECK(deliveries().empty());
}

TEST_CASE_METHOD(VoteFixture,
                 "poll vote: a local account's vote on a local consultation is counted") {
  server::services::ConsultationService consultations{*db, service, [this] { return now; }};
  auto other = server::services::create_local_account(
      *db, {"https://town.example", "town.example"},
      {"resident", server::services::AccountType::person, "Resident", "", now});
  REQUIRE(other);
  auto created = test::run(consultations.create(
      {"resident", "Bench?", "Where?", {"Pond", "Library"}, false, now + 60000, {}, {}}));
  REQUIRE(created);
  auto outcome = vote({"Library"}, created->post.ap_id);
  REQUIRE(outcome);
  CHECK_FALSE(outcome->remote);
  CHECK(outcome->counted == 1);
  auto counts = db->read([&](storage::Connection& c) {
                    return storage::polls::counts(c, created->post.id);
                  }).value();
  CHECK(counts[1].total() == 1);
}

TEST_CASE_METHOD(VoteFixture, "poll vote: by position, as the client API's choices[]") {
  serve_question();
  CHECK(test::run(votes.vote_at(kQuestion, "town", {2})).error() ==
        ConsultationError::vote_unknown_option);
  CHECK(test::run(votes.vote_at(kQuestion, "town", {-1})).error() ==
        ConsultationError::vote_unknown_option);
  CHECK(deliveries().empty());
  auto outcome = test::run(votes.vote_at(kQuestion, "town", {1}));
  REQUIRE(outcome);
  REQUIRE(outcome->activity_ids.size() == 1);
  CHECK(std::string(sent(outcome->activity_ids[0])["object"]["name"].GetString()) ==
        "Near the library");
}

TEST_CASE_METHOD(VoteFixture, "poll vote: a local account votes once on a remote poll") {
  serve_question();
  REQUIRE(vote({"By the pond"}));
  CHECK(vote({"Near the library"}).error() == ConsultationError::already_voted);
  // The entity: counts as bob's server last sent them, the choice as this server sent it.
  auto poll = entity(kQuestion, town.id);
  CHECK_FALSE(poll.multiple);
  CHECK_FALSE(poll.expired);
  REQUIRE(poll.options.size() == 2);
  CHECK(poll.options[0].title == "By the pond");
  CHECK(poll.own_votes == std::vector<int>{0});
  CHECK(poll.expires_at.has_value());
  CHECK(entity(kQuestion, std::nullopt).own_votes.empty());
  CHECK(vote({"By the pond"}).error() == ConsultationError::already_voted);
  CHECK(deliveries().size() == 1);
}

TEST_CASE_METHOD(VoteFixture, "poll vote: a local account votes once on a local consultation") {
  server::services::ConsultationService consultations{*db, service, [this] { return now; }};
  auto other = server::services::create_local_account(
      *db, {"https://town.example", "town.example"},
      {"resident", server::services::AccountType::person, "Resident", "", now});
  REQUIRE(other);
  auto created = test::run(consultations.create(
      {"resident", "Bench?", "Where?", {"Pond", "Library"}, false, now + 60000, {}, {}}));
  REQUIRE(created);
  REQUIRE(vote({"Library"}, created->post.ap_id));
  CHECK(vote({"Pond"}, created->post.ap_id).error() == ConsultationError::already_voted);
  CHECK(test::run(votes.vote_at(created->post.ap_id, "town", {0, 1})).error() ==
        ConsultationError::one_choice_only);
  auto counts = db->read([&](storage::Connection& c) {
                    return storage::polls::counts(c, created->post.id);
                  }).value();
  CHECK(counts[0].total() == 0);
  CHECK(counts[1].total() == 1);
  auto poll = entity(created->post.ap_id, town.id);
  CHECK(poll.id == created->post.id);
  CHECK(poll.votes_count == 1);
  CHECK(poll.voters_count == 1);
  CHECK(poll.options[1].votes_count == 1);
  CHECK(poll.own_votes == std::vector<int>{1});
  CHECK(poll.expires_at == now + 60000);
  CHECK_FALSE(poll.expired);
  now += 60000;
  CHECK(entity(created->post.ap_id, town.id).expired);
  CHECK(vote({"Pond"}, created->post.ap_id).error() == ConsultationError::vote_closed);
}
