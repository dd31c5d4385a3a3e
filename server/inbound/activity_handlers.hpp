// One handler per inbound activity type (GoToSocial's layout: one file each, on_<type>.cpp).
// Each runs in the federation::InboxWorker after the activity was verified and queued; each is idempotent,
// because peers redeliver and the worker may process an item again after a crash.
#pragma once

#include "federation/remote/actor_resolver.hpp"
#include "federation/as2/envelope.hpp"
#include "federation/clock.hpp"
#include "federation/remote/remote_posts.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

#include <rapidjson/document.h>
#include <spdlog/logger.h>
#include <boost/asio/awaitable.hpp>

#include <functional>

namespace civicpub::server::inbound {

// What the handlers may use; owned by the federation::InboxWorker.
struct ActivityContext {
  storage::Database& db;
  federation::ActorResolver& resolver;
  // Fetches, checks and stores remote posts (Create, Update, ancestors of replies).
  federation::RemotePosts& posts;
  federation::Clock clock;
  spdlog::logger& log;
  // Called after a federation::write queued deliveries (wakes the delivery worker); may be empty.
  std::function<void()> on_enqueued;
  // Queues the walk up a stored reply's missing parents off the worker's critical path
  // (federation::AncestorQueue); empty: the handler walks them itself (CLI, some tests).
  std::function<void(std::string)> fetch_ancestors_later = {};
};

// A verified, queued activity: the parsed document and its envelope (which points into it), and
// how the inbox authenticated it (storage::InboxAuth). With `unverified` (delivered by someone
// else than its actor, without a valid integrity proof) nothing embedded is believed: Create and
// Update take the object as refetched from its own id (and attributed to the actor), Delete
// applies only when the object's origin says it is gone.
struct Activity {
  const rapidjson::Value& json;
  const federation::as2::ActivityEnvelope& envelope;
  storage::InboxAuth auth = storage::InboxAuth::signature;

  bool unverified() const { return auth == storage::InboxAuth::unverified; }
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
// Flag (a report from another server) naming our accounts or posts: stored for the operator
// (`civicpub report list`); never forwarded.
HandlerResult on_flag(ActivityContext& ctx, const Activity& activity);
// Accept / Reject of a Follow one of our accounts sent.
HandlerResult on_accept(ActivityContext& ctx, const Activity& activity);
HandlerResult on_reject(ActivityContext& ctx, const Activity& activity);
// Create of a Note, Question, Article or Page (on_create.cpp; FEDERATION.md lists the rules):
// origin checks, a refetch of objects from another origin or given by id only, stored only when
// it concerns us, then the reply's missing parents fetched.
HandlerResult on_create(ActivityContext& ctx, const Activity& activity);
// Update of the sending actor's own profile, or of one of its posts (author only).
HandlerResult on_update(ActivityContext& ctx, const Activity& activity);
// Delete of the sending actor itself, or of one of its posts (author only; a tombstone is kept).
HandlerResult on_delete(ActivityContext& ctx, const Activity& activity);

}  // namespace civicpub::server::inbound
