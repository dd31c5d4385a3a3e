// The Mastodon client API's instance description and the answers apps need at start-up:
//
//   GET /api/v1/instance (and /api/v1/instance/), GET /api/v2/instance
//   GET /api/v1/custom_emojis, filters, lists, announcements, followed_tags, trends,
//       trends/tags, trends/statuses, trends/links, /api/v2/filters        -> []
//   GET /api/v1/preferences                                               -> the defaults
//   GET /avatars/original/missing.png                                    the default avatar
#pragma once

#include "server/http/router.hpp"
#include "server/routes/api_request.hpp"

namespace civicpub::server::routes {

// "4.2.0 (compatible; civicpub <V>)": apps switch features on the Mastodon version, and
// Mastodon.py reads the first word (INTEROP.md section 8).
std::string mastodon_version(std::string_view civicpub_version);

// Limits announced in the instance's configuration (and enforced by the status routes).
inline constexpr std::int64_t kMaxStatusCharacters = 5000;

void register_api_instance_routes(http::Router& router, const ApiDeps& deps);

}  // namespace civicpub::server::routes
