// The threads started in a group as its page and feed list them (issue 12, point 6): each
// thread's top post with its reply count, last activity and the moderators' marks.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <vector>

namespace civicpub::storage::groups {

struct ThreadSummary {
  PostRecord root;
  std::int64_t replies = 0;  // the thread's other public and unlisted posts, not deleted
  Millis last_activity = 0;  // the newest `published` among the root and those posts
  bool featured = false;
  bool locked = false;
};

enum class ThreadOrder {
  page,    // featured first (most recently featured first), then by last activity, newest first
  newest,  // newest thread first (the Atom feed: a feed reader wants new entries)
};

// Threads the group announced whose top post is public or unlisted and neither removed from the
// group nor deleted (a suspended author's posts are deleted with a mark: they are left out too).
Result<std::vector<ThreadSummary>> thread_summaries(Connection& conn, std::int64_t group_id,
                                                    ThreadOrder order, std::int64_t limit,
                                                    std::int64_t offset);
// How many threads thread_summaries lists in all.
Result<std::int64_t> count_threads(Connection& conn, std::int64_t group_id);

}  // namespace civicpub::storage::groups
