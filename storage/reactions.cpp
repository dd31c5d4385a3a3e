#include "storage/reactions.hpp"

#include "storage/detail/json_array.hpp"
#include "storage/detail/query.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::reactions {
namespace {

constexpr const char* kAdd =
    "INSERT INTO reactions (activity_uri, kind, actor_id, post_id, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING";
constexpr const char* kRemoveByActivity =
    "DELETE FROM reactions WHERE activity_uri = ?1 AND actor_id = ?2";
constexpr const char* kRemove =
    "DELETE FROM reactions WHERE kind = ?1 AND actor_id = ?2 AND post_id = ?3";
constexpr const char* kCount = "SELECT COUNT(*) FROM reactions WHERE post_id = ?1 AND kind = ?2";
// kCount of both kinds for every post in ?1, a JSON array of ids (detail/json_array.hpp): one
// search of the covering index reactions_post (post_id, kind) per post.
constexpr const char* kCountEach =
    "SELECT post_id, kind, COUNT(*) FROM reactions "
    "WHERE post_id IN (SELECT value FROM json_each(?1)) GROUP BY post_id, kind";

}  // namespace

Result<bool> add(Connection& conn, const ReactionRecord& r) {
  auto s = Statement::prepare(conn, kAdd);
  if (!s) return detail::fail<bool>(s.error());
  s->bind(1, r.activity_uri).bind(2, to_string(r.kind)).bind(3, r.actor_id).bind(4, r.post_id);
  s->bind(5, r.created_at);
  if (auto run = s->run(); !run) return detail::fail<bool>(run.error());
  return conn.changes() > 0;
}

Result<bool> remove_by_activity(Connection& conn, std::string_view activity_uri,
                                std::int64_t actor_id) {
  auto s = Statement::prepare(conn, kRemoveByActivity);
  if (!s) return detail::fail<bool>(s.error());
  s->bind(1, activity_uri).bind(2, actor_id);
  if (auto run = s->run(); !run) return detail::fail<bool>(run.error());
  return conn.changes() > 0;
}

Result<bool> remove(Connection& conn, ReactionKind kind, std::int64_t actor_id,
                    std::int64_t post_id) {
  auto s = Statement::prepare(conn, kRemove);
  if (!s) return detail::fail<bool>(s.error());
  s->bind(1, to_string(kind)).bind(2, actor_id).bind(3, post_id);
  if (auto run = s->run(); !run) return detail::fail<bool>(run.error());
  return conn.changes() > 0;
}

Result<std::int64_t> count(Connection& conn, std::int64_t post_id, ReactionKind kind) {
  auto s = Statement::prepare(conn, kCount);
  if (!s) return s.error();
  s->bind(1, post_id).bind(2, to_string(kind));
  return detail::fetch_int(*s);
}

Result<std::unordered_map<std::int64_t, Counts>> count_each(
    Connection& conn, std::span<const std::int64_t> post_ids) {
  std::unordered_map<std::int64_t, Counts> out;
  if (post_ids.empty()) return out;
  auto s = Statement::prepare(conn, kCountEach);
  if (!s) return s.error();
  s->bind(1, detail::json_array(post_ids));
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) return out;
    const auto kind = parse_reaction_kind(s->column_text(1));
    if (!kind) continue;  // the table's CHECK allows only the two
    auto& counts = out[s->column_int64(0)];
    (*kind == ReactionKind::like ? counts.likes : counts.shares) = s->column_int64(2);
  }
}

}  // namespace civicpub::storage::reactions
