#include "storage/posts.hpp"

#include "storage/detail/json_array.hpp"
#include "storage/detail/post_row.hpp"
#include "storage/detail/query.hpp"
#include "storage/errors.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::posts {
namespace {

using detail::read_post_row;

constexpr const char* kInsert = R"sql(
INSERT INTO posts (ap_id, author_id, local, in_reply_to, thread_root, context, visibility,
  content_html, summary, sensitive, language, url, raw_json, published, updated, deleted_at,
  object_type, name)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
)sql";
constexpr const char* kFindByApId = "SELECT " CIVICPUB_POST_COLUMNS " FROM posts WHERE ap_id = ?1";
constexpr const char* kFindById = "SELECT " CIVICPUB_POST_COLUMNS " FROM posts WHERE id = ?1";
constexpr const char* kUpdateContent = R"sql(
UPDATE posts SET content_html = ?2, summary = ?3, sensitive = ?4, language = ?5, raw_json = ?6,
  updated = ?7, name = ?8
WHERE id = ?1 AND deleted_at IS NULL
)sql";
constexpr const char* kMarkDeleted = "UPDATE posts SET deleted_at = ?2 WHERE id = ?1";
constexpr const char* kListByAuthor =
    "SELECT " CIVICPUB_POST_COLUMNS
    " FROM posts "
    "WHERE author_id = ?1 AND deleted_at IS NULL "
    "AND (?2 = 0 OR visibility IN ('public', 'unlisted')) "
    "AND (?3 IS NULL OR published < ?3 OR (published = ?3 AND id < ?4)) "
    "ORDER BY published DESC, id DESC LIMIT ?5 OFFSET ?6";
constexpr const char* kCountByAuthor =
    "SELECT COUNT(*) FROM posts WHERE author_id = ?1 AND deleted_at IS NULL "
    "AND (?2 = 0 OR visibility IN ('public', 'unlisted'))";
// The partial indexes on in_reply_to and context (WHERE ... <> '') are used only when the query
// says `<> ''` itself: SQLite cannot know that a bound ?1 is not ''. Without it every reply count
// of a thread page scanned the whole posts table (docs/performance.md).
constexpr const char* kListReplies = "SELECT " CIVICPUB_POST_COLUMNS
                                     " FROM posts "
                                     "WHERE in_reply_to = ?1 AND in_reply_to <> '' "
                                     "AND deleted_at IS NULL "
                                     "AND (?2 = 0 OR visibility IN ('public', 'unlisted')) "
                                     "ORDER BY published, id LIMIT ?3 OFFSET ?4";
constexpr const char* kCountReplies =
    "SELECT COUNT(*) FROM posts WHERE in_reply_to = ?1 AND in_reply_to <> '' "
    "AND deleted_at IS NULL "
    "AND (?2 = 0 OR visibility IN ('public', 'unlisted'))";
// kCountReplies for every parent in ?1, a JSON array of URIs (detail/json_array.hpp): one
// search of posts_in_reply_to per parent, which again needs the `<> ''`.
constexpr const char* kCountRepliesEach =
    "SELECT in_reply_to, COUNT(*) FROM posts "
    "WHERE in_reply_to IN (SELECT value FROM json_each(?1)) AND in_reply_to <> '' "
    "AND deleted_at IS NULL "
    "AND (?2 = 0 OR visibility IN ('public', 'unlisted')) "
    "GROUP BY in_reply_to";
constexpr const char* kListByContext = "SELECT " CIVICPUB_POST_COLUMNS
                                       " FROM posts "
                                       "WHERE context = ?1 AND context <> '' "
                                       "AND deleted_at IS NULL "
                                       "AND (?2 = 0 OR visibility IN ('public', 'unlisted')) "
                                       "ORDER BY published, id LIMIT ?3 OFFSET ?4";
constexpr const char* kCountByContext =
    "SELECT COUNT(*) FROM posts WHERE context = ?1 AND context <> '' AND deleted_at IS NULL "
    "AND (?2 = 0 OR visibility IN ('public', 'unlisted'))";
// Walks inReplyTo upwards from ?1. The depth cap also ends a cycle (A replies to B replies to A).
constexpr const char* kAncestors =
    "WITH RECURSIVE chain(ap_id, parent, depth) AS ("
    "  SELECT ap_id, in_reply_to, 0 FROM posts WHERE ap_id = ?1"
    "  UNION ALL"
    "  SELECT p.ap_id, p.in_reply_to, c.depth + 1 FROM posts p JOIN chain c ON p.ap_id = c.parent"
    "  WHERE c.parent <> '' AND c.depth < ?2"
    ") SELECT " CIVICPUB_POST_COLUMNS
    ", chain.parent, chain.depth FROM posts"
    " JOIN chain USING (ap_id) WHERE chain.depth > 0 ORDER BY chain.depth DESC";
// Walks replies downwards from ?1, level by level, to depth ?2.
constexpr const char* kDescendants =
    "WITH RECURSIVE tree(ap_id, depth) AS ("
    "  SELECT ap_id, 0 FROM posts WHERE ap_id = ?1"
    "  UNION ALL"
    "  SELECT p.ap_id, t.depth + 1 FROM posts p JOIN tree t ON p.in_reply_to = t.ap_id"
    "  WHERE t.depth < ?2 AND p.in_reply_to <> ''"
    ") SELECT " CIVICPUB_POST_COLUMNS
    " FROM posts JOIN tree USING (ap_id)"
    " WHERE tree.depth > 0 ORDER BY posts.published, posts.id LIMIT ?3";
constexpr const char* kRelinkThreadRoot =
    "UPDATE posts SET thread_root = ?2, context = CASE WHEN context = '' THEN ?3 ELSE context END "
    "WHERE thread_root = ?1 AND thread_root <> '' AND (?1 <> ?2 OR (context = '' AND ?3 <> ''))";
constexpr const char* kCountLocal =
    "SELECT COUNT(*) FROM posts WHERE local = 1 AND deleted_at IS NULL";

#undef CIVICPUB_POST_COLUMNS

Result<std::optional<PostRecord>> fetch_post(Statement& s) {
  auto row = detail::fetch_one(s, read_post_row);
  if (!row) return row.error();
  if (!*row) return std::optional<PostRecord>();
  if (!**row) return make_error_code(Errc::corrupt);  // unknown visibility text
  return std::optional<PostRecord>(std::move(**row));
}

}  // namespace

Result<std::int64_t> insert(Connection& conn, const PostRecord& p) {
  auto s = Statement::prepare(conn, kInsert);
  if (!s) return s.error();
  s->bind(1, p.ap_id).bind(2, p.author_id).bind(3, p.local).bind(4, p.in_reply_to);
  s->bind(5, p.thread_root).bind(6, p.context).bind(7, to_string(p.visibility));
  s->bind(8, p.content_html).bind(9, p.summary).bind(10, p.sensitive).bind(11, p.language);
  s->bind(12, p.url).bind(13, p.raw_json).bind(14, p.published).bind(15, p.updated);
  s->bind(16, p.deleted_at).bind(17, p.object_type).bind(18, p.name);
  if (auto r = s->run(); !r) return r.error();
  return conn.last_insert_rowid();
}

Result<std::optional<PostRecord>> find_by_ap_id(Connection& conn, std::string_view ap_id) {
  auto s = Statement::prepare(conn, kFindByApId);
  if (!s) return s.error();
  s->bind(1, ap_id);
  return fetch_post(*s);
}

Result<std::optional<PostRecord>> find_by_id(Connection& conn, std::int64_t id) {
  auto s = Statement::prepare(conn, kFindById);
  if (!s) return s.error();
  s->bind(1, id);
  return fetch_post(*s);
}

Result<void> update_content(Connection& conn, const PostRecord& p, Millis updated_at) {
  auto s = Statement::prepare(conn, kUpdateContent);
  if (!s) return s.error();
  s->bind(1, p.id).bind(2, p.content_html).bind(3, p.summary).bind(4, p.sensitive);
  s->bind(5, p.language).bind(6, p.raw_json).bind(7, updated_at).bind(8, p.name);
  return detail::run_expect_change(conn, *s);
}

Result<void> mark_deleted(Connection& conn, std::int64_t id, Millis at) {
  auto s = Statement::prepare(conn, kMarkDeleted);
  if (!s) return s.error();
  s->bind(1, id).bind(2, at);
  return detail::run_expect_change(conn, *s);
}

Result<std::vector<PostRecord>> list_by_author(Connection& conn, const AuthorPageQuery& q) {
  auto s = Statement::prepare(conn, kListByAuthor);
  if (!s) return s.error();
  s->bind(1, q.author_id).bind(2, q.public_only);
  if (q.before) {
    s->bind(3, q.before->published).bind(4, q.before->id);
  } else {
    s->bind_null(3).bind_null(4);
  }
  s->bind(5, q.limit).bind(6, q.offset < 0 ? 0 : q.offset);
  auto rows = detail::fetch_all(*s, read_post_row);
  if (!rows) return rows.error();
  std::vector<PostRecord> out;
  out.reserve(rows->size());
  for (auto& row : *rows) {
    if (!row) return make_error_code(Errc::corrupt);
    out.push_back(std::move(*row));
  }
  return out;
}

Result<std::int64_t> count_by_author(Connection& conn, std::int64_t author_id, bool public_only) {
  auto s = Statement::prepare(conn, kCountByAuthor);
  if (!s) return s.error();
  s->bind(1, author_id).bind(2, public_only);
  return detail::fetch_int(*s);
}

namespace {

Result<std::vector<PostRecord>> all_posts(Statement& s) {
  auto rows = detail::fetch_all(s, read_post_row);
  if (!rows) return rows.error();
  std::vector<PostRecord> out;
  out.reserve(rows->size());
  for (auto& row : *rows) {
    if (!row) return make_error_code(Errc::corrupt);
    out.push_back(std::move(*row));
  }
  return out;
}

Result<std::vector<PostRecord>> list_where(Connection& conn, const char* sql, const ListQuery& q) {
  auto s = Statement::prepare(conn, sql);
  if (!s) return s.error();
  s->bind(1, q.key).bind(2, q.public_only).bind(3, q.limit).bind(4, q.offset < 0 ? 0 : q.offset);
  return all_posts(*s);
}

Result<std::int64_t> count_where(Connection& conn, const char* sql, std::string_view key,
                                 bool public_only) {
  auto s = Statement::prepare(conn, sql);
  if (!s) return s.error();
  s->bind(1, key).bind(2, public_only);
  return detail::fetch_int(*s);
}

}  // namespace

Result<std::vector<PostRecord>> list_replies(Connection& conn, const ListQuery& q) {
  return list_where(conn, kListReplies, q);
}

Result<std::int64_t> count_replies(Connection& conn, std::string_view parent_uri,
                                   bool public_only) {
  return count_where(conn, kCountReplies, parent_uri, public_only);
}

Result<std::unordered_map<std::string, std::int64_t>> count_replies_each(
    Connection& conn, std::span<const std::string> parent_uris, bool public_only) {
  std::unordered_map<std::string, std::int64_t> out;
  if (parent_uris.empty()) return out;
  auto s = Statement::prepare(conn, kCountRepliesEach);
  if (!s) return s.error();
  s->bind(1, detail::json_array(parent_uris)).bind(2, public_only);
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.emplace(s->column_text(0), s->column_int64(1));
  }
}

Result<std::vector<PostRecord>> list_by_context(Connection& conn, const ListQuery& q) {
  return list_where(conn, kListByContext, q);
}

Result<std::int64_t> count_by_context(Connection& conn, std::string_view context,
                                      bool public_only) {
  return count_where(conn, kCountByContext, context, public_only);
}

Result<Ancestors> ancestors(Connection& conn, std::string_view ap_id, int max_depth) {
  auto s = Statement::prepare(conn, kAncestors);
  if (!s) return s.error();
  s->bind(1, ap_id).bind(2, max_depth);
  Ancestors out;
  std::string top_parent;
  int top_depth = 0;
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) break;
    auto post = read_post_row(*s);
    if (!post) return make_error_code(Errc::corrupt);
    const int depth = static_cast<int>(s->column_int64(20));
    if (depth > top_depth) {
      top_depth = depth;
      top_parent = s->column_text(19);
    }
    out.chain.push_back(std::move(*post));
  }
  if (out.chain.empty()) {
    // No stored ancestor: the post's own parent (when the post itself is stored) is missing.
    auto self = find_by_ap_id(conn, ap_id);
    if (!self) return self.error();
    if (*self && !(*self)->in_reply_to.empty()) out.missing_parent = (*self)->in_reply_to;
    out.truncated = false;
    return out;
  }
  if (!top_parent.empty()) {
    if (top_depth >= max_depth) {
      out.truncated = true;
    } else {
      out.missing_parent = top_parent;
    }
  }
  return out;
}

Result<std::vector<PostRecord>> descendants(Connection& conn, std::string_view ap_id, int max_depth,
                                            int limit) {
  auto s = Statement::prepare(conn, kDescendants);
  if (!s) return s.error();
  s->bind(1, ap_id).bind(2, max_depth).bind(3, limit);
  return all_posts(*s);
}

Result<std::vector<std::string>> active_remote_threads(Connection& conn, Millis since, int limit) {
  auto s = Statement::prepare(
      conn,
      "SELECT (SELECT p2.ap_id FROM posts p2 WHERE p2.thread_root = p.thread_root "
      "ORDER BY p2.published DESC, p2.id DESC LIMIT 1) FROM posts p "
      "WHERE p.local = 0 AND p.thread_root <> '' AND p.published >= ?1 AND NOT EXISTS "
      "(SELECT 1 FROM posts r WHERE r.ap_id = p.thread_root AND r.local = 1) "
      "GROUP BY p.thread_root ORDER BY MAX(p.published) DESC LIMIT ?2");
  if (!s) return s.error();
  s->bind(1, since).bind(2, limit);
  return detail::fetch_all(*s, [](const Statement& row) { return row.column_text(0); });
}

Result<std::int64_t> relink_thread_root(Connection& conn, std::string_view old_root,
                                        std::string_view new_root, std::string_view context) {
  auto s = Statement::prepare(conn, kRelinkThreadRoot);
  if (!s) return s.error();
  s->bind(1, old_root).bind(2, new_root).bind(3, context);
  if (auto r = s->run(); !r) return r.error();
  return static_cast<std::int64_t>(conn.changes());
}

Result<std::int64_t> count_local(Connection& conn) {
  auto s = Statement::prepare(conn, kCountLocal);
  if (!s) return s.error();
  return detail::fetch_int(*s);
}

}  // namespace civicpub::storage::posts
