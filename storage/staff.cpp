#include "storage/staff.hpp"

#include "storage/detail/query.hpp"
#include "storage/errors.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage {

std::string_view to_string(StaffRole role) noexcept {
  switch (role) {
    case StaffRole::post: return "post";
    case StaffRole::moderate: return "moderate";
    case StaffRole::admin: return "admin";
  }
  return "post";
}

std::optional<StaffRole> parse_staff_role(std::string_view text) noexcept {
  if (text == "post") return StaffRole::post;
  if (text == "moderate") return StaffRole::moderate;
  if (text == "admin") return StaffRole::admin;
  return std::nullopt;
}

}  // namespace civicpub::storage

namespace civicpub::storage::staff {
namespace {

constexpr const char* kGrant = R"sql(
INSERT INTO staff_grants (staff_id, account_id, role, created_at) VALUES (?1, ?2, ?3, ?4)
ON CONFLICT (staff_id, account_id) DO UPDATE SET role = excluded.role
)sql";
constexpr const char* kRevoke = "DELETE FROM staff_grants WHERE staff_id = ?1 AND account_id = ?2";
constexpr const char* kFind =
    "SELECT staff_id, account_id, role, created_at FROM staff_grants "
    "WHERE staff_id = ?1 AND account_id = ?2";
constexpr const char* kAddAudit = R"sql(
INSERT INTO audit_log (account_id, staff_id, app_id, action, object_uri, created_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id
)sql";
constexpr const char* kAudit = R"sql(
SELECT l.id, l.account_id, l.staff_id, l.app_id, l.action, l.object_uri, l.created_at,
  a.username, s.username
FROM audit_log l JOIN actors a ON a.id = l.account_id JOIN actors s ON s.id = l.staff_id
WHERE (?1 IS NULL OR l.account_id = ?1)
ORDER BY l.id DESC LIMIT ?2
)sql";

std::optional<StaffGrantRecord> read_grant(const Statement& s) {
  auto role = parse_staff_role(s.column_text(2));
  if (!role) return std::nullopt;
  return StaffGrantRecord{s.column_int64(0), s.column_int64(1), *role, s.column_int64(3)};
}

AuditRecord read_audit(const Statement& s) {
  AuditRecord r;
  r.id = s.column_int64(0);
  r.account_id = s.column_int64(1);
  r.staff_id = s.column_int64(2);
  r.app_id = s.column_optional_int64(3);
  r.action = s.column_text(4);
  r.object_uri = s.column_text(5);
  r.created_at = s.column_int64(6);
  r.account_username = s.column_text(7);
  r.staff_username = s.column_text(8);
  return r;
}

}  // namespace

Result<void> grant(Connection& conn, const StaffGrantRecord& g) {
  auto s = Statement::prepare(conn, kGrant);
  if (!s) return s.error();
  s->bind(1, g.staff_id).bind(2, g.account_id).bind(3, to_string(g.role)).bind(4, g.created_at);
  return s->run();
}

Result<bool> revoke(Connection& conn, std::int64_t staff_id, std::int64_t account_id) {
  auto s = Statement::prepare(conn, kRevoke);
  if (!s) return detail::fail<bool>(s.error());
  s->bind(1, staff_id).bind(2, account_id);
  if (auto r = s->run(); !r) return detail::fail<bool>(r.error());
  return conn.changes() > 0;
}

Result<std::optional<StaffGrantRecord>> find(Connection& conn, std::int64_t staff_id,
                                             std::int64_t account_id) {
  auto s = Statement::prepare(conn, kFind);
  if (!s) return s.error();
  s->bind(1, staff_id).bind(2, account_id);
  auto row = detail::fetch_one(*s, read_grant);
  if (!row) return row.error();
  if (!*row) return std::optional<StaffGrantRecord>();
  if (!**row) return make_error_code(Errc::corrupt);
  return std::move(**row);
}

Result<std::int64_t> add_audit(Connection& conn, const AuditRecord& e) {
  auto s = Statement::prepare(conn, kAddAudit);
  if (!s) return s.error();
  s->bind(1, e.account_id).bind(2, e.staff_id).bind(3, e.app_id).bind(4, e.action);
  s->bind(5, e.object_uri).bind(6, e.created_at);
  return detail::fetch_int(*s);
}

Result<std::vector<AuditRecord>> audit(Connection& conn, std::optional<std::int64_t> account_id,
                                       int limit) {
  auto s = Statement::prepare(conn, kAudit);
  if (!s) return s.error();
  s->bind(1, account_id).bind(2, limit);
  return detail::fetch_all(*s, read_audit);
}

}  // namespace civicpub::storage::staff
