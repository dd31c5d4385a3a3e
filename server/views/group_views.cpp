#include "server/views/group_views.hpp"

#include "server/views/error.hpp"
#include "storage/actors.hpp"
#include "storage/follows.hpp"
#include "storage/group_moderation.hpp"
#include "storage/groups.hpp"
#include "storage/posts.hpp"

#include <cstdint>
#include <vector>

namespace civicpub::server::views {
namespace {

using storage::Connection;

// The live local group `username`.
Result<storage::ActorRecord> live_group(Connection& conn, std::string_view username) {
  auto found = storage::actors::find_local_by_username(conn, username);
  if (!found) return found.error();
  if (!*found || (*found)->type != "Group") return ViewError::not_found;
  if ((*found)->deleted_at) return ViewError::gone;
  return std::move(**found);
}

Result<void> add_entries(Connection& conn, GroupPageData& out, storage::groups::ThreadOrder order,
                         std::uint64_t page, std::uint64_t page_size) {
  const std::uint64_t offset = (page - 1) * page_size;
  if (page == 0 || offset >= static_cast<std::uint64_t>(out.threads)) return {};
  auto rows = storage::groups::thread_summaries(conn, out.group.id, order,
                                                static_cast<std::int64_t>(page_size),
                                                static_cast<std::int64_t>(offset));
  if (!rows) return rows.error();
  // One query for the page's authors, not one per thread (issue 15).
  std::vector<std::int64_t> author_ids;
  author_ids.reserve(rows->size());
  for (const auto& row : *rows) author_ids.push_back(row.root.author_id);
  auto authors = storage::actors::find_by_ids(conn, author_ids);
  if (!authors) return authors.error();
  for (auto& row : *rows) {
    const auto author = authors->find(row.root.author_id);
    if (author == authors->end()) continue;
    out.entries.push_back({std::move(row), author->second});
  }
  out.has_older = offset + rows->size() < static_cast<std::uint64_t>(out.threads);
  return {};
}

}  // namespace

Result<GroupPageData> group_page(storage::Database& db, std::string_view username,
                                 storage::groups::ThreadOrder order, std::uint64_t page,
                                 std::uint64_t page_size) {
  return db.read([&](Connection& conn) -> Result<GroupPageData> {
    auto group = live_group(conn, username);
    if (!group) return group.error();
    GroupPageData out;
    out.group = std::move(*group);
    auto moderators = storage::groups::moderators(conn, out.group.id);
    if (!moderators) return moderators.error();
    out.moderators = std::move(*moderators);
    auto members = storage::follows::count_followers(conn, out.group.id);
    if (!members) return members.error();
    out.members = *members;
    auto threads = storage::groups::count_threads(conn, out.group.id);
    if (!threads) return threads.error();
    out.threads = *threads;
    if (auto r = add_entries(conn, out, order, page, page_size); !r) return r.error();
    return out;
  });
}

Result<bool> is_group(storage::Database& db, std::string_view username) {
  auto found = db.read(
      [&](Connection& conn) { return storage::actors::find_local_by_username(conn, username); });
  if (!found) return Result<bool>(boost::system::in_place_error, found.error());
  if (!*found) return Result<bool>(boost::system::in_place_error, ViewError::not_found);
  return (*found)->type == "Group" && !(*found)->deleted_at;
}

Result<GroupThreadData> group_thread(storage::Database& db, std::string_view username,
                                     std::string_view key) {
  GroupThreadData out;
  std::string root;
  auto head = db.read([&](Connection& conn) -> Result<void> {
    auto group = live_group(conn, username);
    if (!group) return group.error();
    out.group = std::move(*group);
    out.context = out.group.uri + "/context/" + std::string(key);
    storage::posts::ListQuery query;
    query.key = out.context;
    query.limit = 1;
    auto first = storage::posts::list_by_context(conn, query);
    if (!first) return first.error();
    if (first->empty()) return ViewError::not_found;
    root = first->front().thread_root.empty() ? first->front().ap_id : first->front().thread_root;
    auto marks = storage::groups::thread_marks(conn, out.group.id, root);
    if (!marks) return marks.error();
    if (marks->removed) return ViewError::not_found;
    out.locked = marks->locked;
    return {};
  });
  if (!head) return head.error();
  ThreadOptions options;
  options.public_only = true;
  options.from_top = true;
  auto thread = thread_by_reference(db, root, options);
  if (!thread) return thread.error();
  out.thread = std::move(*thread);
  return out;
}

}  // namespace civicpub::server::views
