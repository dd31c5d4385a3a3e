// Read-side queries behind the actor document and the profile page.
#pragma once

#include "federation/as2/actor.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace civicpub::server::views {

// The local actor named `username` (case-insensitive), deleted ones included: the caller answers
// 410 with a Tombstone dated `deleted_at` for those. ViewError::not_found when there is none.
Result<storage::ActorRecord> get_local_actor(storage::Database& db, std::string_view username);

// The Multikey ("z6Mk...") the actor document publishes under assertionMethod; empty when the
// actor has no Ed25519 key yet (the server makes the keys at start-up).
Result<std::string> assertion_key(storage::Database& db, std::int64_t actor_id);

// What a Group actor document carries besides an account's fields (moderators collection,
// featured, Lemmy's flags); empty for an actor that is no group.
Result<std::optional<federation::as2::GroupActorExtras>> group_extras(
    storage::Database& db, const storage::ActorRecord& actor);

struct ProfileData {
  storage::ActorRecord actor;
  std::int64_t posts = 0;  // public and unlisted posts
  std::int64_t followers = 0;
  std::int64_t following = 0;
  std::vector<storage::PostRecord> recent;  // this page of public and unlisted posts, newest first
  // recent[i]'s direct public and unlisted replies, counted as the post's own page counts them.
  std::vector<std::int64_t> reply_counts;
  std::uint64_t page = 1;
  bool has_older = false;
};

// What the profile page of a live local account shows on `page` (1-based, `page_size` posts a
// page). ViewError::not_found, ViewError::gone for a deleted account.
Result<ProfileData> profile(storage::Database& db, std::string_view username, std::uint64_t page,
                            std::uint64_t page_size);

}  // namespace civicpub::server::views
