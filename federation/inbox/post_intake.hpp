// Taking in a remote post an activity brings: Create, and Update of a post we do not have yet
// (on_update.cpp). Kept apart from on_create so both paths share the same checks.
#pragma once

#include "federation/inbox/activity_handlers.hpp"
#include "federation/post_store.hpp"

namespace civicpub::federation::inbox {

// The post in `activity.envelope.object`, checked (INTEROP.md section 4):
// - embedded, with its id on the actor's host: believed when `attributedTo` is the actor
//   (else FederationError::origin_mismatch);
// - embedded with an id on another host, or given by id only: refetched from its own id and
//   the fetched copy is used (CVE-2024-23832: Mastodon once believed such copies);
// - an `unverified` activity (forwarded without a valid proof): always refetched, and the
//   fetched post must be attributed to the actor (else FederationError::not_author).
// Not a post type -> as2::Errc::missing_type.
boost::asio::awaitable<Result<CheckedPost>> checked_post(ActivityContext& ctx,
                                                         const Activity& activity);

// Stores the activity's post when it concerns us (inbox/post_relevance.hpp), ignores it when it
// is stored already (redelivery) or tombstoned (a Create arriving after its Delete), and then
// fetches a reply's missing parents (RemotePosts::ancestors).
HandlerResult take_post(ActivityContext& ctx, const Activity& activity);

}  // namespace civicpub::federation::inbox
