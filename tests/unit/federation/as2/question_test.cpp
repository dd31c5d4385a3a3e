// A local consultation as a Mastodon-compatible Question (INTEROP.md section 9): the same shape,
// member by member and type by type, as the Question Mastodon itself serializes (fixtures
// activities/mastodon_create_question.json, open single choice, and
// polls/mastodon_question_closed.json, closed multiple choice).
#include "federation/as2/activities.hpp"
#include "federation/as2/note.hpp"
#include "tests/unit/support/fixture_files.hpp"
#include "tests/unit/support/json.hpp"

#include <catch2/catch.hpp>

#include <set>

namespace as2 = civicpub::federation::as2;
using civicpub::test::parse;
using civicpub::test::parse_fixture;
using civicpub::test::str;

namespace {

as2::NoteView question(bool multiple, bool closed) {
  as2::NoteView n;
  n.id = "https://town.example/users/council/statuses/q1";
  n.attributed_to = "https://town.example/users/council";
  n.content_html = "<p>Where should the new bench go?</p>";
  n.published = 1767225600000;
  n.url = n.id;
  n.context = n.id + "/context";
  n.followers = "https://town.example/users/council/followers";
  n.replies = n.id + "/replies";
  n.name = "The new bench";
  as2::PollView poll;
  poll.multiple = multiple;
  poll.options = {{"By the pond", 2}, {"Near the library", 1}};
  poll.end_time = 1767312000000;
  if (closed) poll.closed = poll.end_time;
  poll.voters_count = 3;
  n.poll = poll;
  return n;
}

std::set<std::string> members(const rapidjson::Value& object) {
  std::set<std::string> out;
  for (const auto& m : object.GetObject()) out.insert(m.name.GetString());
  return out;
}

// Every poll member Mastodon writes is there with the same JSON type, and the options match
// Mastodon's option objects exactly (type, name, replies{type, totalItems}).
void same_poll_shape(const rapidjson::Value& ours, const rapidjson::Value& mastodon,
                     const char* choices) {
  REQUIRE(ours.HasMember(choices));
  REQUIRE(mastodon.HasMember(choices));
  CHECK(str(ours["type"]) == "Question");
  for (const char* member : {"endTime", "votersCount", "content", "attributedTo", "published"}) {
    INFO(member);
    REQUIRE(ours.HasMember(member));
    CHECK(ours[member].GetType() == mastodon[member].GetType());
  }
  const auto& mine = ours[choices].GetArray();
  const auto& theirs = mastodon[choices].GetArray();
  REQUIRE(mine.Size() >= 1);
  for (const auto& option : mine) {
    CHECK(members(option) == members(theirs[0]));
    CHECK(str(option["type"]) == "Note");
    CHECK(members(option["replies"]) == members(theirs[0]["replies"]));
    CHECK(str(option["replies"]["type"]) == "Collection");
    CHECK(option["replies"]["totalItems"].IsInt64());
  }
}

bool context_defines_voters_count(const rapidjson::Value& doc) {
  for (const auto& entry : doc["@context"].GetArray()) {
    if (entry.IsObject() && entry.HasMember("votersCount")) {
      return str(entry["votersCount"]) == "toot:votersCount" &&
             str(entry["toot"]) == "http://joinmastodon.org/ns#";
    }
  }
  return false;
}

}  // namespace

TEST_CASE("question: an open single-choice consultation has Mastodon's Question shape") {
  auto doc = parse(as2::render_note(question(false, false)));
  auto mastodon = parse_fixture("activities/mastodon_create_question.json");
  same_poll_shape(doc, mastodon["object"], "oneOf");
  CHECK_FALSE(doc.HasMember("anyOf"));
  CHECK_FALSE(doc.HasMember("closed"));
  CHECK(str(doc["name"]) == "The new bench");
  CHECK(str(doc["endTime"]) == "2026-01-02T00:00:00.000Z");
  CHECK(doc["votersCount"].GetInt64() == 3);
  CHECK(str(doc["oneOf"][0]["name"]) == "By the pond");
  CHECK(doc["oneOf"][0]["replies"]["totalItems"].GetInt64() == 2);
  CHECK(doc["oneOf"][1]["replies"]["totalItems"].GetInt64() == 1);
  // Still a complete thread root: context and replies as on every post.
  CHECK(str(doc["context"]) == "https://town.example/users/council/statuses/q1/context");
  CHECK(str(doc["replies"]) == "https://town.example/users/council/statuses/q1/replies");
  CHECK(context_defines_voters_count(doc));
}

TEST_CASE("question: a closed multiple-choice consultation has anyOf and closed") {
  auto doc = parse(as2::render_note(question(true, true)));
  auto mastodon = parse_fixture("polls/mastodon_question_closed.json");
  same_poll_shape(doc, mastodon, "anyOf");
  CHECK_FALSE(doc.HasMember("oneOf"));
  REQUIRE(doc.HasMember("closed"));
  CHECK(doc["closed"].GetType() == mastodon["closed"].GetType());
  CHECK(str(doc["closed"]) == str(doc["endTime"]));
}

TEST_CASE("question: Create and Update wrap the Question with the toot context") {
  const auto n = question(false, false);
  auto create = parse(as2::render_create_note(n.id + "/activity", n));
  CHECK(str(create["object"]["type"]) == "Question");
  CHECK(context_defines_voters_count(create));
  auto update = parse(as2::render_update_note(n.id + "#updates/1", n));
  CHECK(str(update["type"]) == "Update");
  CHECK(str(update["object"]["type"]) == "Question");
  // New counts are no edit: without `updated` Mastodon takes them as counts only.
  CHECK_FALSE(update["object"].HasMember("updated"));
}

TEST_CASE("question: a plain Note is unchanged (no poll members, the Note context)") {
  auto n = question(false, false);
  n.poll.reset();
  n.name.clear();
  auto doc = parse(as2::render_note(n));
  CHECK(str(doc["type"]) == "Note");
  for (const char* member : {"oneOf", "anyOf", "endTime", "votersCount", "name"}) {
    CHECK_FALSE(doc.HasMember(member));
  }
  CHECK_FALSE(context_defines_voters_count(doc));
}
