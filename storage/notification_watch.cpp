#include "storage/notification_watch.hpp"

#include "storage/detail/query.hpp"
#include "storage/notifications.hpp"
#include "storage/statement.hpp"

#include <sqlite3.h>

#include <cstring>

namespace civicpub::storage::notifications {
namespace {

constexpr const char* kFindById =
    "SELECT id, account_id, type, from_account_id, post_id, created_at FROM notifications "
    "WHERE id = ?1";

void on_change(void* data, int op, const char* /*db*/, const char* table, sqlite3_int64 rowid) {
  if (op != SQLITE_INSERT || std::strcmp(table, "notifications") != 0) return;
  (*static_cast<const InsertListener*>(data))(rowid);
}

}  // namespace

void watch_inserts(Connection& conn, const InsertListener* listener) {
  if (listener == nullptr) {
    sqlite3_update_hook(conn.handle(), nullptr, nullptr);
    return;
  }
  sqlite3_update_hook(conn.handle(), on_change,
                      const_cast<void*>(static_cast<const void*>(listener)));
}

Result<std::optional<NotificationRecord>> find_by_id(Connection& conn, std::int64_t id) {
  auto s = Statement::prepare(conn, kFindById);
  if (!s) return s.error();
  s->bind(1, id);
  return detail::fetch_one(*s, [](const Statement& st) {
    NotificationRecord n;
    n.id = st.column_int64(0);
    n.account_id = st.column_int64(1);
    n.type = st.column_text(2);
    n.from_account_id = st.column_int64(3);
    n.post_id = st.column_optional_int64(4);
    n.created_at = st.column_int64(5);
    return n;
  });
}

}  // namespace civicpub::storage::notifications
