#include "federation/as2/reader.hpp"
#include "server/inbound/activity_handlers.hpp"
#include "server/inbound/our_follow.hpp"
#include "federation/storage_async.hpp"
#include "storage/follows.hpp"

namespace civicpub::server::inbound {
namespace {

// A plain function, not a lambda in the coroutine (GCC 12 destroys its captures twice).
auto accept_job(std::string actor, std::optional<std::string> follow_id,
                std::optional<std::string> our_actor, storage::Millis now) {
  return [actor = std::move(actor), follow_id = std::move(follow_id),
          our_actor = std::move(our_actor), now](storage::Connection& c) -> Result<void> {
    auto follow = find_answered_follow(c, actor, follow_id, our_actor);
    if (!follow) return follow.error();
    if (!*follow || (*follow)->state == storage::FollowState::accepted) return {};
    return storage::follows::set_state(c, (*follow)->id, storage::FollowState::accepted, now);
  };
}

}  // namespace

HandlerResult on_accept(ActivityContext& ctx, const Activity& activity) {
  const auto& accept = activity.envelope;
  // Accept of anything but a Follow (e.g. of a Question vote) is not ours to handle.
  if (accept.object && !federation::as2::has_type(*accept.object, "Follow")) co_return Result<void>{};
  std::optional<std::string> our_actor;
  if (accept.object) our_actor = federation::as2::member_id(*accept.object, "actor");
  co_return co_await federation::write(ctx.db,
                           accept_job(accept.actor, accept.object_id, our_actor, ctx.clock()));
}

}  // namespace civicpub::server::inbound
