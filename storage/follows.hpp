// Follow relations between actors (local or remote on either side).
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::storage::follows {

// Inserts the (follower, target) pair or, when it exists, sets its state, activity_uri and
// updated_at (a repeated Follow replaces the old one). Returns the row id. A missing actor ->
// Errc::constraint.
Result<std::int64_t> upsert(Connection& conn, const FollowRecord& follow);

Result<std::optional<FollowRecord>> find_by_pair(Connection& conn, std::int64_t follower_id,
                                                 std::int64_t target_id);
Result<std::optional<FollowRecord>> find_by_activity_uri(Connection& conn, std::string_view uri);

// Errc::not_found when there is no such follow.
Result<void> set_state(Connection& conn, std::int64_t id, FollowState state, Millis now);

// True when a row was removed; false when there was none (an Undo of an unknown Follow is
// harmless).
Result<bool> remove(Connection& conn, std::int64_t follower_id, std::int64_t target_id);

// Accepted followers of `target_id` (newest follow first), skipping deleted and suspended actors.
Result<std::vector<ActorRecord>> followers_page(Connection& conn, std::int64_t target_id,
                                                int limit, int offset);
// Follow requests waiting for the account's approval, oldest first.
Result<std::vector<ActorRecord>> pending_followers_page(Connection& conn, std::int64_t target_id,
                                                        int limit, int offset);
Result<std::int64_t> count_followers(Connection& conn, std::int64_t target_id);
// Actors `follower_id` follows with an accepted follow (newest first), not deleted or suspended.
Result<std::vector<ActorRecord>> following_page(Connection& conn, std::int64_t follower_id,
                                                int limit, int offset);
Result<std::int64_t> count_following(Connection& conn, std::int64_t follower_id);

// Where to deliver to the accepted remote followers of `target_id` (not the suspended): each follower's shared inbox
// when it has one, else its own inbox, without duplicates (one POST per shared inbox), sorted.
Result<std::vector<std::string>> follower_inboxes(Connection& conn, std::int64_t target_id);

}  // namespace civicpub::storage::follows
