// Votes on local consultations (issue 14, INTEROP.md section 9). The dispatcher offers every
// Create to take_vote first: a vote-shaped Note (federation/as2/vote.hpp) that answers a local
// poll is counted (services/consultation_votes.hpp) and goes no further: it is never stored as a
// post, shown as a reply or forwarded to the thread's audience (who voted is personal data).
#pragma once

#include "server/inbound/activity_handlers.hpp"

namespace civicpub::server::inbound {

// true: the activity was a vote on a local poll and is handled (counted or refused with a
// ConsultationError: vote_not_verified for a vote delivered by someone else than its actor,
// vote_origin when its id or attributedTo is not the actor's, vote_closed, vote_unknown_option,
// vote_by_author). false: not a vote on a local poll; the caller handles it as any Create.
boost::asio::awaitable<Result<bool>> take_vote(ActivityContext& ctx, const Activity& activity);

}  // namespace civicpub::server::inbound
