// Turning a local user's plain text into a Note's HTML content and tags, the way Mastodon
// formats a status: escaped text, <p> per paragraph, <br> per line break, links, mentions and
// hashtags marked up with the microformat classes every Mastodon-compatible client styles.
//
// Use it in two steps, because resolving a remote mention needs WebFinger (network I/O) and this
// code is pure: extract_mentions() lists who is mentioned; the caller resolves them (local
// accounts from storage, remote ones via WebFinger) and then calls compose_plain_text() with a
// resolver that answers from those results. Mentions the resolver does not know stay plain
// text and are reported in ComposedText::unresolved.
#pragma once

#include "federation/as2/note.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::server::services {

struct MentionRef {
  std::string username;  // as written ("Anna")
  std::string domain;    // lower-cased, may carry a port ("127.0.0.1:8081"); empty = local
  std::string handle;    // as written, e.g. "@anna@127.0.0.1:8081"
};

// What a resolved mention points at: the actor id goes into the Mention tag, the profile URL
// (the actor's `url`, often different from its id) into the visible link, as Mastodon does.
struct MentionTarget {
  std::string actor_id;
  std::string profile_url;
};

struct ComposeOptions {
  // This server's handle domain (the part after the second '@' of local handles), e.g.
  // "civic.example" or "127.0.0.1:8080". "@anna@<local_domain>" is the local "@anna".
  std::string local_domain;
  // Origin that hashtag links hang off: "<base_url>/tags/<tag>". No trailing slash.
  std::string base_url;
  // Looks a mention up; nullopt leaves it as plain text. May be empty (nothing resolves).
  std::function<std::optional<MentionTarget>(const MentionRef&)> resolve_mention;
};

struct ComposedText {
  std::string html;                    // empty for empty or blank text
  std::vector<MentionRef> mentions;    // every distinct mention, in order of first appearance
  std::vector<MentionRef> unresolved;  // those the resolver did not know
  std::vector<std::string> hashtags;   // distinct (ASCII case-insensitive), without '#'
  // Mention tags (resolved mentions; name "@user@domain", the local domain filled in) and
  // Hashtag tags (name "#tag", href = the tag link), ready for NoteView::tags.
  std::vector<federation::as2::NoteTag> tags;
};

// The distinct mentions in `text`, in order; domains equal to `local_domain` (ASCII
// case-insensitive) are reported as empty (local). Mentions inside links are not mentions.
std::vector<MentionRef> extract_mentions(std::string_view text, std::string_view local_domain);

ComposedText compose_plain_text(std::string_view text, const ComposeOptions& options);

}  // namespace civicpub::server::services
