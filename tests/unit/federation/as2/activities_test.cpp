#include "federation/as2/activities.hpp"
#include "federation/as2/reader.hpp"
#include "tests/unit/support/json.hpp"

#include <rapidjson/document.h>
#include <catch2/catch.hpp>

#include <algorithm>

namespace as2 = civicpub::federation::as2;

using civicpub::test::parse;
using civicpub::test::str;

namespace {

std::vector<std::string> strings(const rapidjson::Value& array) {
  std::vector<std::string> out;
  for (const auto& v : array.GetArray()) out.push_back(str(v));
  return out;
}

const std::string kPublic = "https://www.w3.org/ns/activitystreams#Public";
const std::string kAuthor = "https://town.example/users/council";
const std::string kFollowers = kAuthor + "/followers";
const std::string kBob = "https://mastodon.example/users/bob";
const std::string kCarol = "https://fedify.example/users/carol";

as2::NoteView note(as2::Visibility visibility) {
  as2::NoteView n;
  n.id = kAuthor + "/posts/1";
  n.attributed_to = kAuthor;
  n.content_html = "<p>Road works on Main St.</p>";
  n.published = 1795372364123;
  n.url = "https://town.example/@council/1";
  n.visibility = visibility;
  n.followers = kFollowers;
  n.tags.push_back({as2::NoteTag::Kind::mention, kBob, "@bob@mastodon.example"});
  n.tags.push_back({as2::NoteTag::Kind::hashtag, "https://town.example/tags/roads", "#roads"});
  n.replies = n.id + "/replies";
  n.context = "https://town.example/contexts/1";
  return n;
}

// A Follow as Mastodon sends it: opaque id, its own context.
constexpr const char* kMastodonFollow = R"({
  "@context": "https://www.w3.org/ns/activitystreams",
  "id": "https://mastodon.example/0b4f7d54-8a8e-4c1e-9c4e-1f0f2b3a4c5d",
  "type": "Follow",
  "actor": "https://mastodon.example/users/bob",
  "object": "https://town.example/users/council"
})";

}  // namespace

TEST_CASE("Follow has id, actor and object") {
  const auto doc = parse(as2::render_follow("https://town.example/f/1", kAuthor, kBob));
  CHECK(str(doc["@context"]) == "https://www.w3.org/ns/activitystreams");
  CHECK(str(doc["id"]) == "https://town.example/f/1");
  CHECK(str(doc["type"]) == "Follow");
  CHECK(str(doc["actor"]) == kAuthor);
  CHECK(str(doc["object"]) == kBob);
}

TEST_CASE("Accept and Reject embed the received Follow exactly") {
  const auto follow = as2::parse_json(kMastodonFollow).value();
  for (const bool accept : {true, false}) {
    const auto json = accept ? as2::render_accept("https://town.example/a/1", kAuthor, follow)
                             : as2::render_reject("https://town.example/a/1", kAuthor, follow);
    const auto doc = parse(json);
    CHECK(str(doc["type"]) == (accept ? "Accept" : "Reject"));
    CHECK(str(doc["actor"]) == kAuthor);  // the followed account, not the follower
    const auto& object = doc["object"];
    REQUIRE(object.IsObject());
    CHECK(str(object["id"]) == str(follow["id"]));
    CHECK(str(object["type"]) == "Follow");
    CHECK(str(object["actor"]) == str(follow["actor"]));
    CHECK(str(object["object"]) == str(follow["object"]));
    CHECK_FALSE(object.HasMember("@context"));
    CHECK(object.MemberCount() == 4);
  }
}

TEST_CASE("Accept keeps object-shaped members of a Follow as they came") {
  // Some servers embed the followed actor as an object; echo it unchanged.
  const auto follow = as2::parse_json(R"({"@context":["https://www.w3.org/ns/activitystreams"],
    "id":"https://x.example/f","type":"Follow","actor":{"id":"https://x.example/u","type":"Person"},
    "object":"https://town.example/users/council","signature":{"type":"RsaSignature2017"}})")
                          .value();
  const auto doc = parse(as2::render_accept("https://town.example/a/2", kAuthor, follow));
  CHECK(str(doc["object"]["actor"]["id"]) == "https://x.example/u");
  CHECK_FALSE(doc["object"].HasMember("signature"));
}

TEST_CASE("Undo embeds the undone activity") {
  const auto follow =
      as2::parse_json(as2::render_follow("https://town.example/f/1", kAuthor, kBob)).value();
  const auto doc = parse(as2::render_undo("https://town.example/u/1", kAuthor, follow));
  CHECK(str(doc["type"]) == "Undo");
  CHECK(str(doc["object"]["id"]) == "https://town.example/f/1");
  CHECK(str(doc["object"]["type"]) == "Follow");
  CHECK(str(doc["object"]["object"]) == kBob);
}

TEST_CASE("visibility: public") {
  const auto a = as2::addressing_for(note(as2::Visibility::public_));
  CHECK(a.to == std::vector<std::string>{kPublic});
  CHECK(a.cc == std::vector<std::string>{kFollowers, kBob});
}

TEST_CASE("visibility: unlisted") {
  const auto a = as2::addressing_for(note(as2::Visibility::unlisted));
  CHECK(a.to == std::vector<std::string>{kFollowers});
  CHECK(a.cc == std::vector<std::string>{kPublic, kBob});
}

TEST_CASE("visibility: followers only never carries Public") {
  auto n = note(as2::Visibility::followers);
  n.cc.push_back(kPublic);  // a caller mistake must not widen the audience
  const auto a = as2::addressing_for(n);
  CHECK(a.to == std::vector<std::string>{kFollowers});
  CHECK(a.cc == std::vector<std::string>{kBob});
}

TEST_CASE("visibility: direct goes to mentioned actors only") {
  auto n = note(as2::Visibility::direct);
  n.tags.push_back({as2::NoteTag::Kind::mention, kCarol, "@carol@fedify.example"});
  n.to.push_back(kPublic);
  n.cc.push_back(kFollowers);
  const auto a = as2::addressing_for(n);
  CHECK(a.to == std::vector<std::string>{kBob, kCarol});
  CHECK(a.cc.empty());
}

TEST_CASE("extra recipients are added once - to wins over cc") {
  auto n = note(as2::Visibility::public_);
  const std::string group = "https://town.example/groups/roads";
  n.to.push_back(group);
  n.cc.push_back(group);
  n.cc.push_back(kBob);
  const auto a = as2::addressing_for(n);
  CHECK(a.to == std::vector<std::string>{kPublic, group});
  CHECK(a.cc == std::vector<std::string>{kFollowers, kBob});
}

TEST_CASE("Note carries what Mastodon displays") {
  auto n = note(as2::Visibility::public_);
  n.summary = "Traffic";
  n.in_reply_to = "https://mastodon.example/users/bob/statuses/9";
  n.updated = n.published + 60000;
  n.language = "en";
  const auto doc = parse(as2::render_note(n));
  CHECK(str(doc["@context"][0]) == "https://www.w3.org/ns/activitystreams");
  CHECK(str(doc["@context"][1]["sensitive"]) == "as:sensitive");
  CHECK(str(doc["@context"][1]["Hashtag"]) == "as:Hashtag");
  CHECK(str(doc["type"]) == "Note");
  CHECK(str(doc["attributedTo"]) == kAuthor);
  CHECK(str(doc["content"]) == n.content_html);
  CHECK(str(doc["contentMap"]["en"]) == n.content_html);
  CHECK(str(doc["summary"]) == "Traffic");
  CHECK(doc["sensitive"].GetBool());
  CHECK(str(doc["published"]) == "2026-11-22T18:32:44.123Z");
  CHECK(str(doc["updated"]) == "2026-11-22T18:33:44.123Z");
  CHECK(str(doc["inReplyTo"]) == *n.in_reply_to);
  CHECK(str(doc["context"]) == *n.context);
  CHECK(str(doc["replies"]) == n.replies);
  CHECK(str(doc["url"]) == n.url);
  REQUIRE(doc["tag"].Size() == 2);
  CHECK(str(doc["tag"][0]["type"]) == "Mention");
  CHECK(str(doc["tag"][0]["href"]) == kBob);
  CHECK(str(doc["tag"][0]["name"]) == "@bob@mastodon.example");
  CHECK(str(doc["tag"][1]["type"]) == "Hashtag");
  CHECK(strings(doc["to"]) == std::vector<std::string>{kPublic});
}

TEST_CASE("a Note without a content warning is not sensitive and has a null inReplyTo") {
  const auto doc = parse(as2::render_note(note(as2::Visibility::public_)));
  CHECK_FALSE(doc.HasMember("summary"));
  CHECK_FALSE(doc["sensitive"].GetBool());
  CHECK(doc["inReplyTo"].IsNull());
  CHECK_FALSE(doc.HasMember("updated"));
  CHECK_FALSE(doc.HasMember("contentMap"));
}

TEST_CASE("Create and Update wrap the note with matching addressing") {
  auto n = note(as2::Visibility::unlisted);
  auto doc = parse(as2::render_create_note(n.id + "/activity", n));
  CHECK(str(doc["type"]) == "Create");
  CHECK(str(doc["actor"]) == kAuthor);
  CHECK(str(doc["object"]["id"]) == n.id);
  CHECK_FALSE(doc["object"].HasMember("@context"));
  CHECK(strings(doc["to"]) == strings(doc["object"]["to"]));
  CHECK(strings(doc["cc"]) == strings(doc["object"]["cc"]));

  n.updated = n.published + 5000;
  doc = parse(as2::render_update_note(n.id + "#updates/1", n));
  CHECK(str(doc["type"]) == "Update");
  CHECK(str(doc["published"]) == "2026-11-22T18:32:49.123Z");
  CHECK(str(doc["object"]["updated"]) == "2026-11-22T18:32:49.123Z");
}

TEST_CASE("Delete carries a Tombstone - Tombstone documents say what was deleted") {
  const auto n = note(as2::Visibility::public_);
  auto doc = parse(as2::render_delete(n.id + "#delete", kAuthor, n.id, as2::addressing_for(n)));
  CHECK(str(doc["type"]) == "Delete");
  CHECK(str(doc["object"]["id"]) == n.id);
  CHECK(str(doc["object"]["type"]) == "Tombstone");
  CHECK(strings(doc["to"]) == std::vector<std::string>{kPublic});

  doc = parse(as2::render_tombstone(n.id, "Note", 1795372364123));
  CHECK(str(doc["id"]) == n.id);
  CHECK(str(doc["type"]) == "Tombstone");
  CHECK(str(doc["formerType"]) == "Note");
  CHECK(str(doc["deleted"]) == "2026-11-22T18:32:44.123Z");
}
