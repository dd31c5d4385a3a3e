#include "storage/migrations.hpp"

#include "storage/errors.hpp"
#include "storage/statement.hpp"

#include <string>

namespace civicpub::storage {
namespace {

constexpr std::string_view kGetUserVersion = "PRAGMA user_version";

}  // namespace

Result<int> schema_version(Connection& conn) {
  auto stmt = Statement::prepare(conn, kGetUserVersion);
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return make_error_code(Errc::internal);
  return static_cast<int>(stmt->column_int64(0));
}

namespace {

Result<void> apply(Connection& conn, const Migration& m) {
  if (auto r = conn.exec("BEGIN IMMEDIATE"); !r) return r.error();
  // Another process may have migrated between our version check and the lock: look again.
  auto now = schema_version(conn);
  if (now && *now >= m.version) return conn.exec("COMMIT");
  Result<void> ok = now ? conn.exec(m.sql) : Result<void>(now.error());
  // PRAGMA cannot take a bound parameter; the version is our own integer.
  if (ok) ok = conn.exec("PRAGMA user_version = " + std::to_string(m.version));
  if (ok) ok = conn.exec("COMMIT");
  if (!ok) {
    (void)conn.exec("ROLLBACK");
    return make_error_code(Errc::migration_failed);
  }
  return {};
}

}  // namespace

Result<int> migrate(Connection& conn) { return migrate(conn, migrations()); }

Result<int> migrate(Connection& conn, std::span<const Migration> list) {
  auto current = schema_version(conn);
  if (!current) return current.error();
  const int known = list.empty() ? 0 : list.back().version;
  if (*current > known) return make_error_code(Errc::schema_too_new);
  int version = *current;
  for (const auto& m : list) {
    if (m.version <= version) continue;
    if (m.version != version + 1) return make_error_code(Errc::migration_failed);  // a gap
    if (auto r = apply(conn, m); !r) return r.error();
    version = m.version;
  }
  return version;
}

}  // namespace civicpub::storage
