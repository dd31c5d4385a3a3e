// The group's part in an inbound Create (issue 12; FEP-1b12; INTEROP.md section 5). Run by the
// Dispatcher after the Create handler stored the post, for activities the actor signed or
// proved (bytes nobody vouched for are never announced: the group would vouch for them).
//
// A post concerns one of our groups when the group is in the activity's or the post's to, cc or
// audience, or is mentioned, or the post replies anywhere inside a thread the group announced
// (also when the reply addresses only the parent's author: lemmy#2218). Each such group checks
// the author (services::check_group_post) and then Announces the activity, unchanged, to its
// members (and the bare post for a new thread), or sends the author a Reject and announces
// nothing. Only public and unlisted posts are announced; a followers-only or direct post naming a
// group is left alone (its author chose a narrower audience).
#pragma once

#include "federation/inbox/activity_dispatcher.hpp"
#include "server/inbound/activity_handlers.hpp"

namespace civicpub::server::inbound {

// How many groups announced the activity (refusals not counted). An Update or Delete goes to
// apply_group_change.

boost::asio::awaitable<Result<std::size_t>> apply_group_posting(
    ActivityContext& ctx, const federation::InboundActivity& inbound);

// The author's Update or Delete of a post one of our groups announced: the group announces it,
// embedded unchanged, to its members (services/group_changes.hpp). Returns the delivery rows
// queued (0: no group post, not the author's own, or removed from the group).
boost::asio::awaitable<Result<std::size_t>> apply_group_change(
    ActivityContext& ctx, const federation::InboundActivity& inbound);

}  // namespace civicpub::server::inbound
