// Civic groups (issue 12, FEP-1b12): a group is a local actor of type Group (storage/actors.hpp
// holds its handle, keys and collections); these are its settings, its moderators and the posts
// it announced to its members. Membership is a follow of the group (storage/follows.hpp).
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::storage::groups {

struct GroupSettings {
  std::int64_t actor_id = 0;
  bool members_only = false;                // only members may post
  bool posting_restricted_to_mods = false;  // only moderators start threads (Lemmy's flag)
  bool sensitive = false;                   // its posts are marked sensitive (Lemmy's nsfw)
  Millis created_at = 0;
  Millis updated_at = 0;
};

// A post the group announced: the Announce of the activity that brought it, as sent.
struct GroupPost {
  std::int64_t id = 0;
  std::int64_t group_id = 0;
  std::string post_uri;
  std::string thread_root;   // the thread's top post (the post itself for a thread root)
  std::string activity_uri;  // the announced activity (a Create)
  std::string announce_uri;  // our Announce's id
  std::string announce_json;
  Millis created_at = 0;
};

// Errc::conflict when the actor has a group row already.
Result<void> insert(Connection& conn, const GroupSettings& settings);
Result<std::optional<GroupSettings>> find(Connection& conn, std::int64_t actor_id);
// Updates the three flags and updated_at. Errc::not_found when there is no such group.
Result<void> update(Connection& conn, const GroupSettings& settings);
// Group actors (local, not deleted), oldest first.
Result<std::vector<ActorRecord>> list(Connection& conn);

// Idempotent.
Result<void> add_moderator(Connection& conn, std::int64_t group_id, std::int64_t actor_id,
                           Millis now);
// False when the actor was no moderator.
Result<bool> remove_moderator(Connection& conn, std::int64_t group_id, std::int64_t actor_id);
// Deleted and suspended moderators are left out.
Result<std::vector<ActorRecord>> moderators(Connection& conn, std::int64_t group_id);
Result<bool> is_moderator(Connection& conn, std::int64_t group_id, std::int64_t actor_id);

// False when the group had announced this post already (nothing written).
Result<bool> add_post(Connection& conn, const GroupPost& post);
// The group (actor id) whose thread `thread_root` is: the first group that announced a post of it.
Result<std::optional<std::int64_t>> group_of_thread(Connection& conn, std::string_view thread_root);
// The group that announced `post_uri`, if any (the post's `audience`).
Result<std::optional<std::int64_t>> group_of_post(Connection& conn, std::string_view post_uri);
// The group's announced post `post_uri` (removed or not).
Result<std::optional<GroupPost>> find_post(Connection& conn, std::int64_t group_id,
                                           std::string_view post_uri);
// The group's Announces, newest first (its outbox), without removed posts.
Result<std::vector<GroupPost>> posts_page(Connection& conn, std::int64_t group_id,
                                          std::int64_t limit, std::int64_t offset);
// Posts announced and not removed.
Result<std::int64_t> count_posts(Connection& conn, std::int64_t group_id);

}  // namespace civicpub::storage::groups
