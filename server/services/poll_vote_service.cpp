#include "server/services/poll_vote_service.hpp"

#include "federation/as2/reader.hpp"
#include "federation/as2/vote.hpp"
#include "federation/delivery/outbox.hpp"
#include "federation/storage_async.hpp"
#include "server/services/consultation_error.hpp"
#include "server/services/consultation_votes.hpp"
#include "server/views/post_urls.hpp"
#include "storage/actors.hpp"

#include <algorithm>

namespace civicpub::server::services {
namespace {

struct Ballot {
  std::string activity_id;
  std::string body;
};

// Plain functions, not lambdas in the coroutine (GCC 12 destroys their captures twice).
auto send_job(std::vector<Ballot> ballots, std::int64_t voter_id, std::int64_t author_id,
              storage::Millis now) {
  return [ballots = std::move(ballots), voter_id, author_id,
          now](storage::Connection& c) -> Result<std::size_t> {
    auto author = storage::actors::find_by_id(c, author_id);
    if (!author) return author.error();
    if (!*author) return ConsultationError::not_a_poll;
    const std::string inbox =
        (*author)->shared_inbox.empty() ? (*author)->inbox : (*author)->shared_inbox;
    std::size_t queued = 0;
    for (const auto& ballot : ballots) {
      auto rows =
          federation::enqueue_activity(c, ballot.activity_id, voter_id, ballot.body, {inbox}, now);
      if (!rows) return rows.error();
      queued += *rows;
    }
    return queued;
  };
}

auto count_job(std::vector<IncomingVote> votes, storage::Millis now) {
  return [votes = std::move(votes), now](storage::Connection& c) -> Result<std::size_t> {
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
  auto voter = lookup_.local_account(username);
  if (!voter) co_return voter.error();
  if (options.empty()) co_return ConsultationError::vote_unknown_option;
  auto post = co_await posts_.post(std::move(url));
  if (!post) co_return post.error();
  if (post->deleted_at) co_return ConsultationError::not_a_poll;
  const auto now = clock_();
  PollVoteOutcome outcome;

  if (post->local) {
    std::vector<IncomingVote> votes;
    for (const auto& option : options) {
      IncomingVote vote;
      vote.poll_id = post->id;
      vote.voter_id = voter->id;
      vote.voter_hosts = {voter->domain};
      vote.option = option;
      vote.activity_uri = voter->uri + "#votes/" + views::mint_post_id(now, rng_);
      votes.push_back(std::move(vote));
    }
    auto counted = co_await federation::write(db_, count_job(std::move(votes), now));
    if (!counted) co_return counted.error();
    outcome.counted = *counted;
    co_return outcome;
  }

  auto question = federation::as2::parse_json(post->raw_json);
  if (!question) co_return ConsultationError::not_a_poll;
  auto poll = federation::as2::read_remote_poll(*question, now);
  if (!poll) co_return ConsultationError::not_a_poll;
  if (poll->closed) co_return ConsultationError::vote_closed;
  if (!poll->multiple && options.size() != 1) co_return ConsultationError::one_choice_only;
  auto author = db_.read(
      [&](storage::Connection& c) { return storage::actors::find_by_id(c, post->author_id); });
  if (!author) co_return author.error();
  if (!*author) co_return ConsultationError::not_a_poll;
  std::vector<Ballot> ballots;
  for (const auto& option : options) {
    if (std::find(poll->options.begin(), poll->options.end(), option) == poll->options.end()) {
      co_return ConsultationError::vote_unknown_option;
    }
    const std::string id = voter->uri + "#votes/" + views::mint_post_id(now, rng_);
    ballots.push_back({id + "/activity", federation::as2::render_vote(id, voter->uri, post->ap_id,
                                                                      (*author)->uri, option)});
    outcome.activity_ids.push_back(id + "/activity");
  }
  outcome.remote = true;
  auto queued = co_await federation::write(
      db_, send_job(std::move(ballots), voter->id, post->author_id, now));
  if (!queued) co_return queued.error();
  outcome.deliveries = *queued;
  co_return outcome;
}

}  // namespace civicpub::server::services
