#include "server/inbound/dispatcher.hpp"

#include "server/inbound/group_intake.hpp"
#include "server/inbound/thread_authority.hpp"
#include "server/inbound/votes.hpp"

namespace civicpub::server::inbound {
namespace {

using Handler = HandlerResult (*)(ActivityContext&, const Activity&);

Handler handler_for(std::string_view type) {
  if (type == "Create") return &on_create;
  if (type == "Follow") return &on_follow;
  if (type == "Undo") return &on_undo;
  if (type == "Accept") return &on_accept;
  if (type == "Reject") return &on_reject;
  if (type == "Update") return &on_update;
  if (type == "Delete") return &on_delete;
  if (type == "Like") return &on_like;
  if (type == "Announce") return &on_announce;
  return nullptr;
}

}  // namespace

boost::asio::awaitable<Result<void>> Dispatcher::dispatch(
    const federation::InboundActivity& inbound) {
  const auto& envelope = inbound.envelope;
  Handler handler = handler_for(envelope.type);
  if (!handler) {
    context_.log.debug("inbox: {} {} ignored (type not handled)", envelope.type, envelope.id);
    co_return Result<void>{};
  }
  const Activity activity{inbound.json, envelope, inbound.item.auth};
  if (envelope.type == "Create") {
    // A vote on a local consultation stops here: counted (or refused), never stored as a reply
    // nor forwarded to the thread's audience.
    auto vote = co_await take_vote(context_, activity);
    if (!vote) co_return vote.error();
    if (*vote) co_return Result<void>{};
  }
  auto handled = co_await handler(context_, activity);
  if (!handled) co_return handled;
  // Bytes nobody vouched for (neither signed by the actor nor carrying its proof) are not passed
  // on: what was stored came from the object's origin, not from this body.
  if (activity.unverified()) co_return handled;
  // A post to one of our groups: the group announces it to its members (group_intake.hpp),
  // which takes the place of forwarding it as the thread owner.
  auto grouped = co_await apply_group_posting(context_, inbound);
  if (!grouped) {
    context_.log.warn("inbox: {} {} not announced by a group: {}", envelope.type, envelope.id,
                      grouped.error().message());
  } else if (*grouped > 0) {
    co_return handled;
  }
  // The thread owner's step (thread_authority.hpp). The activity itself was handled: a failure
  // to forward it is logged, not a reason to mark the item failed.
  auto forwarded = co_await apply_thread_authority(context_, inbound.item, envelope);
  if (!forwarded) {
    context_.log.warn("inbox: {} {} not forwarded: {}", envelope.type, envelope.id,
                      forwarded.error().message());
  }
  co_return handled;
}

}  // namespace civicpub::server::inbound
