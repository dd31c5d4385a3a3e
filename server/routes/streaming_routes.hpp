// The Mastodon streaming API (issue 13; docs/client-api.md, "Streaming"): GET /api/v1/streaming
// as a WebSocket (?stream=, then {"type":"subscribe"|"unsubscribe","stream":...,"tag":...}
// messages) or as server-sent events, and the server-sent-event paths /api/v1/streaming/user,
// /user/notification, /public, /public/local, /public/remote, /hashtag?tag=, /hashtag/local?tag=.
// The token comes from the Authorization header, the access_token parameter or (WebSocket)
// Sec-WebSocket-Protocol, which is then echoed. Plumbing around services::StreamHub.
#pragma once

#include "server/http/router.hpp"
#include "server/http/stream.hpp"
#include "server/routes/api_request.hpp"
#include "server/services/stream_hub.hpp"

namespace civicpub::server::routes {

// The stream paths into `streams`, /api/v1/streaming/health into `router`.
void register_streaming_routes(http::Router& router, http::StreamRoutes& streams,
                               const ApiDeps& deps, services::StreamHub& hub);

}  // namespace civicpub::server::routes
