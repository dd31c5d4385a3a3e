// Escaping text for HTML element content and double- or single-quoted attribute values.
#pragma once

#include <string>
#include <string_view>

namespace civicpub::federation::text {

// Replaces & < > " ' with character references (' as &#39;, as Mastodon's ERB::Util.h does),
// so the result is safe both between tags and inside a quoted attribute value.
std::string html_escape(std::string_view text);

// The same, appended to `out` (saves a temporary in the HTML writers).
void append_html_escaped(std::string& out, std::string_view text);

}  // namespace civicpub::federation::text
