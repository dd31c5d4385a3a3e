// Counting votes on a local consultation and telling everyone the counts (issue 14, INTEROP.md
// section 9). Both run inside one db.write transaction, called by the inbound vote handler
// (server/inbound/on_vote.cpp), the consultation schedule and the answer.
//
// Rules: one vote per actor (per option for anyOf); a single-choice voter who votes again for
// another option has their vote replaced, never added; votes after the deadline (or once the
// consultation is closed) are refused; the author cannot vote on their own consultation. A voter
// whose server is outside the eligible domains is counted apart ("others").
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace civicpub::server::services {

// Whether `voter_hosts` (the actor id's host and its handle domain, ports ignored) are within
// `eligible` (lowercase domains; a subdomain counts). No eligible domains: everyone is.
bool is_eligible(const std::vector<std::string>& voter_hosts,
                 const std::vector<std::string>& eligible);

struct IncomingVote {
  std::int64_t poll_id = 0;  // the consultation's post id
  std::int64_t voter_id = 0;
  std::vector<std::string> voter_hosts;  // see is_eligible
  std::string option;
  std::string activity_uri;
};

struct VoteOutcome {
  bool counted = false;   // a row was added (false: the same vote again)
  bool replaced = false;  // a single-choice voter's earlier choice was dropped
};

// Records the vote and marks an Update(Question) as owed. Errors: ConsultationError
// (not_a_consultation, vote_closed, vote_unknown_option, vote_by_author), storage errors.
Result<VoteOutcome> record_vote(storage::Connection& conn, const IncomingVote& vote,
                                storage::Millis now);

// Queues Update(Question) with the current counts for the consultation's audience (its author's
// followers, as the post was addressed) and every voter's inbox, and marks the update sent.
// Returns the number of delivery rows.
Result<std::size_t> queue_question_update(storage::Connection& conn, std::int64_t poll_id,
                                          storage::Millis now);

// open -> closed at `closed_at`, with the final Update(Question) (`closed` set) to the audience
// and every voter. Returns the delivery rows queued (0 and no Update when it was not open).
Result<std::size_t> close_consultation(storage::Connection& conn, std::int64_t poll_id,
                                       storage::Millis closed_at, storage::Millis now);

}  // namespace civicpub::server::services
