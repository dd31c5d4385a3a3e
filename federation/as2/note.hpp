// Notes, the one object type every peer displays as a post (INTEROP.md section 4), and the
// addressing that encodes a post's visibility.
#pragma once

#include "federation/as2/json.hpp"
#include "federation/as2/time_format.hpp"

#include <optional>
#include <string>
#include <vector>

namespace civicpub::federation::as2 {

enum class Visibility { public_, unlisted, followers, direct };

struct NoteTag {
  enum class Kind { mention, hashtag };
  Kind kind = Kind::mention;
  std::string href;  // mention: the actor id; hashtag: the tag page
  std::string name;  // mention: "@user@host"; hashtag: "#tag"
};

// A poll (INTEROP.md section 9): the post is then a `Question` with `oneOf` (single choice) or
// `anyOf` (multiple), each option a Note with `name` and `replies: {type: Collection,
// totalItems}`, `endTime`, Mastodon's `votersCount` and, once closed, `closed`.
struct PollOptionView {
  std::string name;
  std::int64_t votes = 0;
};

struct PollView {
  bool multiple = false;
  std::vector<PollOptionView> options;
  Millis end_time = 0;
  std::optional<Millis> closed;  // set once the poll is closed
  std::int64_t voters_count = 0;
};

struct NoteView {
  std::string id;
  std::string attributed_to;
  std::string content_html;
  std::optional<std::string> summary;  // content warning
  bool sensitive = false;
  Millis published = 0;
  std::optional<Millis> updated;  // set on edits
  std::string url;
  std::optional<std::string> in_reply_to;
  std::optional<std::string> context;  // FEP-7888 thread collection
  Visibility visibility = Visibility::public_;
  std::string followers;        // the author's followers collection
  std::vector<std::string> to;  // extra recipients (a group actor, ...)
  std::vector<std::string> cc;
  std::vector<NoteTag> tags;
  std::string replies;   // the replies collection id (a link; no embedded first page)
  std::string likes;     // the likes collection id (totalItems only)
  std::string shares;    // the shares (Announces) collection id (totalItems only)
  std::string language;  // BCP 47; empty when unknown
  // The group the post was posted in (FEP-1b12 `audience`; Lemmy, PieFed and Mbin read it).
  // The caller also puts the group in `to`.
  std::optional<std::string> audience;
  std::string name;      // a Question's title; empty for a Note
  std::optional<PollView> poll;  // set: the post is a Question
};

struct Addressing {
  std::vector<std::string> to;
  std::vector<std::string> cc;
};

// to/cc for the note's visibility, Mastodon's way: public = Public in `to` and followers in
// `cc`; unlisted = followers in `to` and Public in `cc`; followers-only = followers in `to`;
// direct = the mentioned actors only. Mentioned actors go to `cc` (direct: `to`), because
// Mastodon needs both the Mention tag and the actor in to/cc. Duplicates removed, `to` wins.
Addressing addressing_for(const NoteView& note);

// The Note's members without @context, for embedding in Create/Update or a collection page.
void write_note_members(JsonWriter& out, const NoteView& note);

// `@context` of a Note or a Question (a Question adds Mastodon's `votersCount`).
std::string_view note_context(const NoteView& note);

// The Note as a standalone document with its @context (what GET on the note id serves).
std::string render_note(const NoteView& note);

}  // namespace civicpub::federation::as2
