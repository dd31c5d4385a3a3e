#include "storage/inbox_items.hpp"

#include "storage/detail/query.hpp"
#include "storage/errors.hpp"
#include "storage/statement.hpp"

#include <string>

namespace civicpub::storage::inbox_items {
namespace {

constexpr const char* kInsert =
    "INSERT INTO inbox_items (activity_id, actor_uri, key_id, body, state, attempts, error, "
    "received_at, auth, actor_origin) VALUES (?1, ?2, ?3, ?4, 'pending', 0, '', ?5, ?6, ?7)";
constexpr const char* kNextPending =
    "SELECT id, activity_id, actor_uri, key_id, body, state, attempts, error, received_at, "
    "processed_at, auth, next_attempt_at, actor_origin FROM inbox_items WHERE state = 'pending' "
    "ORDER BY id LIMIT ?1";
constexpr const char* kNextDue =
    "SELECT id, activity_id, actor_uri, key_id, body, state, attempts, error, received_at, "
    "processed_at, auth, next_attempt_at, actor_origin FROM inbox_items "
    "WHERE state = 'pending' AND next_attempt_at <= ?1 AND id > ?2 ORDER BY id LIMIT ?3";
constexpr const char* kFind =
    "SELECT id, activity_id, actor_uri, key_id, body, state, attempts, error, received_at, "
    "processed_at, auth, next_attempt_at, actor_origin FROM inbox_items WHERE id = ?1";
constexpr const char* kNextRetryAt =
    "SELECT MIN(next_attempt_at) FROM inbox_items WHERE state = 'pending' AND next_attempt_at > ?1";
constexpr const char* kRetryLater =
    "UPDATE inbox_items SET attempts = attempts + 1, error = ?2, next_attempt_at = ?3 "
    "WHERE id = ?1 AND state = 'pending'";
constexpr const char* kMarkDone =
    "UPDATE inbox_items SET state = 'done', attempts = attempts + 1, processed_at = ?2 "
    "WHERE id = ?1";
constexpr const char* kMarkFailed =
    "UPDATE inbox_items SET state = 'failed', attempts = attempts + 1, error = ?2, "
    "processed_at = ?3 WHERE id = ?1";
constexpr const char* kCountByState = "SELECT COUNT(*) FROM inbox_items WHERE state = ?1";
// Two primary-key lookups in the counts the triggers of migration 17 keep; no row is a count of 0.
constexpr const char* kPendingCounts =
    "SELECT (SELECT n FROM inbox_pending_actors WHERE actor_uri = ?1), "
    "(SELECT n FROM inbox_pending_origins WHERE origin = ?2)";
// Oldest ids first: processed rows of long ago sit at the front of the table.
constexpr const char* kPurgeProcessed =
    "DELETE FROM inbox_items WHERE id IN (SELECT id FROM inbox_items WHERE state != 'pending' "
    "AND processed_at < ?1 ORDER BY id LIMIT ?2)";

std::optional<InboxItemRecord> read_row(const Statement& s) {
  auto state = parse_inbox_state(s.column_text(5));
  auto auth = parse_inbox_auth(s.column_text(10));
  if (!state || !auth) return std::nullopt;
  InboxItemRecord r;
  r.id = s.column_int64(0);
  r.activity_id = s.column_text(1);
  r.actor_uri = s.column_text(2);
  r.key_id = s.column_text(3);
  r.body = s.column_text(4);
  r.state = *state;
  r.auth = *auth;
  r.attempts = static_cast<int>(s.column_int64(6));
  r.error = s.column_text(7);
  r.received_at = s.column_int64(8);
  r.processed_at = s.column_optional_int64(9);
  r.next_attempt_at = s.column_int64(11);
  r.actor_origin = s.column_text(12);
  return r;
}

}  // namespace

Result<std::int64_t> insert(Connection& conn, const InboxItemRecord& item) {
  auto s = Statement::prepare(conn, kInsert);
  if (!s) return s.error();
  s->bind(1, item.activity_id).bind(2, item.actor_uri).bind(3, item.key_id).bind(4, item.body);
  s->bind(5, item.received_at).bind(6, to_string(item.auth)).bind(7, item.actor_origin);
  if (auto r = s->run(); !r) return r.error();
  return conn.last_insert_rowid();
}

namespace {

Result<std::vector<InboxItemRecord>> read_rows(Statement& s) {
  auto rows = detail::fetch_all(s, read_row);
  if (!rows) return rows.error();
  std::vector<InboxItemRecord> out;
  for (auto& row : *rows) {
    if (!row) return make_error_code(Errc::corrupt);
    out.push_back(std::move(*row));
  }
  return out;
}

}  // namespace

Result<std::vector<InboxItemRecord>> next_pending(Connection& conn, int limit) {
  auto s = Statement::prepare(conn, kNextPending);
  if (!s) return s.error();
  s->bind(1, limit);
  return read_rows(*s);
}

Result<std::optional<InboxItemRecord>> find(Connection& conn, std::int64_t id) {
  auto s = Statement::prepare(conn, kFind);
  if (!s) return s.error();
  s->bind(1, id);
  auto rows = read_rows(*s);
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<InboxItemRecord>();
  return std::optional<InboxItemRecord>(std::move(rows->front()));
}

Result<std::vector<InboxItemRecord>> next_due(Connection& conn, Millis now, std::int64_t after_id,
                                              int limit) {
  auto s = Statement::prepare(conn, kNextDue);
  if (!s) return s.error();
  s->bind(1, now).bind(2, after_id).bind(3, limit);
  return read_rows(*s);
}

Result<std::optional<Millis>> next_retry_at(Connection& conn, Millis now) {
  auto s = Statement::prepare(conn, kNextRetryAt);
  if (!s) return s.error();
  s->bind(1, now);
  auto row = detail::fetch_one(*s, [](const Statement& st) { return st.column_optional_int64(0); });
  if (!row) return row.error();
  if (!*row) return std::optional<Millis>{};
  return **row;
}

Result<void> retry_later(Connection& conn, std::int64_t id, std::string_view error,
                         Millis next_attempt_at) {
  auto s = Statement::prepare(conn, kRetryLater);
  if (!s) return s.error();
  s->bind(1, id).bind(2, error).bind(3, next_attempt_at);
  return detail::run_expect_change(conn, *s);
}

Result<void> mark_done(Connection& conn, std::int64_t id, Millis now) {
  auto s = Statement::prepare(conn, kMarkDone);
  if (!s) return s.error();
  s->bind(1, id).bind(2, now);
  return detail::run_expect_change(conn, *s);
}

Result<void> mark_failed(Connection& conn, std::int64_t id, std::string_view error, Millis now) {
  auto s = Statement::prepare(conn, kMarkFailed);
  if (!s) return s.error();
  s->bind(1, id).bind(2, error).bind(3, now);
  return detail::run_expect_change(conn, *s);
}

Result<std::int64_t> count_by_state(Connection& conn, InboxState state) {
  auto s = Statement::prepare(conn, kCountByState);
  if (!s) return s.error();
  s->bind(1, to_string(state));
  return detail::fetch_int(*s);
}

Result<PendingCounts> pending_counts(Connection& conn, std::string_view actor_uri,
                                     std::string_view actor_origin) {
  auto s = Statement::prepare(conn, kPendingCounts);
  if (!s) return s.error();
  s->bind(1, actor_uri).bind(2, actor_origin);
  auto row = detail::fetch_one(*s, [](const Statement& st) {
    return PendingCounts{st.column_optional_int64(0).value_or(0),
                         st.column_optional_int64(1).value_or(0)};
  });
  if (!row) return row.error();
  if (!*row) return make_error_code(Errc::internal);  // a SELECT without FROM has one row
  return **row;
}

Result<std::int64_t> purge_processed(Connection& conn, Millis before, int limit) {
  auto s = Statement::prepare(conn, kPurgeProcessed);
  if (!s) return s.error();
  s->bind(1, before).bind(2, limit);
  auto stepped = s->step();
  if (!stepped) return stepped.error();
  return conn.changes();
}

}  // namespace civicpub::storage::inbox_items
