// Favourites, reblogs and bookmarks in the Mastodon client API (docs/client-api.md), through
// services::ReactionService (Like, Announce and their Undo federated) and services::set_bookmark:
//
//   POST /api/v1/statuses/{id}/favourite, /unfavourite   write:favourites
//   POST /api/v1/statuses/{id}/reblog, /unreblog         write:statuses
//   POST /api/v1/statuses/{id}/bookmark, /unbookmark     write:bookmarks
//   GET  /api/v1/statuses/{id}/favourited_by, /reblogged_by   token optional; Link paging
//   GET  /api/v1/favourites                              read:favourites; Link paging
//   GET  /api/v1/bookmarks                               read:bookmarks; Link paging
#pragma once

#include "server/http/router.hpp"
#include "server/routes/api_request.hpp"

namespace civicpub::server::routes {

void register_api_reaction_routes(http::Router& router, const ApiDeps& deps);

}  // namespace civicpub::server::routes
