// Moderation that travels (issue 12, point 4; INTEROP.md section 5): a group's moderators, local
// or on another server, remove a post or a whole thread, lock a thread, feature (pin) a thread
// and block an actor from the group. Each action is an activity in Lemmy's shape by the
// moderator (federation/as2/moderation.hpp: Delete with the reason as `summary`, Lock, Add and
// Remove with target <group>/featured, Block with target the group, Undo of Lock and Block),
// applied here and announced by the group to its members, embedded unchanged (FEP-1b12), as
// Lemmy's communities do. The members' servers drop a removed post (inbound/post_intake.hpp).
//
// apply_moderation is the one place that does it, inside a write transaction: for an activity
// that reached the group's inbox from a moderator (inbound/group_moderation_intake.hpp) and for
// `civicpub group remove|lock|unlock|feature|unfeature|block|unblock` (moderate()).
#pragma once

#include "server/services/accounts.hpp"
#include "storage/connection.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>

namespace civicpub::server::services {

enum class ModerationAction { remove, lock, unlock, feature, unfeature, block, unblock };

// "remove", "lock", ...
const char* action_name(ModerationAction action);

struct ModerationStep {
  ModerationAction action = ModerationAction::remove;
  std::string object;  // the post (remove, lock, feature; their reverse) or the actor (block)
  std::string reason;
  std::string activity_id;
  const rapidjson::Value* activity{};  // the moderator's activity, announced unchanged
};

struct ModerationDone {
  bool changed = false;    // false: it was so already (nothing announced)
  std::int64_t posts = 0;  // remove: the group's posts removed (a whole thread: all of them)
  std::size_t queued = 0;  // delivery rows queued
};

// Applies `step` to the local group and queues Announce{activity} to its members (removing a
// thread's top post also queues Undo of the group's Announce of the bare post, which Mastodon
// shows as a boost). Errors: ServiceError::not_in_group (a post the group did not announce),
// not_a_thread (lock or feature of a reply), unknown_actor (block of an actor not stored here).
Result<ModerationDone> apply_moderation(storage::Connection& conn,
                                        const storage::ActorRecord& group,
                                        const ModerationStep& step, storage::Millis now);

struct ModerationRequest {
  std::string group;  // the local group's name
  ModerationAction action = ModerationAction::remove;
  std::string target;  // a post id; block: an actor id or @user@host
  std::string reason;
  // The moderator acting (a local account: name or @name@domain); empty: the group's first
  // local moderator, or the group itself when it has none.
  std::string as;
  std::optional<storage::Millis> now;
};

struct ModerationOutcome {
  storage::ActorRecord group;
  storage::ActorRecord moderator;  // the activity's actor
  std::string activity_id;
  ModerationDone done;
};

// The CLI's entry: the moderator's activity is made (with its integrity proof), applied and
// announced in one transaction; a Block also goes to the blocked actor. Errors: those of
// apply_moderation, ServiceError::unknown_group, unknown_moderator (`as` is no moderator).
Result<ModerationOutcome> moderate(storage::Database& db, const AccountSettings& settings,
                                   const ModerationRequest& request);

}  // namespace civicpub::server::services
