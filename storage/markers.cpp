#include "storage/markers.hpp"

#include "storage/detail/query.hpp"
#include "storage/errors.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::markers {
namespace {

constexpr const char* kSave = R"sql(
INSERT INTO markers (account_id, timeline, last_read_id, version, updated_at)
VALUES (?1, ?2, ?3, 1, ?4)
ON CONFLICT (account_id, timeline) DO UPDATE SET last_read_id = excluded.last_read_id,
  version = markers.version + 1, updated_at = excluded.updated_at
RETURNING account_id, timeline, last_read_id, version, updated_at
)sql";
constexpr const char* kOfAccount =
    "SELECT account_id, timeline, last_read_id, version, updated_at FROM markers "
    "WHERE account_id = ?1 ORDER BY timeline";

MarkerRecord read_marker(const Statement& s) {
  return {s.column_int64(0), s.column_text(1), s.column_text(2), s.column_int64(3),
          s.column_int64(4)};
}

}  // namespace

Result<MarkerRecord> save(Connection& conn, std::int64_t account_id, std::string_view timeline,
                          std::string_view last_read_id, Millis now) {
  auto s = Statement::prepare(conn, kSave);
  if (!s) return s.error();
  s->bind(1, account_id).bind(2, timeline).bind(3, last_read_id).bind(4, now);
  auto row = detail::fetch_one(*s, read_marker);
  if (!row) return row.error();
  (void)s->step();  // finish the statement so the change is complete
  if (!*row) return make_error_code(Errc::internal);
  return std::move(**row);
}

Result<std::vector<MarkerRecord>> of_account(Connection& conn, std::int64_t account_id) {
  auto s = Statement::prepare(conn, kOfAccount);
  if (!s) return s.error();
  s->bind(1, account_id);
  return detail::fetch_all(*s, read_marker);
}

}  // namespace civicpub::storage::markers
