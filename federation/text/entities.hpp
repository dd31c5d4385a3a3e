// Finding links, mentions and hashtags in one line of a local user's plain text, by Mastodon's
// rules (app/lib/text_formatter.rb, Account::MENTION_RE, Tag::HASHTAG_RE) re-stated by hand.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace civicpub::federation::text {

struct Entity {
  enum class Kind { url, mention, hashtag };
  Kind kind = Kind::url;
  std::size_t begin = 0;  // code point index of the first character ('h', '@' or '#')
  std::size_t end = 0;    // one past the last
  // mention only: the username is [begin + 1, domain_at); the domain (with any port) follows
  // the second '@' up to `end`. domain_at == end for a local "@user".
  std::size_t domain_at = 0;
};

// The entity starting at `line[i]`, if one does. Links win over mentions and hashtags: the
// caller scans left to right and skips past a link, so "https://host/@user#frag" stays a link.
// - Links: "http://" or "https://" (any case) not preceded by a word character, '@', '#', '$'
//   or '/'; they end at whitespace or < > ", and lose trailing . , : ; ! ? ' " * and any closing
//   ) ] } without a matching opener inside the link (Wikipedia-style "Foo_(bar)" stays whole).
// - Mentions: '@' not preceded by a word character, '=' or '/' (so e-mail addresses are not
//   mentions), a username [A-Za-z0-9_] with inner '.' or '-', then optionally '@' and a domain
//   of word characters separated by '.' or '-', then optionally ":port" (Mastodon does not
//   allow ports; our test peers live on 127.0.0.1:<port>).
// - Hashtags: '#' not preceded by a word character, '=', '/' or ')', then word characters of
//   which at least one is a letter ("#123" is not a tag, "#2024election" is).
std::optional<Entity> entity_at(std::u32string_view line, std::size_t i);

}  // namespace civicpub::federation::text
