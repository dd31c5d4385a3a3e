// Reading posts from peers: Note, Question, Article and Page, as Mastodon, Fedify, Lemmy,
// GoToSocial and Misskey write them (INTEROP.md section 4). Lenient: every property may be a
// string, an object with `id`, or an array; timestamps may carry 0 to 9 fraction digits. Nothing
// here sanitizes: `content_html` is exactly what the peer sent (federation/text/sanitizer.hpp
// cleans it before it is stored).
#pragma once

#include "federation/as2/note.hpp"
#include "common/error_kind.hpp"
#include "storage/records.hpp"

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::federation::convert {

// Note, Question, Article, Page: the object types stored as posts.
bool is_post_type(std::string_view type);

struct RemotePost {
  std::string id;
  std::string type;           // one of the post types
  std::string attributed_to;  // author_of(): the first non-Group attributedTo
  std::string content_html;   // raw HTML as received (content, else contentMap)
  std::string name;           // title (Article, Page, Question); may be empty
  std::optional<std::string> summary;  // content warning
  bool sensitive = false;
  std::string language;  // the contentMap key used, else empty
  as2::Millis published = 0;
  std::optional<as2::Millis> updated;
  std::string url;  // the HTML page: a string, a Link's href (text/html first), else empty
  std::optional<std::string> in_reply_to;
  std::optional<std::string> context;  // `context`, a URI (FEP-7888)
  std::vector<std::string> to;
  std::vector<std::string> cc;
  std::vector<storage::MentionRecord> mentions;  // Mention tags with an href
  std::vector<storage::HashtagRecord> hashtags;  // Hashtag tags: name without '#', lowercased
  std::vector<storage::AttachmentRecord> attachments;  // entries with a url
};

// Errors: as2::DocumentError not_an_object, missing_id, missing_type (not a post type), bad_date
// (a `published` that cannot be read; a missing one is 0 and the caller picks a time).
Result<RemotePost> read_post(const rapidjson::Value& object);

// Visibility from to/cc (INTEROP.md section 4): Public (any spelling) in `to` -> public; in `cc`
// -> unlisted; else the author's followers collection in to/cc -> followers; else direct.
as2::Visibility visibility_of(const RemotePost& post, std::string_view author_followers);

}  // namespace civicpub::federation::convert
