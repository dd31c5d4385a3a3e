#include "federation/convert/post_reader.hpp"
#include "federation/as2/reader.hpp"
#include "server/inbound/activity_handlers.hpp"
#include "server/inbound/post_intake.hpp"
#include "server/inbound/reactions.hpp"

namespace civicpub::server::inbound {

HandlerResult on_announce(ActivityContext& ctx, const Activity& activity) {
  const auto& announce = activity.envelope;
  if (!announce.object_id) {
    ctx.log.debug("Announce {} without an object, ignored", announce.id);
    co_return Result<void>{};
  }
  // A group (FEP-1b12, Lemmy) announces the activities of its members: an embedded Create is
  // a member's post (post_intake.hpp, take_group_announce), an embedded Delete a removal
  // (take_group_removal); Lock, Add, Remove, Block, Like, Update ... are not handled yet. An
  // embedded post (some servers embed the Note) is a boost like a bare id.
  if (announce.object) {
    const auto type = federation::as2::first_type(*announce.object);
    if (type && *type == "Create") co_return co_await take_group_announce(ctx, activity);
    if (type && *type == "Delete") co_return co_await take_group_removal(ctx, activity);
    if (type && !federation::convert::is_post_type(*type)) {
      ctx.log.debug("Announce {} of a {}: group announces are not handled yet", announce.id, *type);
      co_return Result<void>{};
    }
  }
  co_return co_await record_reaction(ctx, activity, storage::ReactionKind::announce,
                                     *announce.object_id);
}

}  // namespace civicpub::server::inbound
