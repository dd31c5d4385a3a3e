#include "storage/reports.hpp"

#include "storage/detail/query.hpp"
#include "storage/errors.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage {

std::string_view to_string(ReportDirection d) noexcept {
  return d == ReportDirection::sent ? "sent" : "received";
}

}  // namespace civicpub::storage

namespace civicpub::storage::reports {
namespace {

#define CIVICPUB_REPORT_COLUMNS                                                          \
  "id, direction, activity_uri, reporter_uri, account_uri, object_uris, comment, created_at, " \
  "resolved_at"
constexpr const char* kInsert = R"sql(
INSERT INTO reports (direction, activity_uri, reporter_uri, account_uri, object_uris, comment,
  created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
)sql";
constexpr const char* kList = "SELECT " CIVICPUB_REPORT_COLUMNS
                              " FROM reports WHERE (?1 = 1 OR resolved_at IS NULL) "
                              "ORDER BY id DESC LIMIT ?2";
constexpr const char* kFind = "SELECT " CIVICPUB_REPORT_COLUMNS " FROM reports WHERE id = ?1";
constexpr const char* kResolve =
    "UPDATE reports SET resolved_at = COALESCE(resolved_at, ?2) WHERE id = ?1";
#undef CIVICPUB_REPORT_COLUMNS

// Object ids are stored one per line: an id holds no line break (the handlers check it).
std::string join_lines(const std::vector<std::string>& uris) {
  std::string out;
  for (const auto& uri : uris) {
    if (!out.empty()) out += '\n';
    out += uri;
  }
  return out;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

ReportRecord read_row(const Statement& s) {
  ReportRecord r;
  r.id = s.column_int64(0);
  r.direction = s.column_text(1) == "sent" ? ReportDirection::sent : ReportDirection::received;
  r.activity_uri = s.column_text(2);
  r.reporter_uri = s.column_text(3);
  r.account_uri = s.column_text(4);
  r.object_uris = split_lines(s.column_text(5));
  r.comment = s.column_text(6);
  r.created_at = s.column_int64(7);
  r.resolved_at = s.column_optional_int64(8);
  return r;
}

}  // namespace

Result<std::int64_t> insert(Connection& conn, const ReportRecord& report) {
  auto s = Statement::prepare(conn, kInsert);
  if (!s) return s.error();
  s->bind(1, to_string(report.direction)).bind(2, report.activity_uri);
  s->bind(3, report.reporter_uri).bind(4, report.account_uri);
  s->bind(5, join_lines(report.object_uris)).bind(6, report.comment).bind(7, report.created_at);
  if (auto r = s->run(); !r) return r.error();
  return conn.last_insert_rowid();
}

Result<std::vector<ReportRecord>> list(Connection& conn, bool include_resolved, int limit) {
  auto s = Statement::prepare(conn, kList);
  if (!s) return s.error();
  s->bind(1, include_resolved).bind(2, limit);
  return detail::fetch_all(*s, read_row);
}

Result<std::optional<ReportRecord>> find(Connection& conn, std::int64_t id) {
  auto s = Statement::prepare(conn, kFind);
  if (!s) return s.error();
  s->bind(1, id);
  return detail::fetch_one(*s, read_row);
}

Result<void> resolve(Connection& conn, std::int64_t id, Millis now) {
  auto s = Statement::prepare(conn, kResolve);
  if (!s) return s.error();
  s->bind(1, id).bind(2, now);
  return detail::run_expect_change(conn, *s);
}

}  // namespace civicpub::storage::reports
