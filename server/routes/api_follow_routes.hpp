// Following in the Mastodon client API (docs/client-api.md), through the CLI's use cases
// (services::FollowService, services::answer_follow_request):
//
//   POST /api/v1/accounts/{id}/follow          write:follows; answers the Relationship
//   POST /api/v1/accounts/{id}/unfollow        write:follows; answers the Relationship
//   GET  /api/v1/accounts/{id}/followers       token optional; Account list, Link paging
//   GET  /api/v1/accounts/{id}/following       token optional; Account list, Link paging
//   GET  /api/v1/follow_requests               read:follows; accounts waiting for approval
//   POST /api/v1/follow_requests/{id}/authorize  write:follows; Accept sent
//   POST /api/v1/follow_requests/{id}/reject     write:follows; Reject sent
#pragma once

#include "server/http/router.hpp"
#include "server/routes/api_request.hpp"

namespace civicpub::server::routes {

void register_api_follow_routes(http::Router& router, const ApiDeps& deps);

}  // namespace civicpub::server::routes
