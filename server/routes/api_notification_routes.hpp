// Notifications in the Mastodon client API (docs/client-api.md):
//
//   GET  /api/v1/notifications               read:notifications; types[], exclude_types[], Link
//   GET  /api/v1/notifications/{id}          read:notifications
//   POST /api/v1/notifications/clear         write:notifications
//   POST /api/v1/notifications/{id}/dismiss  write:notifications
//   GET  /api/v2/notifications               read:notifications; grouped (Mastodon 4.3)
#pragma once

#include "server/http/router.hpp"
#include "server/routes/api_request.hpp"

namespace civicpub::server::routes {

void register_api_notification_routes(http::Router& router, const ApiDeps& deps);

}  // namespace civicpub::server::routes
