// Content negotiation: does the client want ActivityStreams JSON, plain JSON, or HTML?
#pragma once

#include <string_view>

namespace civicpub::server::http {

// True when the Accept header asks for ActivityStreams: application/activity+json, or
// application/ld+json with the AS2 profile (any parameter order, spacing or quoting), or plain
// application/ld+json (Mastodon treats it as AS2 too and some peers send it alone). Chosen only
// when its best q is > 0 and >= text/html's, so browsers (text/html first, */* last) get HTML
// and "*/*" alone (curl) is not AS2.
bool wants_activity_json(std::string_view accept);

// True when application/json is acceptable with q > 0 and >= text/html's q.
bool wants_json(std::string_view accept);

}  // namespace civicpub::server::http
