#include "server/inbound/activity_handlers.hpp"
#include "server/inbound/reactions.hpp"

namespace civicpub::server::inbound {

// Misskey sends its emoji reactions as a Like with `content` (or `_misskey_reaction`); they count
// as likes, as Mastodon counts them.
HandlerResult on_like(ActivityContext& ctx, const Activity& activity) {
  const auto& like = activity.envelope;
  if (!like.object_id) {
    ctx.log.debug("Like {} without an object, ignored", like.id);
    co_return Result<void>{};
  }
  co_return co_await record_reaction(ctx, activity, storage::ReactionKind::like, *like.object_id);
}

}  // namespace civicpub::server::inbound
