// Local posts. Ids follow server/views/post_urls.hpp: <actor id>/statuses/<post id>, with the HTML
// page at <actor's profile url>/<post id>.
//
//   GET /users/{name}/statuses/{id}           AS2 Note or the HTML post page, by Accept;
//                                             Vary: Accept
//   GET /users/{name}/statuses/{id}/activity  the Create activity (AS2 only)
//   GET /users/{name}/statuses/{id}/replies   OrderedCollection of the direct public and unlisted
//                                             replies, local and remote; ?page=N, oldest first
//   GET /users/{name}/statuses/{id}/context   a thread root's FEP-7888 conversation, paged the
//                                             same way, attributedTo the root's author
//   GET /users/{name}/statuses/{id}/likes     Collection with totalItems (likes)
//   GET /users/{name}/statuses/{id}/shares    Collection with totalItems (Announces)
//   GET /@{name}/{id}                         the HTML post page; AS2 requests are redirected
//                                             (302) to the Note's id
//
// Only public and unlisted posts are served (requests are anonymous: followers-only and direct
// posts answer 404 as if they did not exist). A deleted post, or a post of a deleted account,
// answers 410: a Tombstone for AS2, the error page for HTML; its collections answer 410 too.
#pragma once

#include "server/routes/read_deps.hpp"
#include "server/http/router.hpp"

namespace civicpub::server::routes {

void register_post_routes(http::Router& router, const ReadDeps& deps);

}  // namespace civicpub::server::routes
