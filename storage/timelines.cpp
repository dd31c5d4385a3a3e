#include "storage/timelines.hpp"

#include "storage/detail/keyset.hpp"
#include "storage/detail/post_row.hpp"
#include "storage/detail/query.hpp"
#include "storage/errors.hpp"

#include <algorithm>

namespace civicpub::storage::timelines {
namespace {

// The keyset tail (storage/detail/keyset.hpp) after the checks every timeline shares.
#define CIVICPUB_TIMELINE_TAIL                                                     \
  " AND deleted_at IS NULL "                                                       \
  "AND NOT EXISTS (SELECT 1 FROM actors a WHERE a.id = posts.author_id "           \
  "AND a.deleted_at IS NOT NULL)" CIVICPUB_KEYSET_TAIL("id")
constexpr const char* kPublicTimeline =
    "SELECT " CIVICPUB_POST_COLUMNS " FROM posts WHERE visibility = 'public' "
    "AND (?1 = 0 OR local = 1) AND (?2 = 0 OR local = 0)" CIVICPUB_TIMELINE_TAIL;
constexpr const char* kHomeTimeline =
    "SELECT " CIVICPUB_POST_COLUMNS " FROM posts WHERE (author_id = ?1 OR ("
    "visibility IN ('public', 'unlisted', 'followers') AND author_id IN ("
    "SELECT target_id FROM follows WHERE follower_id = ?1 AND state = 'accepted'))) "
    "AND ?2 = ?2" CIVICPUB_TIMELINE_TAIL;

constexpr const char* kTagTimeline =
    "SELECT " CIVICPUB_POST_COLUMNS " FROM posts WHERE visibility = 'public' "
    "AND id IN (SELECT post_id FROM post_hashtags WHERE name = ?1) "
    "AND (?2 = 0 OR local = 1) AND (?7 = 0 OR local = 0)" CIVICPUB_TIMELINE_TAIL;

constexpr const char* kAccountStatuses =
    "SELECT " CIVICPUB_POST_COLUMNS " FROM posts WHERE author_id = ?1 AND ("
    "?2 = ?1 OR visibility IN ('public', 'unlisted') OR (visibility = 'followers' AND EXISTS ("
    "SELECT 1 FROM follows WHERE follower_id = ?2 AND target_id = ?1 AND state = 'accepted')))"
    CIVICPUB_TIMELINE_TAIL;

Result<std::vector<PostRecord>> page(Statement& s, const TimelineQuery& q) {
  detail::bind_keyset(s, q);
  auto rows = detail::fetch_all(s, detail::read_post_row);
  if (!rows) return rows.error();
  std::vector<PostRecord> out;
  out.reserve(rows->size());
  for (auto& row : *rows) {
    if (!row) return make_error_code(Errc::corrupt);
    out.push_back(std::move(*row));
  }
  detail::finish_keyset(out, q);
  return out;
}

}  // namespace

Result<std::vector<PostRecord>> public_timeline(Connection& conn, const TimelineQuery& q) {
  auto s = Statement::prepare(conn, kPublicTimeline);
  if (!s) return s.error();
  s->bind(1, q.local_only).bind(2, q.remote_only);
  return page(*s, q);
}

Result<std::vector<PostRecord>> home_timeline(Connection& conn, std::int64_t viewer_id,
                                              const TimelineQuery& q) {
  auto s = Statement::prepare(conn, kHomeTimeline);
  if (!s) return s.error();
  s->bind(1, viewer_id).bind(2, 0);
  return page(*s, q);
}

Result<std::vector<PostRecord>> account_statuses(Connection& conn, std::int64_t author_id,
                                                 std::int64_t viewer_id, const TimelineQuery& q) {
  auto s = Statement::prepare(conn, kAccountStatuses);
  if (!s) return s.error();
  s->bind(1, author_id).bind(2, viewer_id);
  return page(*s, q);
}

Result<std::vector<PostRecord>> tag_timeline(Connection& conn, std::string_view tag,
                                             const TimelineQuery& q) {
  auto s = Statement::prepare(conn, kTagTimeline);
  if (!s) return s.error();
  s->bind(1, tag).bind(2, q.local_only).bind(7, q.remote_only);
  return page(*s, q);
}

}  // namespace civicpub::storage::timelines
