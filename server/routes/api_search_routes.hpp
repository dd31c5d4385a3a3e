// GET /api/v2/search (docs/client-api.md): accounts, statuses and hashtags among what is stored;
// with resolve=true and a token, a remote handle or actor URL is resolved (WebFinger, the actor
// fetched through AccountLookup) and a post URL fetched (RemotePosts), as the CLI would.
#pragma once

#include "server/http/router.hpp"
#include "server/routes/api_request.hpp"

namespace civicpub::server::routes {

void register_api_search_routes(http::Router& router, const ApiDeps& deps);

}  // namespace civicpub::server::routes
