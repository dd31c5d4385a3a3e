// Feeds for readers outside the fediverse.
//
//   GET /users/{name}/feed.atom   Atom (RFC 4287, application/atom+xml) of the account's newest
//                                 kFeedSize public and unlisted posts, the same posts as the
//                                 first page of its profile. 404 unknown, 410 deleted account.
//                                 A group's feed lists its newest threads' top posts instead.
//   GET /users/{name}/context/{key}/feed.atom
//                                 a group thread's visible posts, newest first (kFeedSize).
//
// The profile page links it with <link rel="alternate" type="application/atom+xml">. The router
// matches whole path segments, so the feed lives below the actor id rather than at /@name.atom.
#pragma once

#include "server/routes/read_deps.hpp"
#include "server/http/router.hpp"

#include <cstdint>

namespace civicpub::server::routes {

inline constexpr std::uint64_t kFeedSize = 20;

void register_feed_routes(http::Router& router, const ReadDeps& deps);

}  // namespace civicpub::server::routes
