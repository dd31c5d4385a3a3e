#include "storage/usage.hpp"

#include "storage/detail/query.hpp"
#include "storage/errors.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::usage {
namespace {

// ?1 excluded actor uri, ?2 month window start, ?3 half-year window start. An account is active
// in a window when some local post of it was published in that window (posts_author_published
// makes the EXISTS an index probe per account). Only posts anyone may read (public, unlisted)
// count: NodeInfo is public, and on a small server a count that moves with followers-only or
// direct posts tells who wrote one, and when (issue 11).
constexpr const char* kCounts = R"sql(
SELECT
  COUNT(*),
  COALESCE(SUM(EXISTS (SELECT 1 FROM posts p WHERE p.author_id = a.id AND p.local = 1
                       AND p.published >= ?2 AND p.visibility IN ('public', 'unlisted'))), 0),
  COALESCE(SUM(EXISTS (SELECT 1 FROM posts p WHERE p.author_id = a.id AND p.local = 1
                       AND p.published >= ?3 AND p.visibility IN ('public', 'unlisted'))), 0),
  (SELECT COUNT(*) FROM posts WHERE local = 1 AND deleted_at IS NULL
     AND visibility IN ('public', 'unlisted'))
FROM actors a
WHERE a.local = 1 AND a.deleted_at IS NULL AND a.uri <> ?1
)sql";

}  // namespace

Result<UsageCounts> counts(Connection& conn, const UsageQuery& query) {
  auto s = Statement::prepare(conn, kCounts);
  if (!s) return s.error();
  s->bind(1, query.excluded_actor_uri).bind(2, query.month_since).bind(3, query.halfyear_since);
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return make_error_code(Errc::not_found);
  UsageCounts out;
  out.users_total = s->column_int64(0);
  out.active_month = s->column_int64(1);
  out.active_halfyear = s->column_int64(2);
  out.local_posts = s->column_int64(3);
  return out;
}

}  // namespace civicpub::storage::usage
