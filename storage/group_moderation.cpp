#include "storage/group_moderation.hpp"

#include "storage/detail/query.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::groups {
namespace {

constexpr const char* kThreadMarks =
    "SELECT COALESCE((SELECT locked_at IS NOT NULL FROM group_threads "
    "WHERE group_id = ?1 AND thread_root = ?2), 0), "
    "COALESCE((SELECT featured_at IS NOT NULL FROM group_threads "
    "WHERE group_id = ?1 AND thread_root = ?2), 0), "
    "EXISTS (SELECT 1 FROM group_posts WHERE group_id = ?1 AND post_uri = ?2 "
    "AND removed_at IS NOT NULL)";
constexpr const char* kEnsureThread =
    "INSERT INTO group_threads (group_id, thread_root) VALUES (?1, ?2) ON CONFLICT DO NOTHING";
constexpr const char* kLock =
    "UPDATE group_threads SET locked_at = ?3 WHERE group_id = ?1 AND thread_root = ?2 "
    "AND locked_at IS NULL";
constexpr const char* kUnlock =
    "UPDATE group_threads SET locked_at = NULL WHERE group_id = ?1 AND thread_root = ?2 "
    "AND locked_at IS NOT NULL";
constexpr const char* kFeature =
    "UPDATE group_threads SET featured_at = ?3 WHERE group_id = ?1 AND thread_root = ?2 "
    "AND featured_at IS NULL";
constexpr const char* kUnfeature =
    "UPDATE group_threads SET featured_at = NULL WHERE group_id = ?1 AND thread_root = ?2 "
    "AND featured_at IS NOT NULL";
constexpr const char* kFeaturedWhere =
    " FROM group_threads t WHERE t.group_id = ?1 AND t.featured_at IS NOT NULL "
    "AND NOT EXISTS (SELECT 1 FROM group_posts p WHERE p.group_id = t.group_id "
    "AND p.post_uri = t.thread_root AND p.removed_at IS NOT NULL)";
constexpr const char* kRemove =
    "UPDATE group_posts SET removed_at = ?3 WHERE group_id = ?1 AND removed_at IS NULL "
    "AND (post_uri = ?2 OR thread_root = ?2)";
// The root by its id, the rest by the partial index on thread_root (which SQLite uses only when
// the query repeats `thread_root <> ''`); an OR of the two scanned every post.
#define CIVICPUB_THREAD_POSTS                                              \
  "SELECT id FROM posts WHERE ap_id = ?1 UNION SELECT id FROM posts "     \
  "WHERE thread_root = ?1 AND thread_root <> ''"
constexpr const char* kTombstoneThread =
    "INSERT INTO tombstones (uri, deleted_at) SELECT ap_id, ?2 FROM posts "
    "WHERE id IN (" CIVICPUB_THREAD_POSTS ") ON CONFLICT (uri) DO NOTHING";
constexpr const char* kDropThread =
    "UPDATE posts SET deleted_at = ?2 WHERE deleted_at IS NULL AND id IN (" CIVICPUB_THREAD_POSTS
    ")";
constexpr const char* kTombstoneRemoteThread =
    "INSERT INTO tombstones (uri, deleted_at) SELECT ap_id, ?2 FROM posts "
    "WHERE local = 0 AND id IN (" CIVICPUB_THREAD_POSTS ") ON CONFLICT (uri) DO NOTHING";
constexpr const char* kDropRemoteThread =
    "UPDATE posts SET deleted_at = ?2 WHERE deleted_at IS NULL AND local = 0 "
    "AND id IN (" CIVICPUB_THREAD_POSTS ")";
// Local posts stay stored for their authors, hidden like moderated ones (moderation.cpp): no
// tombstone, which is for other servers' ids.
constexpr const char* kHideLocalThread =
    "UPDATE posts SET deleted_at = ?2, moderated = 1 WHERE deleted_at IS NULL AND local = 1 "
    "AND id IN (" CIVICPUB_THREAD_POSTS ")";
#undef CIVICPUB_THREAD_POSTS
constexpr const char* kBlock =
    "INSERT INTO group_blocks (group_id, actor_id, reason, created_at) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT DO NOTHING";
constexpr const char* kUnblock = "DELETE FROM group_blocks WHERE group_id = ?1 AND actor_id = ?2";
constexpr const char* kIsBlocked =
    "SELECT EXISTS (SELECT 1 FROM group_blocks WHERE group_id = ?1 AND actor_id = ?2)";

// Runs a statement bound to (group, thread[, now]) and says whether it changed a row.
Result<bool> changed(Connection& conn, const char* sql, std::int64_t group_id,
                     std::string_view thread_root, std::optional<Millis> now = {}) {
  auto s = Statement::prepare(conn, sql);
  if (!s) return detail::fail<bool>(s.error());
  s->bind(1, group_id).bind(2, thread_root);
  if (now) s->bind(3, *now);
  if (auto r = s->run(); !r) return detail::fail<bool>(r.error());
  return conn.changes() > 0;
}

Result<bool> set_mark(Connection& conn, std::int64_t group_id, std::string_view thread_root,
                      const char* set_sql, const char* clear_sql, bool on, Millis now) {
  if (on) {
    auto ensured = changed(conn, kEnsureThread, group_id, thread_root);
    if (!ensured) return ensured;
    return changed(conn, set_sql, group_id, thread_root, now);
  }
  return changed(conn, clear_sql, group_id, thread_root);
}

// Tombstones, then marks deleted, the post `uri` and its thread (bound as ?1 uri, ?2 now).
Result<std::int64_t> drop_thread(Connection& conn, const char* tombstone_sql, const char* drop_sql,
                                 std::string_view uri, Millis now) {
  auto tomb = Statement::prepare(conn, tombstone_sql);
  if (!tomb) return detail::fail<std::int64_t>(tomb.error());
  tomb->bind(1, uri).bind(2, now);
  if (auto r = tomb->run(); !r) return detail::fail<std::int64_t>(r.error());
  auto s = Statement::prepare(conn, drop_sql);
  if (!s) return detail::fail<std::int64_t>(s.error());
  s->bind(1, uri).bind(2, now);
  if (auto r = s->run(); !r) return detail::fail<std::int64_t>(r.error());
  return static_cast<std::int64_t>(conn.changes());
}

}  // namespace

Result<ThreadMarks> thread_marks(Connection& conn, std::int64_t group_id,
                                 std::string_view thread_root) {
  auto s = Statement::prepare(conn, kThreadMarks);
  if (!s) return detail::fail<ThreadMarks>(s.error());
  s->bind(1, group_id).bind(2, thread_root);
  auto row = s->step();
  if (!row) return detail::fail<ThreadMarks>(row.error());
  if (!*row) return ThreadMarks{};
  return ThreadMarks{s->column_bool(0), s->column_bool(1), s->column_bool(2)};
}

Result<bool> set_locked(Connection& conn, std::int64_t group_id, std::string_view thread_root,
                        bool locked, Millis now) {
  return set_mark(conn, group_id, thread_root, kLock, kUnlock, locked, now);
}

Result<bool> set_featured(Connection& conn, std::int64_t group_id, std::string_view thread_root,
                          bool featured, Millis now) {
  return set_mark(conn, group_id, thread_root, kFeature, kUnfeature, featured, now);
}

Result<std::vector<std::string>> featured(Connection& conn, std::int64_t group_id,
                                          std::int64_t limit, std::int64_t offset) {
  const std::string sql = std::string("SELECT t.thread_root") + kFeaturedWhere +
                          " ORDER BY t.featured_at DESC, t.thread_root LIMIT ?2 OFFSET ?3";
  auto s = Statement::prepare(conn, sql.c_str());
  if (!s) return detail::fail<std::vector<std::string>>(s.error());
  s->bind(1, group_id).bind(2, limit).bind(3, offset);
  return detail::fetch_all(*s, [](const Statement& st) { return st.column_text(0); });
}

Result<std::int64_t> count_featured(Connection& conn, std::int64_t group_id) {
  const std::string sql = std::string("SELECT COUNT(*)") + kFeaturedWhere;
  auto s = Statement::prepare(conn, sql.c_str());
  if (!s) return detail::fail<std::int64_t>(s.error());
  s->bind(1, group_id);
  return detail::fetch_int(*s);
}

Result<std::int64_t> remove_posts(Connection& conn, std::int64_t group_id,
                                  std::string_view post_uri, Millis now) {
  auto s = Statement::prepare(conn, kRemove);
  if (!s) return detail::fail<std::int64_t>(s.error());
  s->bind(1, group_id).bind(2, post_uri).bind(3, now);
  if (auto r = s->run(); !r) return detail::fail<std::int64_t>(r.error());
  return static_cast<std::int64_t>(conn.changes());
}

Result<std::int64_t> drop_post_or_thread(Connection& conn, std::string_view uri, Millis now) {
  return drop_thread(conn, kTombstoneThread, kDropThread, uri, now);
}

Result<std::int64_t> drop_remote_post_or_thread(Connection& conn, std::string_view uri,
                                                Millis now) {
  return drop_thread(conn, kTombstoneRemoteThread, kDropRemoteThread, uri, now);
}

Result<std::int64_t> hide_local_post_or_thread(Connection& conn, std::string_view uri, Millis now) {
  auto s = Statement::prepare(conn, kHideLocalThread);
  if (!s) return detail::fail<std::int64_t>(s.error());
  s->bind(1, uri).bind(2, now);
  if (auto r = s->run(); !r) return detail::fail<std::int64_t>(r.error());
  return static_cast<std::int64_t>(conn.changes());
}

Result<bool> block(Connection& conn, std::int64_t group_id, std::int64_t actor_id,
                   std::string_view reason, Millis now) {
  auto s = Statement::prepare(conn, kBlock);
  if (!s) return detail::fail<bool>(s.error());
  s->bind(1, group_id).bind(2, actor_id).bind(3, reason).bind(4, now);
  if (auto r = s->run(); !r) return detail::fail<bool>(r.error());
  return conn.changes() > 0;
}

Result<bool> unblock(Connection& conn, std::int64_t group_id, std::int64_t actor_id) {
  auto s = Statement::prepare(conn, kUnblock);
  if (!s) return detail::fail<bool>(s.error());
  s->bind(1, group_id).bind(2, actor_id);
  if (auto r = s->run(); !r) return detail::fail<bool>(r.error());
  return conn.changes() > 0;
}

Result<bool> is_blocked(Connection& conn, std::int64_t group_id, std::int64_t actor_id) {
  auto s = Statement::prepare(conn, kIsBlocked);
  if (!s) return detail::fail<bool>(s.error());
  s->bind(1, group_id).bind(2, actor_id);
  auto n = detail::fetch_int(*s);
  if (!n) return detail::fail<bool>(n.error());
  return *n != 0;
}

}  // namespace civicpub::storage::groups
