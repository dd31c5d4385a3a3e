// Read-side queries behind a group's HTML page, its thread pages and their Atom feeds (issue 12,
// point 6).
#pragma once

#include "server/views/thread_views.hpp"
#include "storage/database.hpp"
#include "storage/group_threads.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace civicpub::server::views {

struct GroupThreadEntry {
  storage::groups::ThreadSummary summary;
  storage::ActorRecord author;  // the top post's author
};

struct GroupPageData {
  storage::ActorRecord group;
  std::vector<storage::ActorRecord> moderators;
  std::int64_t members = 0;  // accepted follows of the group
  std::int64_t threads = 0;
  std::vector<GroupThreadEntry> entries;  // this page of threads (storage ThreadOrder)
  bool has_older = false;
};

// The live local group `username` and `page` (1-based, `page_size` threads a page) of its
// threads in `order`. ViewError::not_found for an actor that is no group, gone for a deleted one.
Result<GroupPageData> group_page(storage::Database& db, std::string_view username,
                                 storage::groups::ThreadOrder order, std::uint64_t page,
                                 std::uint64_t page_size);

// Whether the live local actor `username` is a group (the profile routes ask before choosing
// the group page). ViewError::not_found when there is no such actor.
Result<bool> is_group(storage::Database& db, std::string_view username);

struct GroupThreadData {
  storage::ActorRecord group;
  std::string context;  // the thread's context collection: the thread page's own URL
  bool locked = false;
  Thread thread;  // from the top, as an anonymous reader sees it
};

// The thread of the group `username` whose context key is `key` (the last segment of
// views::group_context_url). ViewError::not_found when the group has no such thread or it was
// removed from the group, gone for a deleted group.
Result<GroupThreadData> group_thread(storage::Database& db, std::string_view username,
                                     std::string_view key);

}  // namespace civicpub::server::views
