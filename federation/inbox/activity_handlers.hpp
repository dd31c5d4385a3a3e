// One handler per inbound activity type (GoToSocial's layout: one file each, on_<type>.cpp).
// Each runs in the InboxWorker after the activity was verified and queued; each is idempotent,
// because peers redeliver and the worker may process an item again after a crash.
#pragma once

#include "federation/actor_resolver.hpp"
#include "federation/as2/envelope.hpp"
#include "federation/clock.hpp"
#include "storage/database.hpp"

#include <rapidjson/document.h>
#include <spdlog/logger.h>
#include <boost/asio/awaitable.hpp>

#include <functional>

namespace civicpub::federation::inbox {

// What the handlers may use; owned by the InboxWorker.
struct ActivityContext {
  storage::Database& db;
  ActorResolver& resolver;
  Clock clock;
  spdlog::logger& log;
  // Called after a write queued deliveries (wakes the delivery worker); may be empty.
  std::function<void()> on_enqueued;
};

// A verified, queued activity: the parsed document and its envelope (which points into it).
struct Activity {
  const rapidjson::Value& json;
  const as2::ActivityEnvelope& envelope;
};

using HandlerResult = boost::asio::awaitable<Result<void>>;

// Follow of a local account: store the follower and the follow; auto-accept unless the account
// approves followers manually.
HandlerResult on_follow(ActivityContext& ctx, const Activity& activity);
// Undo{Follow}: matched on (actor, object) since the embedded Follow's id may be unknown.
// Undo{Like} / Undo{Announce}: matched on the embedded activity's id, else on (actor, kind,
// post). A bare id undoes whichever follow or reaction of the sender it names.
HandlerResult on_undo(ActivityContext& ctx, const Activity& activity);
// Like and Announce of a post we store (local or remote), counted once per actor; anything else
// is ignored. An Announce of an activity (FEP-1b12 group announces) is not handled yet.
HandlerResult on_like(ActivityContext& ctx, const Activity& activity);
HandlerResult on_announce(ActivityContext& ctx, const Activity& activity);
// Accept / Reject of a Follow one of our accounts sent.
HandlerResult on_accept(ActivityContext& ctx, const Activity& activity);
HandlerResult on_reject(ActivityContext& ctx, const Activity& activity);
// Update of the sending actor's own profile (Note updates come with issue 4).
HandlerResult on_update(ActivityContext& ctx, const Activity& activity);
// Delete of the sending actor itself (post deletes come with issue 4).
HandlerResult on_delete(ActivityContext& ctx, const Activity& activity);

}  // namespace civicpub::federation::inbox
