#include "storage/hosts.hpp"

#include "storage/detail/query.hpp"
#include "storage/errors.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::hosts {
namespace {

// In DO UPDATE every bare column is the old row's value, so "is this a new day" is spelled out
// in both places that need it.
constexpr const char* kRecordFailure = R"sql(
INSERT INTO hosts (host, failure_days, last_failure_day, last_success_at, unavailable)
VALUES (?1, 1, ?2, NULL, CASE WHEN 1 >= ?3 THEN 1 ELSE 0 END)
ON CONFLICT (host) DO UPDATE SET
  failure_days = failure_days +
    CASE WHEN last_failure_day IS NULL OR ?2 > last_failure_day THEN 1 ELSE 0 END,
  last_failure_day = CASE WHEN last_failure_day IS NULL OR ?2 > last_failure_day
    THEN ?2 ELSE last_failure_day END,
  unavailable = CASE WHEN failure_days +
    CASE WHEN last_failure_day IS NULL OR ?2 > last_failure_day THEN 1 ELSE 0 END >= ?3
    THEN 1 ELSE unavailable END
RETURNING host, failure_days, last_failure_day, last_success_at, unavailable
)sql";
constexpr const char* kRecordSuccess = R"sql(
INSERT INTO hosts (host, failure_days, last_failure_day, last_success_at, unavailable)
VALUES (?1, 0, NULL, ?2, 0)
ON CONFLICT (host) DO UPDATE SET failure_days = 0, last_failure_day = NULL,
  last_success_at = excluded.last_success_at, unavailable = 0
)sql";
constexpr const char* kFind =
    "SELECT host, failure_days, last_failure_day, last_success_at, unavailable FROM hosts "
    "WHERE host = ?1";

HostRecord read_row(const Statement& s) {
  return {s.column_text(0), static_cast<int>(s.column_int64(1)), s.column_optional_int64(2),
          s.column_optional_int64(3), s.column_bool(4)};
}

}  // namespace

Result<HostRecord> record_failure(Connection& conn, std::string_view host, std::int64_t utc_day,
                                  int threshold) {
  auto s = Statement::prepare(conn, kRecordFailure);
  if (!s) return s.error();
  s->bind(1, host).bind(2, utc_day).bind(3, threshold);
  auto row = detail::fetch_one(*s, read_row);
  if (!row) return row.error();
  if (!*row) return make_error_code(Errc::internal);  // RETURNING always yields the row
  if (auto rest = s->run(); !rest) return rest.error();
  return std::move(**row);
}

Result<void> record_success(Connection& conn, std::string_view host, Millis now) {
  auto s = Statement::prepare(conn, kRecordSuccess);
  if (!s) return s.error();
  s->bind(1, host).bind(2, now);
  return s->run();
}

Result<std::optional<HostRecord>> find(Connection& conn, std::string_view host) {
  auto s = Statement::prepare(conn, kFind);
  if (!s) return s.error();
  s->bind(1, host);
  return detail::fetch_one(*s, read_row);
}

}  // namespace civicpub::storage::hosts
