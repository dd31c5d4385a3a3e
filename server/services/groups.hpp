// Civic groups (issue 12; INTEROP.md section 5, FEP-1b12): creating, changing, listing and
// showing a group. A group is a local actor of type Group, made like any account (its handle is
// an account handle, WebFinger finds it, it has keys, an inbox and followers), plus its settings
// and moderators (storage/groups.hpp). Its members are its accepted followers; "approve members"
// is the actor's manually_approves_followers, so a Follow is held like a follow request
// (services/follow_requests.hpp answers it). Used by `civicpub group ...`.
#pragma once

#include "federation/as2/instance_info.hpp"
#include "server/services/accounts.hpp"
#include "storage/database.hpp"
#include "storage/groups.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace civicpub::server::services {

struct NewGroup {
  std::string name;          // the handle's user part: [a-z0-9_]{1,30}
  std::string display_name;  // empty: the name
  std::string summary;       // plain text
  // Local usernames (`alice`, `@alice`, `@alice@<our domain>`) or ids of actors stored already.
  std::vector<std::string> moderators;
  bool members_only = false;
  bool approve_members = false;
  bool posting_restricted_to_mods = false;
  bool sensitive = false;
  std::optional<storage::Millis> now;
};

// Unset fields stay as they are.
struct GroupChange {
  std::optional<std::string> display_name;
  std::optional<std::string> summary;
  std::vector<std::string> add_moderators;
  std::vector<std::string> remove_moderators;
  std::optional<bool> members_only;
  std::optional<bool> approve_members;
  std::optional<bool> posting_restricted_to_mods;
  std::optional<bool> sensitive;
  std::optional<storage::Millis> now;
};

struct GroupInfo {
  storage::ActorRecord actor;
  storage::groups::GroupSettings settings;
  std::vector<storage::ActorRecord> moderators;
  std::int64_t members = 0;  // accepted followers
  std::int64_t pending = 0;  // follows held for a moderator (first page only, up to 500)
  std::int64_t posts = 0;    // posts the group announced
};

// Errors: AccountError (invalid_username, username_taken), ServiceError::unknown_moderator,
// storage errors. The actor, its keys, its settings and its moderators commit together.
Result<GroupInfo> create_group(storage::Database& db, const AccountSettings& settings,
                               const NewGroup& group);

// Errors: ServiceError::unknown_group (no local group of that name, or a deleted one),
// ServiceError::unknown_moderator, storage errors.
Result<GroupInfo> update_group(storage::Database& db, const AccountSettings& settings,
                               const std::string& name, const GroupChange& change);

// Queues Update{the group's actor document} to its members' inboxes, so their servers show the
// new name, description and settings (`group update` calls it after update_group). Returns the
// delivery rows queued. ServiceError::unknown_group.
Result<std::size_t> send_group_update(storage::Database& db,
                                      const federation::as2::InstanceInfo& instance,
                                      const std::string& name, storage::Millis now);

// ServiceError::unknown_group when `name` is no live local group.
Result<GroupInfo> get_group(storage::Database& db, const std::string& name);
Result<std::vector<GroupInfo>> list_groups(storage::Database& db);

struct GroupMembers {
  storage::ActorRecord group;
  std::vector<storage::ActorRecord> members;  // accepted follows, newest first (up to 500)
  std::vector<storage::ActorRecord> pending;  // held follows, oldest first (up to 500)
};

// ServiceError::unknown_group.
Result<GroupMembers> group_members(storage::Database& db, const std::string& name);

enum class MemberAnswer { approve, reject };

// Approves a held follow (Accept queued), or rejects a held follow or removes a member (Reject
// queued: Mastodon and Lemmy drop a follow that is rejected after it was accepted). `who` is an
// actor id or @user@host of a member or a pending follower. Returns that actor.
// Errors: ServiceError::unknown_group; ServiceError::not_following when `who` is neither a
// member nor pending (approve: not pending).
Result<storage::ActorRecord> answer_member(storage::Database& db, const std::string& name,
                                           const std::string& who, MemberAnswer answer,
                                           storage::Millis now);

// The live local group `name` inside an open transaction. ServiceError::unknown_group.
Result<storage::ActorRecord> find_live_group(storage::Connection& conn, const std::string& name);

// Reads a group's info inside an open transaction or read (for callers that hold a connection).
// An empty optional when `actor` has no group row.
Result<std::optional<GroupInfo>> group_info(storage::Connection& conn,
                                            const storage::ActorRecord& actor);

}  // namespace civicpub::server::services
