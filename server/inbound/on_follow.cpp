#include "federation/as2/reader.hpp"
#include "server/inbound/activity_handlers.hpp"
#include "server/services/follow_requests.hpp"
#include "server/services/notifications.hpp"
#include "federation/storage_async.hpp"
#include "storage/actors.hpp"
#include "storage/follows.hpp"

#include <memory>

namespace civicpub::server::inbound {
namespace {

// Records the follow and, when it is accepted, queues the Accept in the same transaction. A plain
// function, not a lambda in the coroutine: GCC 12 destroys a coroutine-local lambda's captures
// twice. The Follow document travels in a shared_ptr because rapidjson documents do not copy.
auto follow_job(storage::ActorRecord local, storage::ActorRecord remote, std::string follow_id,
                std::shared_ptr<const rapidjson::Document> follow, storage::Millis now) {
  return [local = std::move(local), remote = std::move(remote), follow_id = std::move(follow_id),
          follow = std::move(follow), now](storage::Connection& c) -> Result<std::size_t> {
    auto existing = storage::follows::find_by_pair(c, remote.id, local.id);
    if (!existing) return existing.error();
    const bool already_accepted = *existing && (*existing)->state == storage::FollowState::accepted;
    // A redelivery of the Follow we already have changes nothing.
    if (*existing && (*existing)->activity_uri == follow_id &&
        (already_accepted || local.manually_approves_followers)) {
      return std::size_t{0};
    }
    storage::FollowRecord record;
    record.follower_id = remote.id;
    record.target_id = local.id;
    // A new Follow from an accepted follower (Mastodon re-sends one when it lost track) is
    // answered again; for a manually approving account it otherwise waits for the owner.
    record.state = already_accepted || !local.manually_approves_followers
                       ? storage::FollowState::accepted
                       : storage::FollowState::pending;
    record.activity_uri = follow_id;
    record.created_at = record.updated_at = now;
    if (auto upserted = storage::follows::upsert(c, record); !upserted) return upserted.error();
    if (!already_accepted) {
      auto told = services::notify(c, local.id,
                                   record.state == storage::FollowState::accepted
                                       ? services::NotificationType::follow
                                       : services::NotificationType::follow_request,
                                   remote.id, std::nullopt, now);
      if (!told) return told.error();
    }
    if (record.state != storage::FollowState::accepted) return std::size_t{0};
    return services::enqueue_follow_answer(c, local, remote, *follow, true, now);
  };
}

}  // namespace

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
  auto embedded = std::make_shared<rapidjson::Document>();
  embedded->CopyFrom(activity.json, embedded->GetAllocator());
  auto queued = co_await federation::write(
      ctx.db, follow_job(**target, *follower, follow.id, std::move(embedded), ctx.clock()));
  if (!queued) co_return queued.error();
  if (*queued > 0 && ctx.on_enqueued) ctx.on_enqueued();
  co_return Result<void>{};
}

}  // namespace civicpub::server::inbound
