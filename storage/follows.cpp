#include "storage/follows.hpp"

#include "storage/detail/actor_row.hpp"
#include "storage/detail/query.hpp"
#include "storage/errors.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::follows {
namespace {

constexpr const char* kUpsert = R"sql(
INSERT INTO follows (follower_id, target_id, state, activity_uri, created_at, updated_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6)
ON CONFLICT (follower_id, target_id) DO UPDATE SET state = excluded.state,
  activity_uri = excluded.activity_uri, updated_at = excluded.updated_at
RETURNING id
)sql";
constexpr const char* kFindByPair =
    "SELECT id, follower_id, target_id, state, activity_uri, created_at, updated_at "
    "FROM follows WHERE follower_id = ?1 AND target_id = ?2";
constexpr const char* kFindByActivity =
    "SELECT id, follower_id, target_id, state, activity_uri, created_at, updated_at "
    "FROM follows WHERE activity_uri = ?1 AND activity_uri <> ''";
constexpr const char* kSetState = "UPDATE follows SET state = ?2, updated_at = ?3 WHERE id = ?1";
constexpr const char* kRemove = "DELETE FROM follows WHERE follower_id = ?1 AND target_id = ?2";
constexpr const char* kFollowersPage =
    "SELECT " CIVICPUB_ACTOR_COLUMNS("a.") " FROM follows f JOIN actors a ON a.id = f.follower_id "
    "WHERE f.target_id = ?1 AND f.state = 'accepted' AND a.deleted_at IS NULL "
    "AND a.suspended_at IS NULL ORDER BY f.id DESC LIMIT ?2 OFFSET ?3";
constexpr const char* kPendingFollowersPage =
    "SELECT " CIVICPUB_ACTOR_COLUMNS("a.") " FROM follows f JOIN actors a ON a.id = f.follower_id "
    "WHERE f.target_id = ?1 AND f.state = 'pending' AND a.deleted_at IS NULL "
    "AND a.suspended_at IS NULL ORDER BY f.id LIMIT ?2 OFFSET ?3";
constexpr const char* kCountFollowers =
    "SELECT COUNT(*) FROM follows f JOIN actors a ON a.id = f.follower_id "
    "WHERE f.target_id = ?1 AND f.state = 'accepted' AND a.deleted_at IS NULL "
    "AND a.suspended_at IS NULL";
constexpr const char* kFollowingPage =
    "SELECT " CIVICPUB_ACTOR_COLUMNS("a.") " FROM follows f JOIN actors a ON a.id = f.target_id "
    "WHERE f.follower_id = ?1 AND f.state = 'accepted' AND a.deleted_at IS NULL "
    "AND a.suspended_at IS NULL ORDER BY f.id DESC LIMIT ?2 OFFSET ?3";
constexpr const char* kCountFollowing =
    "SELECT COUNT(*) FROM follows f JOIN actors a ON a.id = f.target_id "
    "WHERE f.follower_id = ?1 AND f.state = 'accepted' AND a.deleted_at IS NULL "
    "AND a.suspended_at IS NULL";
constexpr const char* kFollowerInboxes = R"sql(
SELECT DISTINCT CASE WHEN a.shared_inbox <> '' THEN a.shared_inbox ELSE a.inbox END AS box
FROM follows f JOIN actors a ON a.id = f.follower_id
WHERE f.target_id = ?1 AND f.state = 'accepted' AND a.local = 0 AND a.deleted_at IS NULL
  AND a.suspended_at IS NULL
ORDER BY box
)sql";

// Unknown text in `state` means someone wrote the table behind our back: report, do not guess.
std::optional<FollowRecord> read_row(const Statement& s) {
  auto state = parse_follow_state(s.column_text(3));
  if (!state) return std::nullopt;
  return FollowRecord{s.column_int64(0), s.column_int64(1), s.column_int64(2), *state,
                      s.column_text(4),  s.column_int64(5), s.column_int64(6)};
}

Result<std::optional<FollowRecord>> fetch_follow(Statement& s) {
  auto row = detail::fetch_one(s, read_row);
  if (!row) return row.error();
  if (!*row) return std::optional<FollowRecord>();
  if (!**row) return make_error_code(Errc::corrupt);
  return std::optional<FollowRecord>(std::move(**row));
}

Result<std::vector<ActorRecord>> page(Connection& conn, const char* sql, std::int64_t id,
                                      int limit, int offset) {
  auto s = Statement::prepare(conn, sql);
  if (!s) return s.error();
  s->bind(1, id).bind(2, limit).bind(3, offset);
  return detail::fetch_all(*s, detail::read_actor_row);
}

Result<std::int64_t> count(Connection& conn, const char* sql, std::int64_t id) {
  auto s = Statement::prepare(conn, sql);
  if (!s) return s.error();
  s->bind(1, id);
  return detail::fetch_int(*s);
}

}  // namespace

Result<std::int64_t> upsert(Connection& conn, const FollowRecord& f) {
  auto s = Statement::prepare(conn, kUpsert);
  if (!s) return s.error();
  s->bind(1, f.follower_id).bind(2, f.target_id).bind(3, to_string(f.state));
  s->bind(4, f.activity_uri).bind(5, f.created_at).bind(6, f.updated_at);
  auto id = detail::fetch_int(*s);
  if (!id) return id;
  if (auto rest = s->run(); !rest) return rest.error();
  return id;
}

Result<std::optional<FollowRecord>> find_by_pair(Connection& conn, std::int64_t follower_id,
                                                 std::int64_t target_id) {
  auto s = Statement::prepare(conn, kFindByPair);
  if (!s) return s.error();
  s->bind(1, follower_id).bind(2, target_id);
  return fetch_follow(*s);
}

Result<std::optional<FollowRecord>> find_by_activity_uri(Connection& conn, std::string_view uri) {
  auto s = Statement::prepare(conn, kFindByActivity);
  if (!s) return s.error();
  s->bind(1, uri);
  return fetch_follow(*s);
}

Result<void> set_state(Connection& conn, std::int64_t id, FollowState state, Millis now) {
  auto s = Statement::prepare(conn, kSetState);
  if (!s) return s.error();
  s->bind(1, id).bind(2, to_string(state)).bind(3, now);
  return detail::run_expect_change(conn, *s);
}

Result<bool> remove(Connection& conn, std::int64_t follower_id, std::int64_t target_id) {
  auto s = Statement::prepare(conn, kRemove);
  if (!s) return detail::fail<bool>(s.error());
  s->bind(1, follower_id).bind(2, target_id);
  if (auto r = s->run(); !r) return detail::fail<bool>(r.error());
  return conn.changes() > 0;
}

Result<std::vector<ActorRecord>> followers_page(Connection& conn, std::int64_t target_id,
                                                int limit, int offset) {
  return page(conn, kFollowersPage, target_id, limit, offset);
}

Result<std::vector<ActorRecord>> pending_followers_page(Connection& conn, std::int64_t target_id,
                                                        int limit, int offset) {
  return page(conn, kPendingFollowersPage, target_id, limit, offset);
}

Result<std::int64_t> count_followers(Connection& conn, std::int64_t target_id) {
  return count(conn, kCountFollowers, target_id);
}

Result<std::vector<ActorRecord>> following_page(Connection& conn, std::int64_t follower_id,
                                                int limit, int offset) {
  return page(conn, kFollowingPage, follower_id, limit, offset);
}

Result<std::int64_t> count_following(Connection& conn, std::int64_t follower_id) {
  return count(conn, kCountFollowing, follower_id);
}

Result<std::vector<std::string>> follower_inboxes(Connection& conn, std::int64_t target_id) {
  auto s = Statement::prepare(conn, kFollowerInboxes);
  if (!s) return s.error();
  s->bind(1, target_id);
  return detail::fetch_all(*s, [](const Statement& st) { return st.column_text(0); });
}

}  // namespace civicpub::storage::follows
