#include "server/inbound/votes.hpp"

#include "federation/as2/vote.hpp"
#include "federation/http/urls.hpp"
#include "federation/storage_async.hpp"
#include "server/services/consultation_error.hpp"
#include "server/services/consultation_votes.hpp"
#include "storage/polls.hpp"
#include "storage/posts.hpp"

namespace civicpub::server::inbound {
namespace {

using services::ConsultationError;

// Result<bool> cannot take an error_code implicitly (an error_code converts to bool).
Result<bool> refused(boost::system::error_code ec) {
  return Result<bool>(boost::system::in_place_error, ec);
}

// A plain function, not a lambda in the coroutine (GCC 12 destroys its captures twice).
auto vote_job(services::IncomingVote vote, storage::Millis now) {
  return [vote = std::move(vote), now](storage::Connection& c) {
    return services::record_vote(c, vote, now);
  };
}

// The local poll `uri` names: its post id, or 0.
Result<std::int64_t> local_poll(storage::Connection& c, const std::string& uri) {
  auto post = storage::posts::find_by_ap_id(c, uri);
  if (!post) return post.error();
  if (!*post || !(*post)->local) return std::int64_t{0};
  auto poll = storage::polls::find(c, (*post)->id);
  if (!poll) return poll.error();
  return *poll ? (*post)->id : std::int64_t{0};
}

// The vote's own id and author, when given, must be the sending actor's (an actor cannot vote
// in someone else's name; Mastodon's vote ids are `<actor>#votes/<n>`).
bool made_by_actor(const federation::as2::VoteShape& vote, const std::string& actor) {
  if (!vote.attributed_to.empty() && vote.attributed_to != actor) return false;
  if (vote.id.empty()) return true;
  return federation::http::origin_of(vote.id) == federation::http::origin_of(actor);
}

}  // namespace

boost::asio::awaitable<Result<bool>> take_vote(ActivityContext& ctx, const Activity& activity) {
  const auto& env = activity.envelope;
  if (env.object == nullptr) co_return false;
  auto vote = federation::as2::read_vote(*env.object);
  if (!vote) co_return false;
  const std::string question = vote->question;
  auto poll_id = ctx.db.read([&](storage::Connection& c) { return local_poll(c, question); });
  if (!poll_id) co_return refused(poll_id.error());
  if (*poll_id == 0) co_return false;

  // Only the voter's own server may deliver a vote: a vote forwarded or forged by another server
  // (no signature by the actor, no proof) is refused, never refetched (vote ids are not
  // fetchable on Mastodon).
  if (activity.unverified()) {
    ctx.log.info("vote {} on {} refused: not signed by {}", env.id, question, env.actor);
    co_return refused(ConsultationError::vote_not_verified);
  }
  if (!made_by_actor(*vote, env.actor)) {
    ctx.log.info("vote {} on {} refused: not made by {}", env.id, question, env.actor);
    co_return refused(ConsultationError::vote_origin);
  }
  auto actor = co_await ctx.resolver.resolve(env.actor);
  if (!actor) co_return refused(actor.error());

  services::IncomingVote incoming;
  incoming.poll_id = *poll_id;
  incoming.voter_id = actor->id;
  incoming.voter_hosts.push_back(federation::http::host_of(actor->uri).value_or(""));
  incoming.voter_hosts.push_back(actor->domain);
  incoming.option = vote->option;
  incoming.activity_uri = env.id;
  const auto now = ctx.clock();
  auto recorded = co_await federation::write(ctx.db, vote_job(std::move(incoming), now));
  if (!recorded) {
    ctx.log.info("vote {} by {} on {} refused: {}", env.id, env.actor, question,
                 recorded.error().message());
    co_return refused(recorded.error());
  }
  ctx.log.debug(
      "vote {} by {} on {}: {}", env.id, env.actor, question,
      recorded->counted ? (recorded->replaced ? "changed" : "counted") : "already counted");
  co_return true;
}

}  // namespace civicpub::server::inbound
