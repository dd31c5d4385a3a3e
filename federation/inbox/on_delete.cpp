#include "federation/inbox/activity_handlers.hpp"
#include "federation/storage_async.hpp"
#include "storage/actors.hpp"
#include "storage/follows.hpp"

namespace civicpub::federation::inbox {
namespace {

// Marks the actor deleted and drops its follows in both directions with our accounts. Done per
// local account because storage has no "all follows of X" statement yet; local accounts are few.
Result<void> delete_actor(storage::Connection& c, const std::string& uri, storage::Millis now) {
  auto actor = storage::actors::find_by_uri(c, uri);
  if (!actor) return actor.error();
  if (!*actor || (*actor)->local) return {};
  if (!(*actor)->deleted_at) {
    if (auto marked = storage::actors::mark_deleted(c, (*actor)->id, now); !marked) return marked;
  }
  auto locals = storage::actors::list_local(c);
  if (!locals) return locals.error();
  for (const auto& local : *locals) {
    if (auto r = storage::follows::remove(c, (*actor)->id, local.id); !r) return r.error();
    if (auto r = storage::follows::remove(c, local.id, (*actor)->id); !r) return r.error();
  }
  return {};
}

// A plain function, not a lambda in the coroutine (GCC 12 destroys its captures twice).
auto delete_job(std::string uri, storage::Millis now) {
  return [uri = std::move(uri), now](storage::Connection& c) { return delete_actor(c, uri, now); };
}

}  // namespace

HandlerResult on_delete(ActivityContext& ctx, const Activity& activity) {
  const auto& del = activity.envelope;
  if (!del.object_id || *del.object_id != del.actor) {
    ctx.log.debug("Delete {} of {}: not an actor delete, not handled yet", del.id,
                  del.object_id.value_or("?"));
    co_return Result<void>{};
  }
  const auto now = ctx.clock();
  co_return co_await write(ctx.db, delete_job(del.actor, now));
}

}  // namespace civicpub::federation::inbox
