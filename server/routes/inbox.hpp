// POST /users/{name}/inbox and POST /inbox: plumbing around federation::Inbox::accept (STYLE.md
// rule 2). The request-target and body go through exactly as received: signatures and digests
// are computed over them.
#pragma once

#include "federation/inbox/inbox.hpp"
#include "server/http/router.hpp"


namespace civicpub::server::routes {

// Registers both inbox routes. Accepted Content-Types: application/activity+json,
// application/ld+json (with its profile) and application/json; others get 415 from the router.
// 202 `{}` when accepted; otherwise error_response with the error's kind and short reason (401
// signature, 403 blocked, 400 malformed, 404 unknown account). The Inbox wakes its worker
// itself; `inbox` must outlive the router.
void register_inbox_routes(http::Router& router, federation::Inbox& inbox);

}  // namespace civicpub::server::routes
