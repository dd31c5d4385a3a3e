// Telling votes from replies (FEP-9967 as real servers send it): fixtures of Mastodon's,
// Misskey's and snac's votes, and replies that look like votes.
#include "federation/as2/vote.hpp"
#include "tests/unit/support/fixture_files.hpp"
#include "tests/unit/support/json.hpp"

#include <catch2/catch.hpp>

namespace as2 = civicpub::federation::as2;
using civicpub::test::parse;
using civicpub::test::parse_fixture;

TEST_CASE("vote: empty content is absent, blank, <br> or an empty paragraph") {
  CHECK(as2::is_empty_content(""));
  CHECK(as2::is_empty_content("  \n"));
  CHECK(as2::is_empty_content("<br>"));
  CHECK(as2::is_empty_content("<br/>"));
  CHECK(as2::is_empty_content("<BR />"));
  CHECK(as2::is_empty_content("<p></p>"));
  CHECK(as2::is_empty_content("<p><br></p>"));
  CHECK_FALSE(as2::is_empty_content("yes"));
  CHECK_FALSE(as2::is_empty_content("<p>yes</p>"));
  CHECK_FALSE(as2::is_empty_content("<img src=x>"));
  CHECK_FALSE(as2::is_empty_content("<br"));
}

TEST_CASE("vote: Mastodon, Misskey and snac votes are read") {
  for (const auto* file :
       {"polls/mastodon_vote.json", "polls/misskey_vote.json", "polls/snac_vote.json"}) {
    INFO(file);
    auto doc = parse_fixture(file);
    auto vote = as2::read_vote(doc["object"]);
    REQUIRE(vote);
    CHECK(vote->question == "https://town.example/users/gemeente/statuses/q1");
    CHECK(vote->attributed_to == "https://remote.example/users/anna");
    CHECK_FALSE(vote->option.empty());
    CHECK(vote->id.rfind("https://remote.example/users/anna", 0) == 0);
  }
  auto mastodon = parse_fixture("polls/mastodon_vote.json");
  CHECK(as2::read_vote(mastodon["object"])->option == "By the pond");
}

TEST_CASE("vote: a reply with text, a note without name or inReplyTo is no vote") {
  auto reply = parse(R"({"type":"Note","name":"By the pond","content":"<p>I prefer the pond</p>",
    "inReplyTo":"https://town.example/q"})");
  CHECK_FALSE(as2::read_vote(reply));
  auto nameless = parse(R"({"type":"Note","inReplyTo":"https://town.example/q"})");
  CHECK_FALSE(as2::read_vote(nameless));
  auto empty_name = parse(R"({"type":"Note","name":"","inReplyTo":"https://town.example/q"})");
  CHECK_FALSE(as2::read_vote(empty_name));
  auto top = parse(R"({"type":"Note","name":"By the pond"})");
  CHECK_FALSE(as2::read_vote(top));
  auto question = parse(R"({"type":"Question","name":"x","inReplyTo":"https://town.example/q"})");
  CHECK_FALSE(as2::read_vote(question));
  auto object_parent = parse(
      R"({"type":"Note","name":"Yes","inReplyTo":{"id":"https://town.example/q","type":"Question"}})");
  REQUIRE(as2::read_vote(object_parent));
  CHECK(as2::read_vote(object_parent)->question == "https://town.example/q");
}

TEST_CASE("vote: another server's poll is read from its Question, open or closed") {
  auto create = parse_fixture("activities/mastodon_create_question.json");
  const auto& open_question = create["object"];
  const std::int64_t before_end = 1795435200000 - 1000;  // 2026-11-23T12:00:00Z, less a second
  auto poll = as2::read_remote_poll(open_question, before_end);
  REQUIRE(poll);
  CHECK_FALSE(poll->multiple);
  CHECK(poll->options == std::vector<std::string>{"By the pond", "Near the library"});
  CHECK(poll->counts == std::vector<std::int64_t>{2, 1});
  CHECK_FALSE(poll->closed);
  CHECK(as2::read_remote_poll(open_question, before_end + 1000)->closed);  // endTime reached

  auto closed = parse_fixture("polls/mastodon_question_closed.json");
  auto multi = as2::read_remote_poll(closed, 0);
  REQUIRE(multi);
  CHECK(multi->multiple);
  CHECK(multi->options.size() == 3);
  CHECK(multi->closed);  // `closed` alone says so
  CHECK_FALSE(as2::read_remote_poll(parse(R"({"type":"Note","content":"x"})"), 0));
}

TEST_CASE("vote: our vote has the shape of Mastodon's") {
  const auto ours = parse(as2::render_vote("https://town.example/users/anna#votes/7",
                                           "https://town.example/users/anna",
                                           "https://mastodon.example/users/bob/statuses/1",
                                           "https://mastodon.example/users/bob", "By the pond"));
  auto mastodon = parse_fixture("polls/mastodon_vote.json");
  CHECK(std::string(ours["type"].GetString()) == "Create");
  CHECK(std::string(ours["id"].GetString()) == "https://town.example/users/anna#votes/7/activity");
  for (const auto& member : mastodon["object"].GetObject()) {
    INFO(member.name.GetString());
    CHECK(ours["object"].HasMember(member.name.GetString()));
  }
  CHECK_FALSE(ours["object"].HasMember("content"));
  auto vote = as2::read_vote(ours["object"]);
  REQUIRE(vote);
  CHECK(vote->option == "By the pond");
  CHECK(vote->question == "https://mastodon.example/users/bob/statuses/1");
}
