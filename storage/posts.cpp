#include "storage/posts.hpp"

#include "storage/detail/query.hpp"
#include "storage/errors.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::posts {
namespace {

#define CIVICPUB_POST_COLUMNS                                                                    \
  "id, ap_id, author_id, local, in_reply_to, thread_root, context, visibility, content_html, " \
  "summary, sensitive, language, url, raw_json, published, updated, deleted_at"

constexpr const char* kInsert = R"sql(
INSERT INTO posts (ap_id, author_id, local, in_reply_to, thread_root, context, visibility,
  content_html, summary, sensitive, language, url, raw_json, published, updated, deleted_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
)sql";
constexpr const char* kFindByApId = "SELECT " CIVICPUB_POST_COLUMNS " FROM posts WHERE ap_id = ?1";
constexpr const char* kFindById = "SELECT " CIVICPUB_POST_COLUMNS " FROM posts WHERE id = ?1";
constexpr const char* kUpdateContent = R"sql(
UPDATE posts SET content_html = ?2, summary = ?3, sensitive = ?4, language = ?5, raw_json = ?6,
  updated = ?7
WHERE id = ?1 AND deleted_at IS NULL
)sql";
constexpr const char* kMarkDeleted = "UPDATE posts SET deleted_at = ?2 WHERE id = ?1";
constexpr const char* kListByAuthor =
    "SELECT " CIVICPUB_POST_COLUMNS " FROM posts "
    "WHERE author_id = ?1 AND deleted_at IS NULL "
    "AND (?2 = 0 OR visibility IN ('public', 'unlisted')) "
    "AND (?3 IS NULL OR published < ?3 OR (published = ?3 AND id < ?4)) "
    "ORDER BY published DESC, id DESC LIMIT ?5 OFFSET ?6";
constexpr const char* kCountByAuthor =
    "SELECT COUNT(*) FROM posts WHERE author_id = ?1 AND deleted_at IS NULL "
    "AND (?2 = 0 OR visibility IN ('public', 'unlisted'))";
constexpr const char* kCountLocal =
    "SELECT COUNT(*) FROM posts WHERE local = 1 AND deleted_at IS NULL";

#undef CIVICPUB_POST_COLUMNS

std::optional<PostRecord> read_row(const Statement& s) {
  auto visibility = parse_visibility(s.column_text(7));
  if (!visibility) return std::nullopt;
  PostRecord p;
  p.id = s.column_int64(0);
  p.ap_id = s.column_text(1);
  p.author_id = s.column_int64(2);
  p.local = s.column_bool(3);
  p.in_reply_to = s.column_text(4);
  p.thread_root = s.column_text(5);
  p.context = s.column_text(6);
  p.visibility = *visibility;
  p.content_html = s.column_text(8);
  p.summary = s.column_text(9);
  p.sensitive = s.column_bool(10);
  p.language = s.column_text(11);
  p.url = s.column_text(12);
  p.raw_json = s.column_text(13);
  p.published = s.column_int64(14);
  p.updated = s.column_optional_int64(15);
  p.deleted_at = s.column_optional_int64(16);
  return p;
}

Result<std::optional<PostRecord>> fetch_post(Statement& s) {
  auto row = detail::fetch_one(s, read_row);
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
  s->bind(16, p.deleted_at);
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
  s->bind(5, p.language).bind(6, p.raw_json).bind(7, updated_at);
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
  auto rows = detail::fetch_all(*s, read_row);
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

Result<std::int64_t> count_local(Connection& conn) {
  auto s = Statement::prepare(conn, kCountLocal);
  if (!s) return s.error();
  return detail::fetch_int(*s);
}

}  // namespace civicpub::storage::posts
