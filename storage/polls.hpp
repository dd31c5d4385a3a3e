// Local consultations' polls and their votes (issue 14; migration "polls"). Who voted what is
// personal data: callers that publish anything read only counts(); ballots() is for the admin's
// audit export.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace civicpub::storage {

// A local consultation's poll (table polls): the post it belongs to, how it is answered and
// where it stands. `state` is open, closed or answered.
struct PollRecord {
  std::int64_t post_id = 0;
  bool multiple = false;  // anyOf (one vote per option) instead of oneOf
  Millis closes_at = 0;
  std::string state = "open";
  std::optional<Millis> closed_at;
  std::string answer_uri;       // the official answer's id, once answered
  bool update_pending = false;  // counts changed since the last Update(Question)
  Millis last_update_at = 0;
};

// One vote: `position` is the option's index (0-based) in the poll's options.
struct VoteRecord {
  std::int64_t poll_id = 0;
  std::int64_t voter_id = 0;
  int position = 0;
  bool eligible = true;  // the voter's domain is among the eligible ones (or none are set)
  std::string activity_uri;
  Millis voted_at = 0;
};

// Votes for one option, split by eligibility.
struct OptionCount {
  std::string name;
  std::int64_t residents = 0;  // eligible voters
  std::int64_t others = 0;
  std::int64_t total() const { return residents + others; }
};

}  // namespace civicpub::storage

namespace civicpub::storage::polls {

// The poll of post `poll.post_id` with its options in order and its eligible domains (lowercase).
Result<void> insert(Connection& conn, const PollRecord& poll,
                    const std::vector<std::string>& options,
                    const std::vector<std::string>& eligible_domains);

Result<std::optional<PollRecord>> find(Connection& conn, std::int64_t post_id);

Result<std::vector<std::string>> options(Connection& conn, std::int64_t post_id);
Result<std::vector<std::string>> eligible_domains(Connection& conn, std::int64_t post_id);

// Votes per option, in the options' order, split by eligibility.
Result<std::vector<OptionCount>> counts(Connection& conn, std::int64_t post_id);

// Distinct voters (Mastodon's votersCount), split by eligibility.
struct Voters {
  std::int64_t residents = 0;
  std::int64_t others = 0;
  std::int64_t total() const { return residents + others; }
};
Result<Voters> voters(Connection& conn, std::int64_t post_id);

// Idempotent per (poll, voter, option): returns whether a row was added.
Result<bool> add_vote(Connection& conn, const VoteRecord& vote);
// Removes every vote of `voter_id` (a single-choice voter who changes their mind). Returns the
// number of rows removed.
Result<std::int64_t> remove_votes_of(Connection& conn, std::int64_t post_id, std::int64_t voter_id);
// The positions `voter_id` voted for, in order.
Result<std::vector<int>> choices_of(Connection& conn, std::int64_t post_id, std::int64_t voter_id);

// The actor ids of everyone who voted, in order.
Result<std::vector<std::string>> voter_uris(Connection& conn, std::int64_t post_id);

// Counts changed: an Update(Question) is owed (sent by the consultation schedule).
Result<void> mark_update_pending(Connection& conn, std::int64_t post_id);
// An Update(Question) was queued at `now`.
Result<void> mark_update_sent(Connection& conn, std::int64_t post_id, Millis now);
// open -> closed; returns false when the poll was not open.
Result<bool> close(Connection& conn, std::int64_t post_id, Millis closed_at);
// -> answered, with the answer's id.
Result<void> set_answer(Connection& conn, std::int64_t post_id, const std::string& answer_uri);

// Open polls whose deadline has passed (closes_at <= now), and open polls with an update
// pending whose last update is at least `min_gap` old; oldest deadline first, at most `limit`.
Result<std::vector<PollRecord>> due(Connection& conn, Millis now, Millis min_gap, int limit);

// Every poll, newest first.
Result<std::vector<PollRecord>> all(Connection& conn);
// The polls of one author's live public posts, newest first: a consultations page reads these
// through the author's posts index instead of every poll the server has stored.
Result<std::vector<PollRecord>> of_author(Connection& conn, std::int64_t author_id);

// The remote actors who took part: every voter and every author of a reply in the thread (not
// deleted), sorted, each once. Local accounts are left out (they need no delivery).
Result<std::vector<std::string>> remote_participants(Connection& conn, std::int64_t post_id);

// The hosts that took part: voters' and repliers' domains, sorted.
Result<std::vector<std::string>> participating_domains(Connection& conn, std::int64_t post_id);

// Who voted what (the admin's audit; never published).
struct Ballot {
  std::string voter_uri;
  std::string option;
  bool eligible = true;
  Millis voted_at = 0;
  std::string activity_uri;
};
Result<std::vector<Ballot>> ballots(Connection& conn, std::int64_t post_id);

}  // namespace civicpub::storage::polls
