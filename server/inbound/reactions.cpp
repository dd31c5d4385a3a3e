#include "server/inbound/reactions.hpp"

#include "federation/storage_async.hpp"
#include "storage/posts.hpp"
#include "storage/reactions.hpp"

namespace civicpub::server::inbound {
namespace {

// A plain function, not a lambda in the coroutine (GCC 12 destroys its captures twice).
auto add_job(storage::ReactionRecord reaction) {
  return [reaction = std::move(reaction)](storage::Connection& c) {
    return storage::reactions::add(c, reaction);
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
  auto added = co_await federation::write(ctx.db, add_job(std::move(reaction)));
  if (!added) co_return added.error();
  co_return Result<void>{};
}

}  // namespace civicpub::server::inbound
