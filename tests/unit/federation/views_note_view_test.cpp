#include "federation/views/note_view.hpp"

#include <catch2/catch.hpp>

using namespace civicpub;
using namespace civicpub::federation;

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

TEST_CASE("note_view: empty optional fields stay absent; the url falls back to the id") {
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
