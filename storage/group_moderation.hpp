// What a group's moderators did (issue 12, point 4; migration 10): posts and threads removed from
// the group, threads locked or featured, actors blocked from posting. The group's settings,
// moderators and announced posts are in storage/groups.hpp.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::storage::groups {

struct ThreadMarks {
  bool locked = false;
  bool featured = false;
  bool removed = false;  // the thread's top post was removed from the group
};

// The marks of the group's thread whose top post is `thread_root` (all false for an unknown one).
Result<ThreadMarks> thread_marks(Connection& conn, std::int64_t group_id,
                                 std::string_view thread_root);

// Both return whether anything changed (false: it was so already).
Result<bool> set_locked(Connection& conn, std::int64_t group_id, std::string_view thread_root,
                        bool locked, Millis now);
Result<bool> set_featured(Connection& conn, std::int64_t group_id, std::string_view thread_root,
                          bool featured, Millis now);

// The featured threads' top posts, most recently featured first, without removed ones.
Result<std::vector<std::string>> featured(Connection& conn, std::int64_t group_id,
                                          std::int64_t limit, std::int64_t offset);
Result<std::int64_t> count_featured(Connection& conn, std::int64_t group_id);

// Marks the group's post `post_uri` removed, or, when it is the top post of one of the group's
// threads, every post of that thread the group announced. Returns how many rows changed.
Result<std::int64_t> remove_posts(Connection& conn, std::int64_t group_id,
                                  std::string_view post_uri, Millis now);

// Drops the stored post `uri` like a deleted one (deleted_at set, its id tombstoned) and, when
// it is a thread's top post, every stored post of that thread. Returns how many posts changed.
Result<std::int64_t> drop_post_or_thread(Connection& conn, std::string_view uri, Millis now);

// The same for the posts of other servers only: what a remote group's removal drops here. Our
// own accounts' posts stay (the group removed them from the group, not from their author's
// server), the replies other servers' people wrote in the thread go.
Result<std::int64_t> drop_remote_post_or_thread(Connection& conn, std::string_view uri, Millis now);

// Our own accounts' posts among them, when a moderator of the group they were posted to removed
// them (Lemmy marks a removed post `removed` on every instance, its author's included): hidden
// like moderated posts (deleted_at set, `moderated` = 1), still stored for their authors, no
// tombstone. Returns how many posts changed.
Result<std::int64_t> hide_local_post_or_thread(Connection& conn, std::string_view uri, Millis now);

// Idempotent; false when the actor was blocked already (or, unblock, was not).
Result<bool> block(Connection& conn, std::int64_t group_id, std::int64_t actor_id,
                   std::string_view reason, Millis now);
Result<bool> unblock(Connection& conn, std::int64_t group_id, std::int64_t actor_id);
Result<bool> is_blocked(Connection& conn, std::int64_t group_id, std::int64_t actor_id);

}  // namespace civicpub::storage::groups
