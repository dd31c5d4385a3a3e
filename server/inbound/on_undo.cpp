#include "federation/as2/reader.hpp"
#include "server/inbound/activity_handlers.hpp"
#include "federation/storage_async.hpp"
#include "storage/actors.hpp"
#include "storage/follows.hpp"
#include "storage/posts.hpp"
#include "storage/reactions.hpp"

namespace civicpub::server::inbound {
namespace {

// Removes the follow `undo` takes back. The embedded Follow's id may be one we never stored
// (Mastodon mints a new one for every Follow), so an embedded Follow is matched on its
// (actor, object) pair; only a bare id is matched on the id. Unknown things are a no-op.
Result<void> undo_follow(storage::Connection& c, const storage::ActorRecord& follower,
                         const std::optional<std::string>& target_uri,
                         const std::optional<std::string>& follow_id) {
  if (target_uri) {
    auto target = storage::actors::find_by_uri(c, *target_uri);
    if (!target) return target.error();
    if (!*target) return {};
    auto removed = storage::follows::remove(c, follower.id, (*target)->id);
    if (!removed) return removed.error();
    return {};
  }
  if (!follow_id) return {};
  auto follow = storage::follows::find_by_activity_uri(c, *follow_id);
  if (!follow) return follow.error();
  // Only the follower may undo its follow.
  if (!*follow || (*follow)->follower_id != follower.id) return {};
  auto removed = storage::follows::remove(c, (*follow)->follower_id, (*follow)->target_id);
  if (!removed) return removed.error();
  return {};
}

// Removes a Like or Announce: by the undone activity's id when we stored it, else (Mastodon
// style) the actor's reaction of that kind on the post. Either way only the actor's own.
Result<void> undo_reaction(storage::Connection& c, const storage::ActorRecord& actor,
                           storage::ReactionKind kind,
                           const std::optional<std::string>& activity_id,
                           const std::optional<std::string>& post_uri) {
  if (activity_id) {
    auto removed = storage::reactions::remove_by_activity(c, *activity_id, actor.id);
    if (!removed) return removed.error();
    if (*removed) return {};
  }
  if (!post_uri) return {};
  auto post = storage::posts::find_by_ap_id(c, *post_uri);
  if (!post) return post.error();
  if (!*post) return {};
  auto removed = storage::reactions::remove(c, kind, actor.id, (*post)->id);
  if (!removed) return removed.error();
  return {};
}

// What an Undo takes back, read from its object before anything is written.
struct UndoTarget {
  enum class What { follow, like, announce, unknown_id } what = What::unknown_id;
  std::optional<std::string> activity_id;  // the undone activity's id
  std::optional<std::string> object_uri;   // what the undone activity was about
};

Result<void> apply_undo(storage::Connection& c, const std::string& actor_uri,
                        const UndoTarget& target) {
  auto actor = storage::actors::find_by_uri(c, actor_uri);
  if (!actor) return actor.error();
  if (!*actor) return {};  // an actor we never stored has nothing to undo
  switch (target.what) {
    case UndoTarget::What::follow: return undo_follow(c, **actor, target.object_uri, std::nullopt);
    case UndoTarget::What::like:
      return undo_reaction(c, **actor, storage::ReactionKind::like, target.activity_id,
                           target.object_uri);
    case UndoTarget::What::announce:
      return undo_reaction(c, **actor, storage::ReactionKind::announce, target.activity_id,
                           target.object_uri);
    case UndoTarget::What::unknown_id:
      // A bare id names a Follow or a reaction of this actor; whichever it is goes.
      if (auto r = undo_follow(c, **actor, std::nullopt, target.activity_id); !r) return r;
      if (!target.activity_id) return {};
      if (auto r = storage::reactions::remove_by_activity(c, *target.activity_id, (*actor)->id);
          !r) {
        return r.error();
      }
      return {};
  }
  return {};
}

// A plain function, not a lambda in the coroutine: GCC 12 destroys a coroutine-local lambda's
// by-value captures twice.
auto undo_job(std::string actor, UndoTarget target) {
  return [actor = std::move(actor), target = std::move(target)](storage::Connection& c) {
    return apply_undo(c, actor, target);
  };
}

// Reads the embedded activity. Nothing when it is not the Undo's actor's own, or of a type
// we do not undo.
std::optional<UndoTarget> embedded_target(ActivityContext& ctx, const federation::as2::ActivityEnvelope& undo) {
  const auto& object = *undo.object;
  UndoTarget target;
  if (federation::as2::has_type(object, "Follow")) {
    target.what = UndoTarget::What::follow;
  } else if (federation::as2::has_type(object, "Like")) {
    target.what = UndoTarget::What::like;
  } else if (federation::as2::has_type(object, "Announce")) {
    target.what = UndoTarget::What::announce;
  } else {
    ctx.log.debug("Undo {} of a {}: not handled", undo.id, federation::as2::first_type(object).value_or("?"));
    return std::nullopt;
  }
  const auto actor = federation::as2::member_id(object, "actor");
  // The undone activity must be the Undo's actor's own. A Follow must say so; a Like or Announce
  // without `actor` can still only remove the Undo actor's own reaction.
  if (actor ? *actor != undo.actor : target.what == UndoTarget::What::follow) {
    ctx.log.debug("Undo {} of an activity by {}: not the sender's, ignored", undo.id,
                  actor.value_or("?"));
    return std::nullopt;
  }
  target.activity_id = undo.object_id;
  target.object_uri = federation::as2::member_id(object, "object");
  if (!target.object_uri && target.what == UndoTarget::What::follow) return std::nullopt;
  return target;
}

}  // namespace

HandlerResult on_undo(ActivityContext& ctx, const Activity& activity) {
  const auto& undo = activity.envelope;
  UndoTarget target;
  if (undo.object) {
    auto embedded = embedded_target(ctx, undo);
    if (!embedded) co_return Result<void>{};
    target = std::move(*embedded);
  } else {
    if (!undo.object_id) co_return Result<void>{};
    target.activity_id = undo.object_id;
  }
  co_return co_await federation::write(ctx.db, undo_job(undo.actor, std::move(target)));
}

}  // namespace civicpub::server::inbound
