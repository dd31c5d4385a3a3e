// An account's public posts as an Atom feed (RFC 4287), for feed readers and for residents who
// follow the town without a fediverse account.
#pragma once

#include "federation/as2/instance_info.hpp"
#include "server/html/post_view.hpp"
#include "storage/records.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::server::html {

inline constexpr std::string_view kAtomContentType = "application/atom+xml; charset=utf-8";

// Characters of post text an entry title takes when the post has no title of its own.
inline constexpr std::size_t kAtomTitleLength = 80;

// The feed document. `feed_url` is its own address (rel=self and the feed's id); `posts` newest
// first. Entries: id = the post's ActivityPub id, title = its name, else its content warning,
// else a plain-text excerpt; link = its page; published; updated (the edit time, else
// published); author; content type="html" = the stored sanitized HTML, escaped.
std::string atom_feed(const federation::as2::InstanceInfo& instance,
                      const storage::ActorRecord& actor, std::string_view feed_url,
                      const std::vector<PostView>& posts);

// What a feed of something other than one account's posts (a group's threads, one thread) says
// about itself: its title and the HTML page it mirrors. The actor stays the feed's author.
struct FeedHead {
  std::string title;
  std::string alternate_url;
};
std::string atom_feed(const federation::as2::InstanceInfo& instance,
                      const storage::ActorRecord& actor, std::string_view feed_url,
                      const std::vector<PostView>& posts, const FeedHead& head);

// A post's title as an entry shows it: its name, else its content warning, else a plain-text
// excerpt of kAtomTitleLength characters, else "Post by NAME".
std::string entry_title(const PostView& post);

// The entry title of a post without name or content warning: its text on one line, cut at a
// word boundary near `max_chars` characters (not bytes) with an ellipsis.
std::string text_excerpt(std::string_view html, std::size_t max_chars);

}  // namespace civicpub::server::html
