#include "federation/actor_document.hpp"
#include "federation/as2/reader.hpp"
#include "federation/inbox/activity_handlers.hpp"

namespace civicpub::federation::inbox {

// Update of the sender's own actor: refetch it from its id rather than trusting the embedded
// copy, so the stored document always passed the resolver's checks (INTEROP.md section 4: an
// embedded object is trusted only after refetching it from its own id).
HandlerResult on_update(ActivityContext& ctx, const Activity& activity) {
  const auto& update = activity.envelope;
  if (!update.object_id || *update.object_id != update.actor) {
    ctx.log.debug("Update {} of {}: not an actor update, not handled yet", update.id,
                  update.object_id.value_or("?"));
    co_return Result<void>{};
  }
  if (update.object) {
    auto type = as2::first_type(*update.object);
    if (!type || !is_actor_type(*type)) co_return Result<void>{};
  }
  auto refreshed = co_await ctx.resolver.resolve(update.actor, true);
  if (!refreshed) co_return refreshed.error();
  co_return Result<void>{};
}

}  // namespace civicpub::federation::inbox
