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
#include "storage/timelines.hpp"

#include <optional>
#include <string>

namespace civicpub::server::routes {

// The page asked for by limit, max_id, since_id and min_id (unparsable ids are ignored, the
// limit is clamped to 1..40).
storage::timelines::TimelineQuery timeline_query(const Params& params);

// `<url?max_id=oldest>; rel="next", <url?min_id=newest>; rel="prev"`, keeping `kept` query
// parameters (already encoded, "local=true&"); empty when the page is empty.
std::string timeline_link(const std::string& url, const std::string& kept,
                          std::optional<std::int64_t> newest, std::optional<std::int64_t> oldest);

void register_api_account_routes(http::Router& router, const ApiDeps& deps);

}  // namespace civicpub::server::routes
