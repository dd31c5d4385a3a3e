// Statuses in the Mastodon client API (docs/client-api.md):
//
//   POST   /api/v1/statuses               publish (status, in_reply_to_id, visibility,
//                                         spoiler_text, sensitive, language) via PostService
//   GET    /api/v1/statuses/{id}          a status the caller may see (token optional)
//   PUT    /api/v1/statuses/{id}          edit one's own status (status, spoiler_text) via
//                                         PostService::edit (Update sent)
//   DELETE /api/v1/statuses/{id}          delete one's own status via PostService
//   GET    /api/v1/statuses/{id}/context  its ancestors and descendants
#pragma once

#include "server/http/router.hpp"
#include "server/routes/api_request.hpp"
#include "server/services/status_change.hpp"

namespace civicpub::server::routes {

// `on_change` (the streaming hub) hears of every status published, edited or deleted here, after
// the write committed.
void register_api_status_routes(http::Router& router, const ApiDeps& deps,
                                services::StatusChangeSink on_change = {});

}  // namespace civicpub::server::routes
