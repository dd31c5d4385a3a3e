// Discovery: WebFinger, host-meta, NodeInfo and the front page.
//
//   GET /.well-known/webfinger?resource=  application/jrd+json; 400 / 404 / 410
//   GET /.well-known/host-meta            application/xrd+xml (Mastodon's fallback when
//                                         WebFinger fails)
//   GET /.well-known/nodeinfo             links to the 2.0 and 2.1 documents
//   GET /nodeinfo/2.0, /nodeinfo/2.1      with usage counted from storage
//   GET /                                 the HTML front page
//
// The discovery documents carry `Access-Control-Allow-Origin: *`: browser-based clients look
// accounts up across origins, and nothing in them is private.
#pragma once

#include "server/routes/read_deps.hpp"
#include "server/http/router.hpp"

#include <cstddef>

namespace civicpub::server::routes {

// Accounts the front page lists at most.
inline constexpr std::size_t kFrontPageAccounts = 100;

void register_discovery_routes(http::Router& router, const ReadDeps& deps);

}  // namespace civicpub::server::routes
