// Deciding whether a link target from remote HTML may be kept.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace civicpub::federation::text {

// The href to keep, or nullopt to drop the link (its text stays). `raw` is the attribute value
// after the HTML parser decoded character references ("&#106;avascript:" arrives as
// "javascript:"). Like a browser's URL parser, leading and trailing C0 controls and spaces are
// trimmed and tabs and newlines inside removed before the scheme is read, so " java\tscript:"
// is seen as "javascript:". Only absolute http and https URLs with a host are kept: that
// rejects javascript:, data:, vbscript:, file: and every other scheme without a deny-list, and
// relative links, which would resolve against our origin instead of the author's. mailto: is
// not kept either: Mastodon never emits it, and it would only open a mail client on a link
// whose visible text need not show the address.
std::optional<std::string> safe_link_href(std::string_view raw);

}  // namespace civicpub::federation::text
