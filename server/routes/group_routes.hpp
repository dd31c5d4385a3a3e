// The HTML and Atom twins of a group (issue 12, point 6): its page at the actor's URLs, its
// thread pages at their context collection's URL (HTML for browsers, the collection for
// `application/activity+json`), and the Atom feeds of both. The actor and feed routes call these
// for an actor that is a group.
#pragma once

#include "server/http/request.hpp"
#include "server/http/response.hpp"
#include "server/routes/read_deps.hpp"

#include <cstdint>
#include <optional>

namespace civicpub::server::routes {

inline constexpr std::uint64_t kGroupPageSize = 20;

// The group page of the actor named by the `name` parameter; nullopt when it is no live group.
std::optional<http::Response> group_html(const ReadDeps& deps, const http::RequestContext& ctx);

// The group's Atom feed of its newest threads; nullopt when the actor is no live group.
std::optional<http::Response> group_feed(const ReadDeps& deps, const http::RequestContext& ctx);

// /users/{name}/context/{key} for browsers: the thread page.
http::Response group_thread_html(const ReadDeps& deps, const http::RequestContext& ctx);

// /users/{name}/context/{key}/feed.atom: the thread's posts, newest first.
http::Response group_thread_feed(const ReadDeps& deps, const http::RequestContext& ctx);

}  // namespace civicpub::server::routes
