#include "storage/deliveries.hpp"

#include "storage/detail/query.hpp"
#include "storage/errors.hpp"
#include "storage/savepoint.hpp"
#include "storage/statement.hpp"

#include <algorithm>
#include <vector>

namespace civicpub::storage::deliveries {
namespace {

// A row with its body (migration 18 keeps each activity's body once, in delivery_bodies).
#define CIVICPUB_DELIVERY_COLUMNS                                                            \
  "d.id, d.activity_id, d.actor_id, d.inbox_url, b.body, d.state, d.attempts, "             \
  "d.next_attempt_at, d.last_status, d.last_error, d.created_at, d.updated_at"
#define CIVICPUB_DELIVERY_FROM " FROM deliveries d JOIN delivery_bodies b ON b.id = d.body_id "

constexpr const char* kInsertBody = "INSERT INTO delivery_bodies (body) VALUES (?1)";
constexpr const char* kDeleteBody = "DELETE FROM delivery_bodies WHERE id = ?1";
constexpr const char* kInsert =
    "INSERT INTO deliveries (activity_id, actor_id, inbox_url, body_id, state, attempts, "
    "next_attempt_at, last_status, last_error, created_at, updated_at, forwarded) "
    "VALUES (?1, ?2, ?3, ?4, 'pending', 0, ?5, 0, '', ?5, ?5, ?6) "
    "ON CONFLICT (activity_id, inbox_url, forwarded) DO NOTHING";
constexpr const char* kDue =
    "SELECT " CIVICPUB_DELIVERY_COLUMNS CIVICPUB_DELIVERY_FROM
    "WHERE d.state = 'pending' AND d.next_attempt_at <= ?1 "
    "ORDER BY d.next_attempt_at, d.id LIMIT ?2";
// The same, after a row's place in that order (a row value: one range on deliveries_due).
constexpr const char* kDueAfter =
    "SELECT " CIVICPUB_DELIVERY_COLUMNS CIVICPUB_DELIVERY_FROM
    "WHERE d.state = 'pending' AND d.next_attempt_at <= ?1 "
    "AND (d.next_attempt_at, d.id) > (?3, ?4) "
    "ORDER BY d.next_attempt_at, d.id LIMIT ?2";
constexpr const char* kMarkDone =
    "UPDATE deliveries SET state = 'done', attempts = attempts + 1, last_status = ?2, "
    "last_error = '', updated_at = ?3 WHERE id = ?1";
constexpr const char* kReschedule =
    "UPDATE deliveries SET attempts = attempts + 1, next_attempt_at = ?2, last_status = ?3, "
    "last_error = ?4, updated_at = ?5 WHERE id = ?1";
constexpr const char* kGiveUp =
    "UPDATE deliveries SET state = 'dead', attempts = attempts + 1, last_status = ?2, "
    "last_error = ?3, updated_at = ?4 WHERE id = ?1";
constexpr const char* kPurgeFinished =
    "DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries WHERE state != 'pending' "
    "AND updated_at < ?1 ORDER BY id LIMIT ?2) RETURNING body_id";
// A body no row points at any more (deliveries_body).
constexpr const char* kPurgeBody =
    "DELETE FROM delivery_bodies WHERE id = ?1 "
    "AND NOT EXISTS (SELECT 1 FROM deliveries WHERE body_id = ?1)";
constexpr const char* kPendingCount = "SELECT COUNT(*) FROM deliveries WHERE state = 'pending'";
constexpr const char* kFindById =
    "SELECT " CIVICPUB_DELIVERY_COLUMNS CIVICPUB_DELIVERY_FROM "WHERE d.id = ?1";

#undef CIVICPUB_DELIVERY_FROM
#undef CIVICPUB_DELIVERY_COLUMNS

std::optional<DeliveryRecord> read_row(const Statement& s) {
  auto state = parse_delivery_state(s.column_text(5));
  if (!state) return std::nullopt;
  DeliveryRecord d;
  d.id = s.column_int64(0);
  d.activity_id = s.column_text(1);
  d.actor_id = s.column_int64(2);
  d.inbox_url = s.column_text(3);
  d.body = s.column_text(4);
  d.state = *state;
  d.attempts = static_cast<int>(s.column_int64(6));
  d.next_attempt_at = s.column_int64(7);
  d.last_status = static_cast<int>(s.column_int64(8));
  d.last_error = s.column_text(9);
  d.created_at = s.column_int64(10);
  d.updated_at = s.column_int64(11);
  return d;
}

}  // namespace

Result<std::size_t> enqueue(Connection& conn, std::string_view activity_id, std::int64_t actor_id,
                            std::string_view body, const std::vector<std::string>& inboxes,
                            Millis now, Source source) {
  if (inboxes.empty()) return std::size_t{0};
  auto sp = Savepoint::begin(conn, "deliveries_enqueue");
  if (!sp) return sp.error();
  // The body once; every row points at it.
  auto b = Statement::prepare(conn, kInsertBody);
  if (!b) return b.error();
  b->bind(1, body);
  if (auto r = b->run(); !r) return r.error();  // the savepoint rolls back
  const std::int64_t body_id = conn.last_insert_rowid();
  auto s = Statement::prepare(conn, kInsert);
  if (!s) return s.error();
  std::size_t inserted = 0;
  for (const auto& inbox : inboxes) {
    s->reset();
    s->bind(1, activity_id).bind(2, actor_id).bind(3, inbox).bind(4, body_id).bind(5, now);
    s->bind(6, source == Source::forwarded ? 1 : 0);
    if (auto r = s->run(); !r) return r.error();
    inserted += static_cast<std::size_t>(conn.changes());
  }
  if (inserted == 0) {
    // Every inbox was queued already: no row points at this copy.
    auto d = Statement::prepare(conn, kDeleteBody);
    if (!d) return d.error();
    d->bind(1, body_id);
    if (auto r = d->run(); !r) return r.error();
  }
  if (auto r = sp->release(); !r) return r.error();
  return inserted;
}

Result<std::vector<DeliveryRecord>> due(Connection& conn, Millis now, int limit,
                                        std::optional<DueKey> after) {
  auto s = Statement::prepare(conn, after ? kDueAfter : kDue);
  if (!s) return s.error();
  s->bind(1, now).bind(2, limit);
  if (after) s->bind(3, after->next_attempt_at).bind(4, after->id);
  auto rows = detail::fetch_all(*s, read_row);
  if (!rows) return rows.error();
  std::vector<DeliveryRecord> out;
  for (auto& row : *rows) {
    if (!row) return make_error_code(Errc::corrupt);
    out.push_back(std::move(*row));
  }
  return out;
}

Result<void> mark_done(Connection& conn, std::int64_t id, int status, Millis now) {
  auto s = Statement::prepare(conn, kMarkDone);
  if (!s) return s.error();
  s->bind(1, id).bind(2, status).bind(3, now);
  return detail::run_expect_change(conn, *s);
}

Result<void> reschedule(Connection& conn, std::int64_t id, Millis next_attempt_at, int status,
                        std::string_view error, Millis now) {
  auto s = Statement::prepare(conn, kReschedule);
  if (!s) return s.error();
  s->bind(1, id).bind(2, next_attempt_at).bind(3, status).bind(4, error).bind(5, now);
  return detail::run_expect_change(conn, *s);
}

Result<void> give_up(Connection& conn, std::int64_t id, int status, std::string_view error,
                     Millis now) {
  auto s = Statement::prepare(conn, kGiveUp);
  if (!s) return s.error();
  s->bind(1, id).bind(2, status).bind(3, error).bind(4, now);
  return detail::run_expect_change(conn, *s);
}

Result<std::int64_t> purge_finished(Connection& conn, Millis before, int limit) {
  auto sp = Savepoint::begin(conn, "deliveries_purge");
  if (!sp) return sp.error();
  std::vector<std::int64_t> bodies;
  {
    auto s = Statement::prepare(conn, kPurgeFinished);
    if (!s) return s.error();
    s->bind(1, before).bind(2, limit);
    for (;;) {
      auto row = s->step();
      if (!row) return row.error();  // the savepoint rolls back
      if (!*row) break;
      bodies.push_back(s->column_int64(0));
    }
  }
  const auto purged = static_cast<std::int64_t>(bodies.size());  // one per deleted row
  // Rows of one activity share a body: each body is looked at once.
  std::sort(bodies.begin(), bodies.end());
  bodies.erase(std::unique(bodies.begin(), bodies.end()), bodies.end());
  auto d = Statement::prepare(conn, kPurgeBody);
  if (!d) return d.error();
  for (const auto id : bodies) {
    d->reset();
    d->bind(1, id);
    if (auto r = d->run(); !r) return r.error();
  }
  if (auto r = sp->release(); !r) return r.error();
  return purged;
}

Result<std::int64_t> pending_count(Connection& conn) {
  auto s = Statement::prepare(conn, kPendingCount);
  if (!s) return s.error();
  return detail::fetch_int(*s);
}

Result<std::optional<DeliveryRecord>> find_by_id(Connection& conn, std::int64_t id) {
  auto s = Statement::prepare(conn, kFindById);
  if (!s) return s.error();
  s->bind(1, id);
  auto row = detail::fetch_one(*s, read_row);
  if (!row) return row.error();
  if (!*row) return std::optional<DeliveryRecord>();
  if (!**row) return make_error_code(Errc::corrupt);
  return std::optional<DeliveryRecord>(std::move(**row));
}

}  // namespace civicpub::storage::deliveries
