#include "server/services/poll_vote_service.hpp"

#include "federation/as2/reader.hpp"
#include "federation/as2/vote.hpp"
#include "federation/delivery/outbox.hpp"
#include "federation/storage_async.hpp"
#include "server/services/consultation_error.hpp"
#include "server/services/consultation_votes.hpp"
#include "server/views/post_urls.hpp"
#include "storage/actors.hpp"
#include "storage/polls.hpp"
#include "storage/remote_poll_votes.hpp"

#include <algorithm>

namespace civicpub::server::services {
namespace {

// What a vote is checked against: the poll's options and whether it still takes votes.
struct PollFacts {
  bool multiple = false;
  bool closed = false;
  std::vector<std::string> options;
};

Result<PollFacts> local_facts(storage::Connection& c, std::int64_t post_id, storage::Millis now) {
  auto poll = storage::polls::find(c, post_id);
  if (!poll) return poll.error();
  if (!*poll) return ConsultationError::not_a_poll;
  auto options = storage::polls::options(c, post_id);
  if (!options) return options.error();
  return PollFacts{(*poll)->multiple, (*poll)->state != "open" || now >= (*poll)->closes_at,
                   std::move(*options)};
}

Result<PollFacts> remote_facts(const storage::PostRecord& post, storage::Millis now) {
  auto question = federation::as2::parse_json(post.raw_json);
  if (!question) return ConsultationError::not_a_poll;
  auto poll = federation::as2::read_remote_poll(*question, now);
  if (!poll) return ConsultationError::not_a_poll;
  return PollFacts{poll->multiple, poll->closed, std::move(poll->options)};
}

// The chosen positions, sorted and distinct, checked against the poll.
Result<std::vector<int>> chosen(const PollFacts& poll, const std::vector<std::string>& names,
                                const std::vector<std::int64_t>& positions) {
  std::vector<int> out;
  for (const auto& name : names) {
    const auto found = std::find(poll.options.begin(), poll.options.end(), name);
    if (found == poll.options.end()) return ConsultationError::vote_unknown_option;
    out.push_back(static_cast<int>(found - poll.options.begin()));
  }
  for (const auto position : positions) {
    if (position < 0 || position >= static_cast<std::int64_t>(poll.options.size())) {
      return ConsultationError::vote_unknown_option;
    }
    out.push_back(static_cast<int>(position));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  if (out.empty()) return ConsultationError::vote_unknown_option;
  if (!poll.multiple && out.size() != 1) return ConsultationError::one_choice_only;
  return out;
}

struct Ballot {
  int position = 0;
  std::string activity_id;
  std::string body;
};

// Plain functions, not lambdas in the coroutine (GCC 12 destroys their captures twice).
auto send_job(std::vector<Ballot> ballots, std::int64_t post_id, std::int64_t voter_id,
              std::int64_t author_id, storage::Millis now) {
  return [ballots = std::move(ballots), post_id, voter_id, author_id,
          now](storage::Connection& c) -> Result<std::size_t> {
    auto earlier = storage::remote_poll_votes::choices_of(c, post_id, voter_id);
    if (!earlier) return earlier.error();
    if (!earlier->empty()) return ConsultationError::already_voted;
    auto author = storage::actors::find_by_id(c, author_id);
    if (!author) return author.error();
    if (!*author) return ConsultationError::not_a_poll;
    const std::string inbox =
        (*author)->shared_inbox.empty() ? (*author)->inbox : (*author)->shared_inbox;
    std::size_t queued = 0;
    for (const auto& ballot : ballots) {
      auto added = storage::remote_poll_votes::add(c, post_id, voter_id, ballot.position,
                                                   ballot.activity_id, now);
      if (!added) return added.error();
      auto rows =
          federation::enqueue_activity(c, ballot.activity_id, voter_id, ballot.body, {inbox}, now);
      if (!rows) return rows.error();
      queued += *rows;
    }
    return queued;
  };
}

auto count_job(std::vector<IncomingVote> votes, std::int64_t poll_id, std::int64_t voter_id,
               storage::Millis now) {
  return [votes = std::move(votes), poll_id, voter_id,
          now](storage::Connection& c) -> Result<std::size_t> {
    // A local account votes once, as on Mastodon (a remote voter's changed vote moves instead:
    // record_vote).
    auto earlier = storage::polls::choices_of(c, poll_id, voter_id);
    if (!earlier) return earlier.error();
    if (!earlier->empty()) return ConsultationError::already_voted;
    std::size_t counted = 0;
    for (const auto& vote : votes) {
      auto outcome = record_vote(c, vote, now);
      if (!outcome) return outcome.error();
      if (outcome->counted) ++counted;
    }
    return counted;
  };
}

}  // namespace

boost::asio::awaitable<Result<PollVoteOutcome>> PollVoteService::vote(
    std::string url, std::string username, std::vector<std::string> options) {
  Choices choices;
  choices.names = std::move(options);
  auto outcome = co_await cast(std::move(url), std::move(username), std::move(choices));
  co_return outcome;
}

boost::asio::awaitable<Result<PollVoteOutcome>> PollVoteService::vote_at(
    std::string url, std::string username, std::vector<std::int64_t> positions) {
  Choices choices;
  choices.positions = std::move(positions);
  auto outcome = co_await cast(std::move(url), std::move(username), std::move(choices));
  co_return outcome;
}

boost::asio::awaitable<Result<PollVoteOutcome>> PollVoteService::cast(std::string url,
                                                                      std::string username,
                                                                      Choices choices) {
  auto voter = lookup_.local_account(username);
  if (!voter) co_return voter.error();
  if (choices.names.empty() && choices.positions.empty()) {
    co_return ConsultationError::vote_unknown_option;
  }
  auto post = co_await posts_.post(std::move(url));
  if (!post) co_return post.error();
  if (post->deleted_at) co_return ConsultationError::not_a_poll;
  const auto now = clock_();
  auto facts = post->local ? db_.read([&](storage::Connection& c) {
    return local_facts(c, post->id, now);
  })
                           : remote_facts(*post, now);
  if (!facts) co_return facts.error();
  if (facts->closed) co_return ConsultationError::vote_closed;
  auto positions = chosen(*facts, choices.names, choices.positions);
  if (!positions) co_return positions.error();
  PollVoteOutcome outcome;

  if (post->local) {
    std::vector<IncomingVote> votes;
    for (const int position : *positions) {
      IncomingVote vote;
      vote.poll_id = post->id;
      vote.voter_id = voter->id;
      vote.voter_hosts = {voter->domain};
      vote.option = facts->options[static_cast<std::size_t>(position)];
      vote.activity_uri = voter->uri + "#votes/" + views::mint_post_id(now, rng_);
      votes.push_back(std::move(vote));
    }
    auto counted =
        co_await federation::write(db_, count_job(std::move(votes), post->id, voter->id, now));
    if (!counted) co_return counted.error();
    outcome.counted = *counted;
    co_return outcome;
  }

  auto author = db_.read(
      [&](storage::Connection& c) { return storage::actors::find_by_id(c, post->author_id); });
  if (!author) co_return author.error();
  if (!*author) co_return ConsultationError::not_a_poll;
  std::vector<Ballot> ballots;
  for (const int position : *positions) {
    const std::string id = voter->uri + "#votes/" + views::mint_post_id(now, rng_);
    const auto& option = facts->options[static_cast<std::size_t>(position)];
    ballots.push_back({position, id + "/activity",
                       federation::as2::render_vote(id, voter->uri, post->ap_id, (*author)->uri,
                                                    option)});
    outcome.activity_ids.push_back(id + "/activity");
  }
  outcome.remote = true;
  auto queued = co_await federation::write(
      db_, send_job(std::move(ballots), post->id, voter->id, post->author_id, now));
  if (!queued) co_return queued.error();
  outcome.deliveries = *queued;
  co_return outcome;
}

}  // namespace civicpub::server::services
