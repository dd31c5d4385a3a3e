#include "server/inbound/reactions.hpp"

#include "federation/storage_async.hpp"
#include "server/services/notifications.hpp"
#include "storage/posts.hpp"
#include "storage/reactions.hpp"

namespace civicpub::server::inbound {
namespace {

// A plain function, not a lambda in the coroutine (GCC 12 destroys its captures twice). The
// post's local author is notified in the same write.
auto add_job(storage::ReactionRecord reaction, std::int64_t author_id) {
  return [reaction = std::move(reaction), author_id](storage::Connection& c) -> Result<bool> {
    auto added = storage::reactions::add(c, reaction);
    if (!added || !*added) return added;
    return services::notify(c, author_id,
                            reaction.kind == storage::ReactionKind::like
                                ? services::NotificationType::favourite
                                : services::NotificationType::reblog,
                            reaction.actor_id, reaction.post_id, reaction.created_at);
  };
}

bool may_announce(const storage::PostRecord& post, std::int64_t actor_id) {
  return post.visibility == storage::Visibility::public_ ||
         post.visibility == storage::Visibility::unlisted || post.author_id == actor_id;
}

}  // namespace

HandlerResult record_reaction(ActivityContext& ctx, const Activity& activity,
                              storage::ReactionKind kind, std::string post_uri) {
  const auto& env = activity.envelope;
  auto post = ctx.db.read(
      [&](storage::Connection& c) { return storage::posts::find_by_ap_id(c, post_uri); });
  if (!post) co_return post.error();
  if (!*post || (*post)->deleted_at) {
    ctx.log.debug("{} {} of {}: not a post we have, ignored", env.type, env.id, post_uri);
    co_return Result<void>{};
  }
  auto actor = co_await ctx.resolver.resolve(env.actor);
  if (!actor) co_return actor.error();
  if (kind == storage::ReactionKind::announce && !may_announce(**post, actor->id)) {
    ctx.log.debug("Announce {} of {}: the post is not public, ignored", env.id, post_uri);
    co_return Result<void>{};
  }
  storage::ReactionRecord reaction;
  reaction.activity_uri = env.id;
  reaction.kind = kind;
  reaction.actor_id = actor->id;
  reaction.post_id = (*post)->id;
  reaction.created_at = ctx.clock();
  auto job = add_job(std::move(reaction), (*post)->author_id);
  auto added = co_await federation::write(ctx.db, std::move(job));
  if (!added) co_return added.error();
  co_return Result<void>{};
}

}  // namespace civicpub::server::inbound
