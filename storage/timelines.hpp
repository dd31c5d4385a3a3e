// Pages of the Mastodon client API's timelines (issue 13). Positions are post row ids, which the
// client API uses as status ids: newer rows have larger ids. A post fetched late (backfill) gets
// a new id and so shows up as if it were new; Mastodon's own ids are time-based.
#pragma once

#include "storage/connection.hpp"
#include "storage/paging.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace civicpub::storage::timelines {

using TimelineQuery = PageQuery;

// Public posts, not deleted, by authors not deleted; newest first.
Result<std::vector<PostRecord>> public_timeline(Connection& conn, const TimelineQuery& query);

// Public posts with the hashtag `tag` (lowercase, without '#'), as public_timeline.
Result<std::vector<PostRecord>> tag_timeline(Connection& conn, std::string_view tag,
                                             const TimelineQuery& query);

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
