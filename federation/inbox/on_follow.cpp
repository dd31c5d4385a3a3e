#include "federation/as2/reader.hpp"
#include "federation/inbox/activity_handlers.hpp"
#include "federation/inbox/follow_requests.hpp"
#include "federation/storage_async.hpp"
#include "storage/actors.hpp"
#include "storage/follows.hpp"

namespace civicpub::federation::inbox {

HandlerResult on_follow(ActivityContext& ctx, const Activity& activity) {
  const auto& follow = activity.envelope;
  if (!follow.object_id) co_return Result<void>{};
  auto target = ctx.db.read(
      [&](storage::Connection& c) { return storage::actors::find_by_uri(c, *follow.object_id); });
  if (!target) co_return target.error();
  if (!*target || !(*target)->local || (*target)->deleted_at) {
    ctx.log.debug("Follow {} of {}: not a local account, ignored", follow.id, *follow.object_id);
    co_return Result<void>{};
  }
  auto follower = co_await ctx.resolver.resolve(follow.actor);
  if (!follower) co_return follower.error();

  // The Follow is embedded verbatim in our Accept: Mastodon's Follow ids cannot be fetched and it
  // matches the embedded id, actor and object (INTEROP.md section 3).
  rapidjson::Document embedded;
  embedded.CopyFrom(activity.json, embedded.GetAllocator());
  const auto now = ctx.clock();
  auto queued = co_await write(
      ctx.db,
      [local = **target, remote = *follower, follow_id = follow.id,
       embedded = std::move(embedded), now](storage::Connection& c) -> Result<std::size_t> {
        auto existing = storage::follows::find_by_pair(c, remote.id, local.id);
        if (!existing) return existing.error();
        const bool already_accepted =
            *existing && (*existing)->state == storage::FollowState::accepted;
        // A redelivery of the Follow we already have changes nothing.
        if (*existing && (*existing)->activity_uri == follow_id &&
            (already_accepted || local.manually_approves_followers)) {
          return std::size_t{0};
        }
        storage::FollowRecord record;
        record.follower_id = remote.id;
        record.target_id = local.id;
        // A new Follow of an accepted follower (Mastodon re-sends one when it lost track) is
        // answered again; a manual account otherwise keeps it pending for the owner to decide.
        record.state = already_accepted || !local.manually_approves_followers
                           ? storage::FollowState::accepted
                           : storage::FollowState::pending;
        record.activity_uri = follow_id;
        record.created_at = record.updated_at = now;
        if (auto upserted = storage::follows::upsert(c, record); !upserted) return upserted.error();
        if (record.state != storage::FollowState::accepted) return std::size_t{0};
        return enqueue_follow_answer(c, local, remote, embedded, true, now);
      });
  if (!queued) co_return queued.error();
  if (*queued > 0 && ctx.on_enqueued) ctx.on_enqueued();
  co_return Result<void>{};
}

}  // namespace civicpub::federation::inbox
