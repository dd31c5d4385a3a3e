#include "server/inbound/dispatcher.hpp"

#include "server/inbound/group_intake.hpp"
#include "server/inbound/group_moderation_intake.hpp"
#include "server/inbound/thread_authority.hpp"
#include "server/inbound/votes.hpp"
#include "federation/as2/envelope.hpp"
#include "federation/as2/reader.hpp"
#include "storage/inbox_items.hpp"
#include "storage/posts.hpp"

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
  if (type == "Flag") return &on_flag;
  return nullptr;
}

// A remote post stored here whose parent is not (its ancestors are being fetched).
Result<bool> waits_for_parent(storage::Connection& c, const std::string& uri) {
  auto post = storage::posts::find_by_ap_id(c, uri);
  if (!post) return Result<bool>(boost::system::in_place_error, post.error());
  if (!*post || (*post)->local || (*post)->in_reply_to.empty()) return false;
  auto parent = storage::posts::find_by_ap_id(c, (*post)->in_reply_to);
  if (!parent) return Result<bool>(boost::system::in_place_error, parent.error());
  return !*parent;
}

}  // namespace

boost::asio::awaitable<Result<void>> Dispatcher::dispatch(
    const federation::InboundActivity& inbound) {
  const auto& envelope = inbound.envelope;
  const Activity activity{inbound.json, envelope, inbound.item.auth};
  // A moderator's Delete, Lock, Add, Remove, Block or Undo in one of our groups stops here
  // (group_moderation_intake.hpp).
  auto moderated = co_await take_group_moderation(context_, activity);
  if (!moderated) co_return moderated.error();
  if (*moderated) co_return Result<void>{};
  Handler handler = handler_for(envelope.type);
  if (!handler) {
    context_.log.debug("inbox: {} {} ignored (type not handled)", envelope.type, envelope.id);
    co_return Result<void>{};
  }
  if (envelope.type == "Create") {
    // A vote on a local consultation stops here: counted (or refused), never stored as a reply
    // nor forwarded to the thread's audience.
    auto vote = co_await take_vote(context_, activity);
    if (!vote) co_return vote.error();
    if (*vote) co_return Result<void>{};
  }
  auto handled = co_await handler(context_, activity);
  if (!handled) co_return handled;
  // A report is for this server's operator alone: never announced nor forwarded.
  if (envelope.type == "Flag") co_return handled;
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
  } else if (*forwarded == 0 && context_.fetch_ancestors_later && envelope.object_id &&
             (envelope.type == "Create" || envelope.type == "Update")) {
    auto waits = context_.db.read(
        [&](storage::Connection& c) { return waits_for_parent(c, *envelope.object_id); });
    if (waits && *waits) remember(*envelope.object_id, inbound.item.id);
  }
  co_return handled;
}

void Dispatcher::remember(const std::string& uri, std::int64_t item_id) {
  std::lock_guard lock(mutex_);
  if (awaiting_.size() >= kAwaitingLimit && !awaiting_.contains(uri)) return;
  awaiting_[uri] = item_id;
}

std::size_t Dispatcher::awaiting() const {
  std::lock_guard lock(mutex_);
  return awaiting_.size();
}

boost::asio::awaitable<void> Dispatcher::reconsider(std::string uri) {
  std::int64_t item_id = 0;
  {
    std::lock_guard lock(mutex_);
    auto it = awaiting_.find(uri);
    if (it == awaiting_.end()) co_return;
    item_id = it->second;
    awaiting_.erase(it);
  }
  auto item = context_.db.read(
      [&](storage::Connection& c) { return storage::inbox_items::find(c, item_id); });
  if (!item || !*item) co_return;  // purged meanwhile
  auto doc = federation::as2::parse_json((*item)->body);
  if (!doc) co_return;
  auto envelope = federation::as2::read_envelope(*doc);
  if (!envelope) co_return;
  context_.log.debug("{} {}: the parents of {} are fetched; its thread step again",
                     envelope->type, envelope->id, uri);
  auto forwarded = co_await apply_thread_authority(context_, **item, *envelope);
  if (!forwarded) {
    context_.log.warn("inbox: {} {} not forwarded: {}", envelope->type, envelope->id,
                      forwarded.error().message());
  }
}

}  // namespace civicpub::server::inbound
