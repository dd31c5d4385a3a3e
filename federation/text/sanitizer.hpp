// Cleaning HTML from remote servers before it is stored or shown (INTEROP.md section 6).
//
// The input is parsed with a real HTML5 parser (Gumbo) and the tree is written back out from an
// allow-list, so whatever the markup, the output holds only these elements and attributes:
//   p, br, strong, em, b, i, u, del, pre, code, blockquote, ul, ol, li,
//   span[class], a[href, class, rel].
// - Dropped with their content: script, style, iframe, object, embed, template, noscript,
//   head, title, svg, math, forms and their controls, media and img (see html_tree.cpp).
// - Any other element is unwrapped: its text stays, separated by a space when it was a block.
// - href: only absolute http(s) URLs (safe_url.hpp); a link without one is unwrapped.
// - class: only Mastodon's microformat classes (h-card, u-url, mention, hashtag, invisible,
//   ellipsis); the attribute is omitted when none remain.
// - rel: always "nofollow noopener noreferrer", plus "tag" when the original had it (hashtags).
// - Comments, event handlers, style and every other attribute are gone; text is re-escaped.
// - Elements deeper than HtmlLimits::max_depth are flattened to text; the input is capped.
// - Markup that would make the parser build a tree far larger than the input (too many
//   formatting elements open at once, or a parse past its allocation budget, see HtmlLimits)
//   is refused: the result is then its text alone, escaped, without any element.
// Mastodon's own mention and hashtag markup therefore passes through unchanged except for rel.
#pragma once

#include "federation/text/html_tree.hpp"

#include <string>
#include <string_view>

namespace civicpub::federation::text {

std::string sanitize_html(std::string_view html, const HtmlLimits& limits = {});

// sanitize_html with what it cost: whether the markup was refused and what the parse allocated.
struct SanitizeResult {
  std::string html;
  bool refused = false;
  ParseWork work;
};
SanitizeResult sanitize_html_measured(std::string_view html, const HtmlLimits& limits = {});

// The text of an HTML fragment for places that show no markup (notification text, summaries,
// logs): whitespace collapsed as a browser would (kept inside <pre>), a line break per <br>
// and list item, a blank line between paragraphs and other blocks. Dropped elements (script,
// style, ...) contribute nothing. The result is plain text: escape it before putting it in HTML.
std::string html_to_plain_text(std::string_view html, const HtmlLimits& limits = {});

}  // namespace civicpub::federation::text
