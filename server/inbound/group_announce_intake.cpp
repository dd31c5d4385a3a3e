// take_group_announce (post_intake.hpp): posts a followed group passes on (FEP-1b12).
#include "server/inbound/post_intake.hpp"

#include "federation/as2/envelope.hpp"
#include "storage/actors.hpp"
#include "storage/follows.hpp"

namespace civicpub::server::inbound {
namespace {

// Whether a local account follows `uri` (an accepted follow). Per local account, as in
// post_relevance.cpp: local accounts are few.
Result<bool> followed_here(storage::Connection& c, const std::string& uri) {
  auto actor = storage::actors::find_by_uri(c, uri);
  if (!actor) return {boost::system::in_place_error, actor.error()};
  if (!*actor) return false;
  auto locals = storage::actors::list_local(c);
  if (!locals) return {boost::system::in_place_error, locals.error()};
  for (const auto& local : *locals) {
    auto follow = storage::follows::find_by_pair(c, local.id, (*actor)->id);
    if (!follow) return {boost::system::in_place_error, follow.error()};
    if (*follow && (*follow)->state == storage::FollowState::accepted) return true;
  }
  return false;
}

}  // namespace

HandlerResult take_group_announce(ActivityContext& ctx, const Activity& announce) {
  const auto& env = announce.envelope;
  if (announce.unverified() || !env.object) {
    ctx.log.debug("Announce {}: not the group's own, or no embedded activity; ignored", env.id);
    co_return Result<void>{};
  }
  auto inner = federation::as2::read_envelope(*env.object);
  if (!inner) {
    ctx.log.info("Announce {}: the embedded activity is unreadable ({}); ignored", env.id,
                 inner.error().message());
    co_return Result<void>{};
  }
  const std::string group = env.actor;
  auto followed = ctx.db.read([&](storage::Connection& c) { return followed_here(c, group); });
  if (!followed) co_return followed.error();
  if (!*followed) {
    ctx.log.debug("Announce {} of {}: {} is followed by no one here; ignored", env.id, inner->id,
                  group);
    co_return Result<void>{};
  }
  const Activity passed_on{*env.object, *inner, storage::InboxAuth::unverified};
  co_return co_await take_post(ctx, passed_on, true);
}

}  // namespace civicpub::server::inbound
