#include "storage/follow_lists.hpp"

#include "storage/detail/actor_row.hpp"
#include "storage/detail/keyset.hpp"
#include "storage/detail/query.hpp"

namespace civicpub::storage::follows {
namespace {

constexpr const char* kFollowers =
    "SELECT " CIVICPUB_ACTOR_COLUMNS("a.") ", f.id FROM follows f "
    "JOIN actors a ON a.id = f.follower_id "
    "WHERE f.target_id = ?1 AND f.state = ?2 AND a.deleted_at IS NULL" CIVICPUB_KEYSET_TAIL("f.id");
constexpr const char* kFollowing =
    "SELECT " CIVICPUB_ACTOR_COLUMNS("a.") ", f.id FROM follows f "
    "JOIN actors a ON a.id = f.target_id "
    "WHERE f.follower_id = ?1 AND f.state = ?2 AND a.deleted_at IS NULL" CIVICPUB_KEYSET_TAIL("f.id");
constexpr int kPositionColumn = 23;  // after the actor's columns

ListedActor read_listed(const Statement& s) {
  return ListedActor{s.column_int64(kPositionColumn), detail::read_actor_row(s)};
}

Result<std::vector<ListedActor>> list(Connection& conn, const char* sql, std::int64_t id,
                                      FollowState state, const PageQuery& query) {
  auto s = Statement::prepare(conn, sql);
  if (!s) return s.error();
  s->bind(1, id).bind(2, to_string(state));
  detail::bind_keyset(*s, query);
  auto rows = detail::fetch_all(*s, read_listed);
  if (!rows) return rows.error();
  detail::finish_keyset(*rows, query);
  return rows;
}

}  // namespace

Result<std::vector<ListedActor>> followers_list(Connection& conn, std::int64_t target_id,
                                                FollowState state, const PageQuery& query) {
  return list(conn, kFollowers, target_id, state, query);
}

Result<std::vector<ListedActor>> following_list(Connection& conn, std::int64_t follower_id,
                                                const PageQuery& query) {
  return list(conn, kFollowing, follower_id, FollowState::accepted, query);
}

}  // namespace civicpub::storage::follows
