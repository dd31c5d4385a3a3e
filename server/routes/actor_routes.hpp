// Local actors and their collections.
//
//   GET /users/{name}            AS2 actor (application/activity+json) or the HTML profile,
//                                by Accept; Vary: Accept. 404 unknown; 410 deleted (a Tombstone
//                                for AS2, the error page for HTML). Served to unsigned GETs:
//                                Fedify fetches keys without a signature (INTEROP.md section 2).
//   GET /@{name}                 the HTML profile (?page=N for older posts); an AS2 request is
//                                redirected (302) to the actor id, whose document `id` then
//                                equals the URL fetched.
//   GET /users/{name}/followers  OrderedCollection; ?page=N for OrderedCollectionPages
//   GET /users/{name}/following
//   GET /users/{name}/outbox     Create activities of public and unlisted posts, newest first
//   GET /users/{name}/context/{key}  a group thread's context collection (AS2), or for browsers
//                                the group's thread page (group_routes.hpp). A group's HTML
//                                profile is its group page.
//
// The instance actor is an ordinary local actor (server/services/accounts.hpp, /users/instance,
// type Application), so it is served, and WebFingered, by the same routes.
#pragma once

#include "server/routes/read_deps.hpp"
#include "server/http/router.hpp"

#include <cstdint>

namespace civicpub::server::routes {

// Posts on one page of the HTML profile.
inline constexpr std::uint64_t kProfilePageSize = 20;

void register_actor_routes(http::Router& router, const ReadDeps& deps);

}  // namespace civicpub::server::routes
