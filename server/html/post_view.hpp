// What the pages need to show a post: the post itself plus the few author fields a reader sees.
// Handlers fill these from storage records; the renderers never touch storage.
#pragma once

#include "storage/records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace civicpub::server::html {

struct AuthorView {
  std::string display_name;  // plain text; empty: the username is shown instead
  std::string username;
  std::string domain;       // the author's home server, host[:port] of @username@domain
  std::string profile_url;  // their HTML profile (ours or their server's)
};

// One option of another server's poll, as its Question last said.
struct PollOptionCount {
  std::string name;
  std::int64_t votes = 0;
};

struct PostView {
  std::string id;   // the ActivityPub id
  std::string url;  // the HTML page of the post here (a remote post's local page)
  // A remote post: its page on its own server (its `url`, else its id), linked as the original.
  // Empty for local posts.
  std::string original_url;
  AuthorView author;
  std::string title;         // plain text: the name of an Article, Page or Question; usually empty
  std::string content_html;  // already sanitized by federation: inserted as-is
  std::optional<std::string> content_warning;  // plain text; the content is folded behind it
  storage::Millis published = 0;
  std::optional<storage::Millis> updated;  // set when edited
  std::string language;                    // BCP 47, empty when unknown
  std::int64_t reply_count = 0;
  std::int64_t like_count = 0;
  std::int64_t share_count = 0;
  std::vector<PollOptionCount> poll;  // a poll of another server: its options and counts
  bool poll_closed = false;
  bool deleted = false;   // a tombstone kept because replies hang off it
  bool withheld = false;  // not public (followers-only, direct), kept because replies hang off it
};

// One post and its replies, oldest first as the handler ordered them.
struct ThreadNode {
  PostView post;
  std::vector<ThreadNode> replies;
};

// The reader-facing author fields of an actor record. `url` when it is set, else the id.
AuthorView author_view(const storage::ActorRecord& actor);

}  // namespace civicpub::server::html
