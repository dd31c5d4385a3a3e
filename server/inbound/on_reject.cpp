#include "federation/as2/reader.hpp"
#include "server/inbound/activity_handlers.hpp"
#include "server/inbound/our_follow.hpp"
#include "federation/storage_async.hpp"
#include "storage/follows.hpp"

namespace civicpub::server::inbound {
namespace {

// A plain function, not a lambda in the coroutine (GCC 12 destroys its captures twice).
auto reject_job(std::string actor, std::optional<std::string> follow_id,
                std::optional<std::string> our_actor) {
  return [actor = std::move(actor), follow_id = std::move(follow_id),
          our_actor = std::move(our_actor)](storage::Connection& c) -> Result<void> {
    auto follow = find_answered_follow(c, actor, follow_id, our_actor);
    if (!follow) return follow.error();
    if (!*follow) return {};
    auto removed = storage::follows::remove(c, (*follow)->follower_id, (*follow)->target_id);
    if (!removed) return removed.error();
    return {};
  };
}

}  // namespace

// A Reject ends our follow, whether it was pending or already accepted (Mastodon sends Reject to
// remove a follower).
HandlerResult on_reject(ActivityContext& ctx, const Activity& activity) {
  const auto& reject = activity.envelope;
  if (reject.object && !federation::as2::has_type(*reject.object, "Follow")) co_return Result<void>{};
  std::optional<std::string> our_actor;
  if (reject.object) our_actor = federation::as2::member_id(*reject.object, "actor");
  co_return co_await federation::write(ctx.db, reject_job(reject.actor, reject.object_id, our_actor));
}

}  // namespace civicpub::server::inbound
