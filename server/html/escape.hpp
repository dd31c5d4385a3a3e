// Escaping for text and attribute values in the server-rendered pages. Every string that is not
// documented as sanitized HTML goes through here before it reaches a page.
#pragma once

#include <string>
#include <string_view>

namespace civicpub::server::html {

// Appends `text` with & < > " ' replaced by character references, so the result is safe both
// as element content and inside a double- or single-quoted attribute value.
void append_escaped(std::string& out, std::string_view text);

std::string escape(std::string_view text);

// `url` when it is an absolute http(s) URL or a path starting with a single '/', otherwise
// empty. Remote actors choose their own `url` fields; a `javascript:` or `data:` href must never
// reach a page even though the pages run no script themselves.
std::string_view safe_href(std::string_view url);

}  // namespace civicpub::server::html
