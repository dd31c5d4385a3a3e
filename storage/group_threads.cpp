#include "storage/group_threads.hpp"

#include "storage/detail/post_row.hpp"
#include "storage/detail/query.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::groups {
namespace {

// clang-format off
#define CIVICPUB_GROUP_THREADS_FROM                                                          \
  " FROM group_posts g JOIN posts p ON p.ap_id = g.post_uri "                               \
  "LEFT JOIN group_threads t ON t.group_id = g.group_id AND t.thread_root = g.post_uri "    \
  "WHERE g.group_id = ?1 AND g.post_uri = g.thread_root AND g.removed_at IS NULL "          \
  "AND p.deleted_at IS NULL AND p.visibility IN ('public', 'unlisted') "

// The columns of CIVICPUB_POST_COLUMNS, qualified (group_posts has an id too), then the counts.
// The replies are the thread's posts other than its top, found by the partial index
// posts_thread_root, which SQLite uses only because the query repeats `thread_root <> ''`.
#define CIVICPUB_GROUP_THREADS_SELECT                                                        \
  "SELECT p.id, p.ap_id, p.author_id, p.local, p.in_reply_to, p.thread_root, p.context, "    \
  "p.visibility, p.content_html, p.summary, p.sensitive, p.language, p.url, p.raw_json, "      \
  "p.published, p.updated, p.deleted_at, p.object_type, p.name, "                              \
  "(SELECT COUNT(*) FROM posts r WHERE r.thread_root = p.ap_id AND r.thread_root <> '' "   \
  "AND r.id <> p.id "                                                                         \
  "AND r.deleted_at IS NULL AND r.visibility IN ('public', 'unlisted')), "                   \
  "COALESCE((SELECT MAX(r.published) FROM posts r WHERE r.thread_root = p.ap_id "           \
  "AND r.thread_root <> '' "                                                                  \
  "AND r.deleted_at IS NULL AND r.visibility IN ('public', 'unlisted')), p.published) "      \
  "AS last_activity, t.featured_at IS NOT NULL, t.locked_at IS NOT NULL"
// clang-format on

constexpr const char* kPageOrder = CIVICPUB_GROUP_THREADS_SELECT CIVICPUB_GROUP_THREADS_FROM
    "ORDER BY t.featured_at IS NULL, t.featured_at DESC, last_activity DESC, g.id DESC "
    "LIMIT ?2 OFFSET ?3";
constexpr const char* kNewestOrder = CIVICPUB_GROUP_THREADS_SELECT CIVICPUB_GROUP_THREADS_FROM
    "ORDER BY g.id DESC LIMIT ?2 OFFSET ?3";
constexpr const char* kCount = "SELECT COUNT(*)" CIVICPUB_GROUP_THREADS_FROM;

#undef CIVICPUB_GROUP_THREADS_FROM
#undef CIVICPUB_GROUP_THREADS_SELECT

constexpr int kColumns = 19;  // CIVICPUB_POST_COLUMNS

std::optional<ThreadSummary> read_summary(const Statement& s) {
  auto root = detail::read_post_row(s);
  if (!root) return std::nullopt;
  ThreadSummary out;
  out.root = std::move(*root);
  out.replies = s.column_int64(kColumns);
  out.last_activity = s.column_int64(kColumns + 1);
  out.featured = s.column_bool(kColumns + 2);
  out.locked = s.column_bool(kColumns + 3);
  return out;
}

}  // namespace

Result<std::vector<ThreadSummary>> thread_summaries(Connection& conn, std::int64_t group_id,
                                                    ThreadOrder order, std::int64_t limit,
                                                    std::int64_t offset) {
  auto s = Statement::prepare(conn, order == ThreadOrder::page ? kPageOrder : kNewestOrder);
  if (!s) return detail::fail<std::vector<ThreadSummary>>(s.error());
  s->bind(1, group_id).bind(2, limit).bind(3, offset);
  auto rows = detail::fetch_all(*s, read_summary);
  if (!rows) return detail::fail<std::vector<ThreadSummary>>(rows.error());
  std::vector<ThreadSummary> out;
  for (auto& row : *rows) {
    if (row) out.push_back(std::move(*row));  // a corrupt visibility: left out
  }
  return out;
}

Result<std::int64_t> count_threads(Connection& conn, std::int64_t group_id) {
  auto s = Statement::prepare(conn, kCount);
  if (!s) return detail::fail<std::int64_t>(s.error());
  s->bind(1, group_id);
  return detail::fetch_int(*s);
}

}  // namespace civicpub::storage::groups
