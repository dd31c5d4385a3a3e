// Likes and Announces of posts we store: what on_like and on_announce share.
#pragma once

#include "server/inbound/activity_handlers.hpp"
#include "storage/records.hpp"

#include <string>

namespace civicpub::server::inbound {

// Records `activity`, a Like or an Announce of the post `post_uri`, for its actor (resolved and
// stored through ctx.resolver). A post we do not store, or a deleted one, is ignored with a debug
// log, as is an Announce of a followers-only or direct post by anyone but its author (Mastodon
// only lets public and unlisted posts be boosted). A redelivery, or a second Like of the same
// post by the same actor, changes nothing.
HandlerResult record_reaction(ActivityContext& ctx, const Activity& activity,
                              storage::ReactionKind kind, std::string post_uri);

}  // namespace civicpub::server::inbound
