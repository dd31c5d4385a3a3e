// A local account votes on a poll (issue 14 point 3): on a consultation of this server the vote
// is counted at once (consultation_votes.hpp); on another server's Question it is sent as that
// server expects, a Create(Note) per option with `name`, `inReplyTo` and no content, addressed
// to the poll's author only (as2::render_vote), and that server counts it and sends its
// Update(Question). The remote poll's options and state come from its stored Question (fetched
// when not stored yet).
#pragma once

#include "federation/clock.hpp"
#include "federation/remote/post_fetcher.hpp"
#include "server/services/account_lookup.hpp"
#include "storage/database.hpp"

#include <boost/asio/awaitable.hpp>

#include <random>
#include <string>
#include <vector>

namespace civicpub::server::services {

struct PollVoteOutcome {
  bool remote = false;
  std::vector<std::string> activity_ids;  // the votes sent (remote polls)
  std::size_t deliveries = 0;
  std::size_t counted = 0;  // votes counted here (local consultations)
};

class PollVoteService {
 public:
  PollVoteService(storage::Database& db, AccountLookup& lookup, federation::PostFetcher& posts,
                  federation::Clock clock, std::uint64_t seed = std::random_device{}())
      : db_(db), lookup_(lookup), posts_(posts), clock_(std::move(clock)), rng_(seed) {}

  // Votes for the options named `options` (the CLI). Errors: ServiceError::unknown_account;
  // ConsultationError (not_a_poll, vote_closed, vote_unknown_option, one_choice_only,
  // already_voted, vote_by_author); the fetcher's errors. Checked in Mastodon's order: a
  // closed poll, then an unknown option, then a second vote.
  boost::asio::awaitable<Result<PollVoteOutcome>> vote(std::string url, std::string username,
                                                       std::vector<std::string> options);
  // The same for the options at `positions` (0-based; the client API's `choices[]`): a
  // position past the last option is vote_unknown_option.
  boost::asio::awaitable<Result<PollVoteOutcome>> vote_at(std::string url, std::string username,
                                                          std::vector<std::int64_t> positions);

 private:
  struct Choices {
    std::vector<std::string> names;      // by name, or
    std::vector<std::int64_t> positions;  // by position
  };
  boost::asio::awaitable<Result<PollVoteOutcome>> cast(std::string url, std::string username,
                                                       Choices choices);

  storage::Database& db_;
  AccountLookup& lookup_;
  federation::PostFetcher& posts_;
  federation::Clock clock_;
  std::mt19937_64 rng_;
};

}  // namespace civicpub::server::services
