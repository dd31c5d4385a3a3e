#include "federation/as2/reader.hpp"
#include "federation/inbox/activity_handlers.hpp"
#include "federation/storage_async.hpp"
#include "storage/actors.hpp"
#include "storage/follows.hpp"

namespace civicpub::federation::inbox {
namespace {

// Removes the follow `undo` takes back. The embedded Follow's id may be one we never stored
// (Mastodon mints a new one for every Follow), so an embedded Follow is matched on its
// (actor, object) pair; only a bare id is matched on the id. Unknown things are a no-op.
Result<void> undo_follow(storage::Connection& c, const std::string& actor,
                         const std::optional<std::string>& target_uri,
                         const std::optional<std::string>& follow_id) {
  auto follower = storage::actors::find_by_uri(c, actor);
  if (!follower) return follower.error();
  if (!*follower) return {};
  if (target_uri) {
    auto target = storage::actors::find_by_uri(c, *target_uri);
    if (!target) return target.error();
    if (!*target) return {};
    auto removed = storage::follows::remove(c, (*follower)->id, (*target)->id);
    if (!removed) return removed.error();
    return {};
  }
  if (!follow_id) return {};
  auto follow = storage::follows::find_by_activity_uri(c, *follow_id);
  if (!follow) return follow.error();
  // Only the follower may undo its follow.
  if (!*follow || (*follow)->follower_id != (*follower)->id) return {};
  auto removed = storage::follows::remove(c, (*follow)->follower_id, (*follow)->target_id);
  if (!removed) return removed.error();
  return {};
}

// A plain function, not a lambda in the coroutine: GCC 12 destroys a coroutine-local lambda's
// by-value captures twice.
auto undo_job(std::string actor, std::optional<std::string> target_uri,
              std::optional<std::string> follow_id) {
  return [actor = std::move(actor), target_uri = std::move(target_uri),
          follow_id = std::move(follow_id)](storage::Connection& c) {
    return undo_follow(c, actor, target_uri, follow_id);
  };
}

}  // namespace

HandlerResult on_undo(ActivityContext& ctx, const Activity& activity) {
  const auto& undo = activity.envelope;
  std::optional<std::string> target_uri;
  if (undo.object) {
    if (!as2::has_type(*undo.object, "Follow")) {
      ctx.log.debug("Undo {} of a {}: not handled yet", undo.id,
                    as2::first_type(*undo.object).value_or("?"));
      co_return Result<void>{};
    }
    // The Follow must be the Undo's actor's own.
    if (as2::member_id(*undo.object, "actor") != undo.actor) co_return Result<void>{};
    target_uri = as2::member_id(*undo.object, "object");
    if (!target_uri) co_return Result<void>{};
  }
  co_return co_await write(ctx.db, undo_job(undo.actor, target_uri, undo.object_id));
}

}  // namespace civicpub::federation::inbox
