// Taking in a remote post an activity brings: Create, and Update of a post we do not have yet
// (on_update.cpp). Kept apart from on_create so both paths share the same checks.
#pragma once

#include "server/inbound/activity_handlers.hpp"
#include "federation/remote/post_store.hpp"

namespace civicpub::server::inbound {

// The post in `activity.envelope.object`, checked (INTEROP.md section 4):
// - embedded, with its id on the actor's host: believed when `attributedTo` is the actor
//   (else federation::FederationError::origin_mismatch);
// - embedded with an id on another host, or given by id only: refetched from its own id and
//   the fetched copy is used (CVE-2024-23832: Mastodon once believed such copies);
// - an `unverified` activity (forwarded without a valid proof): always refetched, and the
//   fetched post must be attributed to the actor (else federation::FederationError::not_author).
// Not a post type -> federation::as2::DocumentError::missing_type.
boost::asio::awaitable<Result<federation::CheckedPost>> checked_post(ActivityContext& ctx,
                                                         const Activity& activity);

// Stores the activity's post when it concerns us (inbox/post_relevance.hpp), ignores it when it
// is stored already (redelivery) or tombstoned (a Create arriving after its Delete), and then
// fetches a reply's missing parents (federation::RemotePosts::ancestors).
// `concerns_us_already`: the caller knows the post concerns us (a group one of our accounts
// follows announced it), so the relevance rules are skipped.
HandlerResult take_post(ActivityContext& ctx, const Activity& activity,
                        bool concerns_us_already = false);

// Announce{Create} from a group (FEP-1b12, Lemmy's communities): the member's post a group one of
// our accounts follows passed on. The Announce must be the group's own (signed or proved); the
// embedded Create came through the group, not from its actor, so nothing in it is believed: its
// post is taken as refetched from its own id and must be attributed to the Create's actor
// (take_post with `unverified`). An Announce by an actor no local account follows is ignored.
HandlerResult take_group_announce(ActivityContext& ctx, const Activity& announce);

// Announce{Delete} from a group one of our accounts follows (its moderator removed a post, as
// Lemmy's communities announce it, or the author deleted it): the Announce must be the group's
// own, and the post must be the group's: its `audience`, `to` or `cc`, or its thread's top
// post's, names the group. Then the stored post is dropped like a deleted one (deleted_at, a
// tombstone) and, when it is a thread's top post, its whole thread, when the Delete's actor is
// the post's author or one of the group's moderators (remote_group_moderators.hpp). Our own
// accounts' posts among them, when a moderator removed them, are hidden like moderated posts
// and stay stored for their authors (Lemmy marks such a post removed on its author's instance
// too).
HandlerResult take_group_removal(ActivityContext& ctx, const Activity& announce);

}  // namespace civicpub::server::inbound
