// Thread pages. The HTML page of a local post (post_routes.hpp) and the local page of a remote
// post both show the whole thread as this server has it stored: the top post, then every reply
// below it (local and remote) as a nested list, the post asked for highlighted. Anonymous
// readers see public and unlisted posts; a followers-only or direct post, and a deleted one,
// stays as a short placeholder only when visible replies hang below it.
//
//   GET /remote/{row id}   the thread page around a remote post stored here, with a link to the
//                          original on its server (thread pages link remote posts here). 404 for
//                          an unknown id or a post strangers may not see, 410 for a deleted one;
//                          a local post's id redirects (302) to its own page, and an AS2 request
//                          to the post's id.
#pragma once

#include "server/views/thread_views.hpp"
#include "server/routes/read_deps.hpp"
#include "server/http/router.hpp"

namespace civicpub::server::routes {

// What an anonymous reader's thread page reads: public and unlisted posts, from the top.
server::views::ThreadOptions public_thread_options();

// The thread page for a loaded thread, or the error page (a read error, a withheld focus: 404,
// a deleted focus: 410).
http::Response thread_page(const ReadDeps& deps, const http::RequestContext& ctx,
                           const Result<server::views::Thread>& thread);

void register_thread_routes(http::Router& router, const ReadDeps& deps);

}  // namespace civicpub::server::routes
