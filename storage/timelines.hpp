// Pages of the Mastodon client API's timelines (issue 13). Positions are post row ids, which the
// client API uses as status ids: newer rows have larger ids. A post fetched late (backfill) gets
// a new id and so shows up as if it were new; Mastodon's own ids are time-based.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace civicpub::storage::timelines {

struct TimelineQuery {
  int limit = 20;
  std::optional<std::int64_t> max_id;    // only ids below this
  std::optional<std::int64_t> since_id;  // only ids above this (the newest page above it)
  std::optional<std::int64_t> min_id;    // only ids above this (the page just above it)
  bool local_only = false;
  bool remote_only = false;
};

// Public posts, not deleted, by authors not deleted; newest first.
Result<std::vector<PostRecord>> public_timeline(Connection& conn, const TimelineQuery& query);

// The posts of `viewer_id` (any visibility) and the public, unlisted and followers-only posts of
// the actors it follows (accepted follows); not deleted; newest first.
Result<std::vector<PostRecord>> home_timeline(Connection& conn, std::int64_t viewer_id,
                                              const TimelineQuery& query);

// The posts of `author_id`, not deleted, newest first: all of them when `viewer_id` is the
// author, public, unlisted and followers-only ones for an accepted follower, public and unlisted
// ones for anybody else (`viewer_id` 0: anonymous).
Result<std::vector<PostRecord>> account_statuses(Connection& conn, std::int64_t author_id,
                                                 std::int64_t viewer_id,
                                                 const TimelineQuery& query);

}  // namespace civicpub::storage::timelines
