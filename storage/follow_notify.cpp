#include "storage/follow_notify.hpp"

#include "storage/detail/query.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::follow_notify {
namespace {

constexpr const char* kSet =
    "UPDATE follows SET notify = ?3 WHERE follower_id = ?1 AND target_id = ?2";
constexpr const char* kNotifying =
    "SELECT notify FROM follows WHERE follower_id = ?1 AND target_id = ?2";
constexpr const char* kLocalSubscribers =
    "SELECT f.follower_id FROM follows f JOIN actors a ON a.id = f.follower_id "
    "WHERE f.target_id = ?1 AND f.state = 'accepted' AND f.notify = 1 AND a.local = 1 "
    "AND a.deleted_at IS NULL ORDER BY f.follower_id";

}  // namespace

Result<bool> set(Connection& conn, std::int64_t follower_id, std::int64_t target_id, bool notify) {
  auto s = Statement::prepare(conn, kSet);
  if (!s) return detail::fail<bool>(s.error());
  s->bind(1, follower_id).bind(2, target_id).bind(3, notify);
  if (auto r = s->run(); !r) return detail::fail<bool>(r.error());
  return conn.changes() > 0;
}

Result<bool> notifying(Connection& conn, std::int64_t follower_id, std::int64_t target_id) {
  auto s = Statement::prepare(conn, kNotifying);
  if (!s) return detail::fail<bool>(s.error());
  s->bind(1, follower_id).bind(2, target_id);
  auto row = detail::fetch_one(*s, [](const Statement& st) { return st.column_int64(0) != 0; });
  if (!row) return detail::fail<bool>(row.error());
  return row->value_or(false);
}

Result<std::vector<std::int64_t>> local_subscribers(Connection& conn, std::int64_t target_id) {
  auto s = Statement::prepare(conn, kLocalSubscribers);
  if (!s) return s.error();
  s->bind(1, target_id);
  return detail::fetch_all(*s, [](const Statement& st) { return st.column_int64(0); });
}

}  // namespace civicpub::storage::follow_notify
