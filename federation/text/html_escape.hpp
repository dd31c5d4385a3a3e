// The one escaper for markup civicpub writes: HTML pages and Note HTML, and XML documents (the
// Atom feed, host-meta).
#pragma once

#include <string>
#include <string_view>

namespace civicpub::federation::text {

// Replaces & < > " ' with character references (' as &#39;, as Mastodon's ERB::Util.h does),
// so the result is safe both between tags and inside a quoted attribute value.
std::string html_escape(std::string_view text);

// The same, appended to `out` (saves a temporary in the HTML writers).
void append_html_escaped(std::string& out, std::string_view text);

// The same references for XML 1.0 content and attribute values; C0 control characters other
// than tab, line feed and carriage return are dropped, because XML 1.0 does not allow them even
// as references and one in a remote post's text must not make a whole feed ill-formed.
void append_xml_escaped(std::string& out, std::string_view text);

}  // namespace civicpub::federation::text
