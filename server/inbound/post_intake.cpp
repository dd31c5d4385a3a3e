#include "server/inbound/post_intake.hpp"
#include "federation/http/urls.hpp"

#include "federation/remote/actor_document.hpp"
#include "federation/as2/error.hpp"
#include "federation/as2/reader.hpp"
#include "federation/federation_error.hpp"
#include "server/inbound/post_relevance.hpp"
#include "storage/posts.hpp"
#include "storage/tombstones.hpp"

namespace civicpub::server::inbound {
namespace {

enum class Known { no, stored, tombstoned };

Result<Known> known_state(storage::Connection& c, const std::string& id) {
  auto tombstoned = storage::tombstones::contains(c, id);
  if (!tombstoned) return tombstoned.error();
  if (*tombstoned) return Known::tombstoned;
  auto stored = storage::posts::find_by_ap_id(c, id);
  if (!stored) return stored.error();
  return *stored ? Known::stored : Known::no;
}

bool parent_missing(storage::Connection& c, const storage::PostRecord& post) {
  if (post.in_reply_to.empty()) return false;
  auto parent = storage::posts::find_by_ap_id(c, post.in_reply_to);
  return parent && !*parent;
}

bool is_stored(storage::Connection& c, const std::string& id) {
  auto found = storage::posts::find_by_ap_id(c, id);
  return found && *found;
}

// How many unknown parents a forwarded reply may be followed up before giving up on finding a
// post stored here.
constexpr int kForwardedChainLimit = 8;

// Whether the reply chain above `post` reaches a post stored here, asking the parents' origins
// (signed GETs, nothing stored). For forwarded replies only: a thread owner or participant that
// relays a reply to us says it belongs to a thread we take part in, but the reply in between may
// still be on its way (the race between a direct delivery and a forward).
boost::asio::awaitable<Result<bool>> chain_reaches_us(ActivityContext& ctx,
                                                      const federation::convert::RemotePost& post) {
  std::string uri = post.in_reply_to.value_or("");
  for (int i = 0; i < kForwardedChainLimit && !uri.empty(); ++i) {
    auto stored = ctx.db.read(
        [&](storage::Connection& c) -> Result<int> { return is_stored(c, uri) ? 1 : 0; });
    if (!stored) co_return Result<bool>(boost::system::in_place_error, stored.error());
    if (*stored) co_return true;
    auto parent = co_await ctx.posts.fetch(uri);
    if (!parent) co_return false;
    uri = parent->post.in_reply_to.value_or("");
  }
  co_return false;
}

}  // namespace

boost::asio::awaitable<Result<federation::CheckedPost>> checked_post(ActivityContext& ctx,
                                                         const Activity& activity) {
  const auto& env = activity.envelope;
  if (!env.object_id) co_return make_error_code(federation::as2::DocumentError::missing_id);
  const std::string object_id = *env.object_id;
  if (env.object) {
    const auto type = federation::as2::first_type(*env.object);
    if (!type || !federation::convert::is_post_type(*type)) co_return make_error_code(federation::as2::DocumentError::missing_type);
  }
  if (activity.unverified()) {
    // Forwarded without the actor's signature or proof: the copy received proves nothing. The
    // origin's copy is used, and it must be the actor's post.
    ctx.log.info(
        "{} {}: unverified (forwarded without a valid proof); {} refetched from its origin",
        env.type, env.id, object_id);
    auto fetched = co_await ctx.posts.fetch(object_id);
    if (!fetched) co_return fetched.error();
    if (fetched->post.attributed_to != env.actor) {
      ctx.log.info("{} {}: the origin's {} is attributed to {}, not to the actor {}; dropped",
                   env.type, env.id, object_id, fetched->post.attributed_to, env.actor);
      co_return make_error_code(federation::FederationError::not_author);
    }
    fetched->activity_id = env.id;  // verified_by stays "origin"
    co_return fetched;
  }
  // Scheme, host and port: another port or plain http on the same host is another server.
  const auto object_origin = federation::http::origin_of(object_id);
  const bool same_origin = object_origin && object_origin == federation::http::origin_of(env.actor);
  if (!env.object || !same_origin) {
    ctx.log.debug("{} {}: object {} refetched from its origin", env.type, env.id, object_id);
    auto fetched = co_await ctx.posts.fetch(object_id);
    if (fetched) fetched->activity_id = env.id;  // verified_by stays "origin"
    co_return fetched;
  }
  auto post = federation::convert::read_post(*env.object);
  if (!post) co_return post.error();
  if (post->id != object_id || post->attributed_to != env.actor) {
    ctx.log.info("{} {}: post {} is attributed to {}, not to the actor {}", env.type, env.id,
                 post->id, post->attributed_to, env.actor);
    co_return make_error_code(federation::FederationError::origin_mismatch);
  }
  auto author = co_await ctx.resolver.resolve(env.actor);
  if (!author) co_return author.error();
  federation::CheckedPost checked{std::move(*post), std::move(*author),
                                  federation::to_json_text(*env.object)};
  checked.verified_by = activity.auth == storage::InboxAuth::proof ? "proof" : "signature";
  checked.activity_id = env.id;
  co_return checked;
}

HandlerResult take_post(ActivityContext& ctx, const Activity& activity, bool concerns_us_already) {
  const auto& env = activity.envelope;
  if (!env.object_id) {
    ctx.log.debug("{} {}: no object id; ignored", env.type, env.id);
    co_return Result<void>{};
  }
  const std::string object_id = *env.object_id;
  auto known = ctx.db.read([&](storage::Connection& c) { return known_state(c, object_id); });
  if (!known) co_return known.error();
  if (*known == Known::tombstoned) {
    ctx.log.info("{} {}: {} was deleted; ignored", env.type, env.id, object_id);
    co_return Result<void>{};
  }
  if (*known == Known::stored) {
    ctx.log.debug("{} {}: {} is stored already", env.type, env.id, object_id);
    co_return Result<void>{};
  }

  auto checked = co_await checked_post(ctx, activity);
  if (!checked) {
    if (checked.error() == federation::as2::DocumentError::missing_type) {
      ctx.log.debug("{} {}: {} is no post; ignored", env.type, env.id, object_id);
      co_return Result<void>{};
    }
    if (checked.error() == federation::FederationError::object_gone) {
      ctx.log.info("{} {}: {} is gone; ignored", env.type, env.id, object_id);
      co_return Result<void>{};
    }
    co_return checked.error();
  }
  const auto author_id = checked->author.id;
  Result<bool> related = true;
  if (!concerns_us_already) {
    related = ctx.db.read(
        [&](storage::Connection& c) { return concerns_us(c, checked->post, author_id); });
  }
  if (!related) co_return related.error();
  if (!*related && activity.auth != storage::InboxAuth::signature) {
    auto reaches = co_await chain_reaches_us(ctx, checked->post);
    if (!reaches) co_return reaches.error();
    related = *reaches;
  }
  if (!*related) {
    ctx.log.debug("{} {}: post {} by {} concerns no one here; dropped", env.type, env.id,
                  checked->post.id, checked->author.uri);
    co_return Result<void>{};
  }

  auto stored = co_await ctx.posts.store(std::move(*checked));
  if (!stored) {
    if (stored.error() == federation::FederationError::object_gone) co_return Result<void>{};
    co_return stored.error();
  }
  auto fetch_parents = ctx.db.read(
      [&](storage::Connection& c) -> Result<bool> { return parent_missing(c, *stored); });
  if (!fetch_parents || !*fetch_parents) co_return Result<void>{};
  if (ctx.fetch_ancestors_later) {
    // Off the worker's path: a parent on a slow or silent host must not hold up the queue.
    ctx.fetch_ancestors_later(stored->ap_id);
    co_return Result<void>{};
  }
  // Stopping at a cap, the budget or a failed fetch is normal; the reply stays stored either way.
  auto fetched = co_await ctx.posts.ancestors(stored->ap_id);
  if (!fetched) {
    ctx.log.info("{} {}: parents of {} not fetched: {}", env.type, env.id, stored->ap_id,
                 fetched.error().message());
  } else {
    ctx.log.debug("{} {}: {} parent(s) of {} fetched", env.type, env.id, *fetched, stored->ap_id);
  }
  co_return Result<void>{};
}

}  // namespace civicpub::server::inbound
