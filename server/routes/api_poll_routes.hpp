// Polls in the Mastodon client API (docs/client-api.md; docs.joinmastodon.org/methods/polls):
//
//   GET  /api/v1/polls/{id}        the poll of a status the caller may see (token optional)
//   POST /api/v1/polls/{id}/votes  vote (`choices[]`, 0-based positions; form or JSON body) via
//                                  PollVoteService, the use case `civicpub consultation vote`
//                                  runs: counted here for a local consultation, sent to the
//                                  poll's server otherwise
//
// A poll's id is its status's id.
#pragma once

#include "server/http/router.hpp"
#include "server/routes/api_request.hpp"

namespace civicpub::server::routes {

void register_api_poll_routes(http::Router& router, const ApiDeps& deps);

}  // namespace civicpub::server::routes
