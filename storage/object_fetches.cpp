#include "storage/object_fetches.hpp"

#include "storage/detail/query.hpp"
#include "storage/statement.hpp"

#include <string>

namespace civicpub::storage::object_fetches {
namespace {

constexpr const char* kFind =
    "SELECT uri, thread, attempted_at, succeeded_at, failures, last_error FROM object_fetches "
    "WHERE uri = ?1";
constexpr const char* kRecord = R"sql(
INSERT INTO object_fetches (uri, thread, attempted_at, succeeded_at, failures, last_error)
VALUES (?1, ?2, ?3, CASE WHEN ?4 THEN ?3 END, CASE WHEN ?4 THEN 0 ELSE 1 END, ?5)
ON CONFLICT (uri) DO UPDATE SET
  thread = CASE WHEN excluded.thread <> '' THEN excluded.thread ELSE object_fetches.thread END,
  attempted_at = excluded.attempted_at,
  succeeded_at = CASE WHEN ?4 THEN excluded.attempted_at ELSE object_fetches.succeeded_at END,
  failures = CASE WHEN ?4 THEN 0 ELSE object_fetches.failures + 1 END,
  last_error = excluded.last_error
)sql";
constexpr const char* kCountForThread =
    "SELECT COUNT(*) FROM object_fetches WHERE thread = ?1 AND thread <> '' AND attempted_at >= ?2";
// A range of the primary key: every uri starting with "<origin>/".
constexpr const char* kCountUnder =
    "SELECT COUNT(*) FROM object_fetches WHERE uri >= ?1 AND uri < ?2 AND attempted_at >= ?3";
constexpr const char* kMoveThread =
    "UPDATE object_fetches SET thread = ?2 WHERE thread = ?1 AND thread <> '' AND ?1 <> ?2";

}  // namespace

Result<std::optional<ObjectFetchRecord>> find(Connection& conn, std::string_view uri) {
  auto s = Statement::prepare(conn, kFind);
  if (!s) return s.error();
  s->bind(1, uri);
  return detail::fetch_one(*s, [](const Statement& st) {
    ObjectFetchRecord r;
    r.uri = st.column_text(0);
    r.thread = st.column_text(1);
    r.attempted_at = st.column_int64(2);
    r.succeeded_at = st.column_optional_int64(3);
    r.failures = static_cast<int>(st.column_int64(4));
    r.last_error = st.column_text(5);
    return r;
  });
}

Result<void> record(Connection& conn, std::string_view uri, std::string_view thread, Millis at,
                    bool ok, std::string_view error) {
  auto s = Statement::prepare(conn, kRecord);
  if (!s) return s.error();
  s->bind(1, uri).bind(2, thread).bind(3, at).bind(4, ok).bind(5, ok ? std::string_view{} : error);
  return s->run();
}

Result<std::int64_t> count_for_thread(Connection& conn, std::string_view thread, Millis since) {
  auto s = Statement::prepare(conn, kCountForThread);
  if (!s) return s.error();
  s->bind(1, thread).bind(2, since);
  return detail::fetch_int(*s);
}

Result<std::int64_t> count_under(Connection& conn, std::string_view origin, Millis since) {
  auto s = Statement::prepare(conn, kCountUnder);
  if (!s) return s.error();
  const std::string low = std::string(origin) + "/";
  const std::string high = std::string(origin) + "0";  // '0' follows '/'
  s->bind(1, low).bind(2, high).bind(3, since);
  return detail::fetch_int(*s);
}

Result<std::int64_t> move_thread(Connection& conn, std::string_view old_thread,
                                 std::string_view new_thread) {
  auto s = Statement::prepare(conn, kMoveThread);
  if (!s) return s.error();
  s->bind(1, old_thread).bind(2, new_thread);
  if (auto r = s->run(); !r) return r.error();
  return static_cast<std::int64_t>(conn.changes());
}

}  // namespace civicpub::storage::object_fetches
