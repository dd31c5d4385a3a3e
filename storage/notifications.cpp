#include "storage/notifications.hpp"

#include "storage/detail/keyset.hpp"
#include "storage/detail/query.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::notifications {
namespace {

constexpr const char* kAdd =
    "INSERT INTO notifications (account_id, type, from_account_id, post_id, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING RETURNING id";
// ?2: a JSON array of types to keep (empty: all); ?7: types to leave out.
constexpr const char* kList =
    "SELECT id, account_id, type, from_account_id, post_id, created_at FROM notifications n "
    "WHERE account_id = ?1 "
    "AND (json_array_length(?2) = 0 OR type IN (SELECT value FROM json_each(?2))) "
    "AND type NOT IN (SELECT value FROM json_each(?7)) "
    "AND (post_id IS NULL OR EXISTS (SELECT 1 FROM posts p WHERE p.id = n.post_id "
    "AND p.deleted_at IS NULL)) "
    "AND NOT EXISTS (SELECT 1 FROM actors a WHERE a.id = n.from_account_id "
    "AND a.deleted_at IS NOT NULL)" CIVICPUB_KEYSET_TAIL("id");
constexpr const char* kFind =
    "SELECT id, account_id, type, from_account_id, post_id, created_at FROM notifications "
    "WHERE account_id = ?1 AND id = ?2";
constexpr const char* kDismiss = "DELETE FROM notifications WHERE account_id = ?1 AND id = ?2";
constexpr const char* kClear = "DELETE FROM notifications WHERE account_id = ?1";

NotificationRecord read_row(const Statement& s) {
  NotificationRecord n;
  n.id = s.column_int64(0);
  n.account_id = s.column_int64(1);
  n.type = s.column_text(2);
  n.from_account_id = s.column_int64(3);
  n.post_id = s.column_optional_int64(4);
  n.created_at = s.column_int64(5);
  return n;
}

// ["a","b"]: the types are checked names (letters and '_'), so no escaping is needed; anything
// else is left out.
std::string json_list(const std::vector<std::string>& names) {
  std::string out = "[";
  for (const auto& name : names) {
    bool plain = !name.empty() && name.size() <= 32;
    for (char c : name) plain = plain && ((c >= 'a' && c <= 'z') || c == '_');
    if (!plain) continue;
    if (out.size() > 1) out += ',';
    out += '"' + name + '"';
  }
  return out + "]";
}

}  // namespace

Result<std::optional<std::int64_t>> add(Connection& conn, const NotificationRecord& n) {
  auto s = Statement::prepare(conn, kAdd);
  if (!s) return s.error();
  s->bind(1, n.account_id).bind(2, n.type).bind(3, n.from_account_id).bind(4, n.post_id);
  s->bind(5, n.created_at);
  return detail::fetch_one(*s, [](const Statement& st) { return st.column_int64(0); });
}

Result<std::vector<NotificationRecord>> list(Connection& conn, std::int64_t account_id,
                                             const std::vector<std::string>& types,
                                             const std::vector<std::string>& exclude,
                                             const PageQuery& query) {
  auto s = Statement::prepare(conn, kList);
  if (!s) return s.error();
  // A filter that names only unknown types keeps nothing (not everything).
  const auto wanted = json_list(types);
  if (!types.empty() && wanted == "[]") return std::vector<NotificationRecord>();
  s->bind(1, account_id).bind(2, wanted).bind(7, json_list(exclude));
  detail::bind_keyset(*s, query);
  auto rows = detail::fetch_all(*s, read_row);
  if (!rows) return rows.error();
  detail::finish_keyset(*rows, query);
  return rows;
}

Result<std::optional<NotificationRecord>> find(Connection& conn, std::int64_t account_id,
                                               std::int64_t id) {
  auto s = Statement::prepare(conn, kFind);
  if (!s) return s.error();
  s->bind(1, account_id).bind(2, id);
  return detail::fetch_one(*s, read_row);
}

Result<bool> dismiss(Connection& conn, std::int64_t account_id, std::int64_t id) {
  auto s = Statement::prepare(conn, kDismiss);
  if (!s) return detail::fail<bool>(s.error());
  s->bind(1, account_id).bind(2, id);
  if (auto run = s->run(); !run) return detail::fail<bool>(run.error());
  return conn.changes() > 0;
}

Result<void> clear(Connection& conn, std::int64_t account_id) {
  auto s = Statement::prepare(conn, kClear);
  if (!s) return s.error();
  s->bind(1, account_id);
  return s->run();
}

}  // namespace civicpub::storage::notifications
