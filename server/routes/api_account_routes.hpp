// Accounts and timelines in the Mastodon client API (docs/client-api.md):
//
//   GET /api/v1/accounts/verify_credentials   the token's account, with `source`
//   GET /api/v1/accounts/{id}                 any stored account (token optional)
//   GET /api/v1/accounts/lookup?acct=         by username (local) or user@domain
//   GET /api/v1/accounts/{id}/statuses        its statuses the caller may see (token optional)
//   GET /api/v1/accounts/relationships?id[]=  following, requested, followed_by (40 at most)
//   GET /api/v1/timelines/public              public posts (local=, remote=); token optional
//   GET /api/v1/timelines/home                the account's and its follows' posts
//   GET/POST /api/v1/markers                  reading positions (home, notifications)
// Timelines take limit (default 20, at most 40), max_id, since_id, min_id and answer a Link
// header (rel="next" first, then rel="prev"), as Mastodon does.
#pragma once

#include "server/http/router.hpp"
#include "server/routes/api_request.hpp"


namespace civicpub::server::routes {

void register_api_account_routes(http::Router& router, const ApiDeps& deps);

}  // namespace civicpub::server::routes
