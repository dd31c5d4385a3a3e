// OAuth 2 for Mastodon apps (issue 13; docs/client-api.md lists what is supported):
//
//   POST /api/v1/apps                         register an app: client_id and client_secret
//   GET  /api/v1/apps/verify_credentials      the app behind a token
//   GET  /oauth/authorize                     the login and consent page
//   POST /oauth/authorize                     its form: a code, redirected to redirect_uri (or
//                                             shown, for urn:ietf:wg:oauth:2.0:oob)
//   POST /oauth/token                         grant_type password, authorization_code (PKCE
//                                             S256), client_credentials
//   POST /oauth/revoke                        RFC 7009
//   GET  /.well-known/oauth-authorization-server   RFC 8414 metadata
#pragma once

#include "server/http/router.hpp"
#include "server/routes/api_request.hpp"

#include <cstdint>
#include <functional>

namespace civicpub::server::routes {

// `token_revoked` (may be empty) is told the id of each token POST /oauth/revoke revoked, so
// that its open streams end at once (StreamHub::close_token).
void register_oauth_routes(http::Router& router, const ApiDeps& deps,
                           std::function<void(std::int64_t token_id)> token_revoked = {});

}  // namespace civicpub::server::routes
