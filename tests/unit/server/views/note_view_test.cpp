#include "server/views/note_view.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace civicpub;
using namespace civicpub::federation;
using namespace civicpub::server;

namespace {
storage::ActorRecord author() {
  storage::ActorRecord a;
  a.uri = "https://town.example/users/mayor";
  a.followers = a.uri + "/followers";
  return a;
}

storage::PostRecord post() {
  storage::PostRecord p;
  p.ap_id = "https://town.example/users/mayor/statuses/1";
  p.url = "https://town.example/@mayor/1";
  p.content_html = "<p>Hi</p>";
  p.published = 1000;
  return p;
}
}  // namespace

TEST_CASE("note_view: copies the post and points at the author") {
  auto p = post();
  p.summary = "roadworks";
  p.sensitive = true;
  p.in_reply_to = "https://far.example/notes/9";
  p.context = "https://town.example/contexts/1";
  p.language = "nl";
  p.updated = 2000;
  auto note = views::note_view(p, author());
  CHECK(note.id == p.ap_id);
  CHECK(note.attributed_to == author().uri);
  CHECK(note.followers == author().followers);
  CHECK(note.url == p.url);
  CHECK(note.summary == std::optional<std::string>("roadworks"));
  CHECK(note.sensitive);
  CHECK(note.in_reply_to == std::optional<std::string>(p.in_reply_to));
  CHECK(note.context == std::optional<std::string>(p.context));
  CHECK(note.language == "nl");
  CHECK(note.updated == std::optional<storage::Millis>(2000));
}

TEST_CASE("note_view: empty optional fields stay absent - the url falls back to the id") {
  auto p = post();
  p.url.clear();
  auto note = views::note_view(p, author());
  CHECK(note.url == p.ap_id);
  CHECK_FALSE(note.summary);
  CHECK_FALSE(note.in_reply_to);
  CHECK_FALSE(note.context);
  CHECK(note.replies.empty());
}

TEST_CASE("note_view: every stored visibility maps to the AS2 one") {
  using SV = storage::Visibility;
  using AV = as2::Visibility;
  CHECK(views::as2_visibility(SV::public_) == AV::public_);
  CHECK(views::as2_visibility(SV::unlisted) == AV::unlisted);
  CHECK(views::as2_visibility(SV::followers) == AV::followers);
  CHECK(views::as2_visibility(SV::direct) == AV::direct);
}

TEST_CASE("note_view: a local post links its replies, likes and shares collections") {
  auto p = post();
  p.local = true;
  auto note = views::note_view(p, author());
  CHECK(note.replies == p.ap_id + "/replies");
  CHECK(note.likes == p.ap_id + "/likes");
  CHECK(note.shares == p.ap_id + "/shares");
  const auto json = as2::render_note(note);
  CHECK(json.find(R"("replies":")" + p.ap_id + "/replies\"") != std::string::npos);
  CHECK(json.find(R"("likes":")" + p.ap_id + "/likes\"") != std::string::npos);
  CHECK(json.find(R"("shares":")" + p.ap_id + "/shares\"") != std::string::npos);
}

TEST_CASE("note_view: Mention and Hashtag tags come from the stored details") {
  auto p = post();
  views::NoteDetails details;
  details.mentions = {{"https://social.example/users/anna", "@anna@social.example"}};
  details.hashtags = {{"markt", "https://town.example/tags/Markt"}};
  auto note = views::note_view(p, author(), details);
  REQUIRE(note.tags.size() == 2);
  CHECK(note.tags[0].kind == as2::NoteTag::Kind::mention);
  CHECK(note.tags[0].href == "https://social.example/users/anna");
  CHECK(note.tags[0].name == "@anna@social.example");
  CHECK(note.tags[1].kind == as2::NoteTag::Kind::hashtag);
  CHECK(note.tags[1].href == "https://town.example/tags/Markt");
  CHECK(note.tags[1].name == "#markt");
  // The mentioned actor is addressed too (Mastodon needs both).
  const auto addressing = as2::addressing_for(note);
  CHECK(std::find(addressing.cc.begin(), addressing.cc.end(),
                  "https://social.example/users/anna") != addressing.cc.end());
}

TEST_CASE("note_view: details_of stores tags the way storage reads them back") {
  std::vector<as2::NoteTag> tags = {
      {as2::NoteTag::Kind::hashtag, "https://town.example/tags/Zebra", "#Zebra"},
      {as2::NoteTag::Kind::mention, "https://b.example/users/b", "@b@b.example"},
      {as2::NoteTag::Kind::hashtag, "https://town.example/tags/Apple", "#Apple"},
      {as2::NoteTag::Kind::mention, "https://a.example/users/a", "@a@a.example"},
      {as2::NoteTag::Kind::mention, "https://b.example/users/b", "@b@b.example"},
      {as2::NoteTag::Kind::hashtag, "https://town.example/tags/apple", "#apple"},
  };
  const auto details = views::details_of(tags);
  REQUIRE(details.mentions.size() == 2);
  CHECK(details.mentions[0].actor_uri == "https://b.example/users/b");
  CHECK(details.mentions[1].actor_uri == "https://a.example/users/a");
  REQUIRE(details.hashtags.size() == 2);
  CHECK(details.hashtags[0].name == "apple");
  CHECK(details.hashtags[0].href == "https://town.example/tags/Apple");
  CHECK(details.hashtags[1].name == "zebra");
}
