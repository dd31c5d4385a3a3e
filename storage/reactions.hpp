// Likes and Announces of posts, counted per post; Undo removes them by the activity's id.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <span>
#include <string_view>
#include <unordered_map>

namespace civicpub::storage::reactions {

// Idempotent: the same activity again, or a second Like of the same post by the same actor, keeps
// the first row. Returns whether a row was added.
Result<bool> add(Connection& conn, const ReactionRecord& reaction);

// Removes the reaction made by `activity_uri` when `actor_id` made it (an Undo names the
// original activity; only its actor may undo it). Returns whether a row went.
Result<bool> remove_by_activity(Connection& conn, std::string_view activity_uri,
                                std::int64_t actor_id);
// Removes `actor_id`'s reaction of this kind on the post (an Undo whose embedded activity has
// an id we never saw, matched like Mastodon on actor and object). Returns whether a row went.
Result<bool> remove(Connection& conn, ReactionKind kind, std::int64_t actor_id,
                    std::int64_t post_id);

Result<std::int64_t> count(Connection& conn, std::int64_t post_id, ReactionKind kind);

struct Counts {
  std::int64_t likes = 0;
  std::int64_t shares = 0;  // announces
};
// count of both kinds for a set of posts in one query (a page's posts): post id -> counts, the
// posts without any reaction absent. Repeated ids are fine; none -> no query.
Result<std::unordered_map<std::int64_t, Counts>> count_each(Connection& conn,
                                                             std::span<const std::int64_t> post_ids);

}  // namespace civicpub::storage::reactions
