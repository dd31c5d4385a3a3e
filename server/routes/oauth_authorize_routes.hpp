// GET and POST /oauth/authorize: the login and consent page (oauth_authorize_routes.cpp);
// register_oauth_routes adds them.
#pragma once

#include "server/http/router.hpp"
#include "server/routes/api_request.hpp"

namespace civicpub::server::routes {

void register_oauth_authorize_routes(http::Router& router, const ApiDeps& deps);

}  // namespace civicpub::server::routes
