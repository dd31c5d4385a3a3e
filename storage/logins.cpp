#include "storage/logins.hpp"

#include "storage/detail/query.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::logins {
namespace {

constexpr const char* kSetPassword = R"sql(
INSERT INTO local_logins (actor_id, password_hash, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
ON CONFLICT (actor_id) DO UPDATE SET password_hash = excluded.password_hash,
  updated_at = excluded.updated_at
)sql";
constexpr const char* kSetEmail = R"sql(
INSERT INTO local_logins (actor_id, email, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
ON CONFLICT (actor_id) DO UPDATE SET email = excluded.email, updated_at = excluded.updated_at
)sql";
constexpr const char* kFindByActor =
    "SELECT actor_id, email, password_hash, created_at, updated_at FROM local_logins "
    "WHERE actor_id = ?1";
constexpr const char* kFindByEmail =
    "SELECT actor_id, email, password_hash, created_at, updated_at FROM local_logins "
    "WHERE email = ?1 COLLATE NOCASE";

LoginRecord read_row(const Statement& s) {
  LoginRecord r;
  r.actor_id = s.column_int64(0);
  r.email = s.column_optional_text(1);
  r.password_hash = s.column_optional_text(2);
  r.created_at = s.column_int64(3);
  r.updated_at = s.column_int64(4);
  return r;
}

}  // namespace

Result<void> set_password_hash(Connection& conn, std::int64_t actor_id, std::string_view hash,
                               Millis now) {
  auto s = Statement::prepare(conn, kSetPassword);
  if (!s) return s.error();
  s->bind(1, actor_id).bind(2, hash).bind(3, now);
  return s->run();
}

Result<void> set_email(Connection& conn, std::int64_t actor_id, std::string_view email,
                       Millis now) {
  auto s = Statement::prepare(conn, kSetEmail);
  if (!s) return s.error();
  s->bind(1, actor_id).bind(2, email).bind(3, now);
  return s->run();
}

Result<std::optional<LoginRecord>> find_by_actor(Connection& conn, std::int64_t actor_id) {
  auto s = Statement::prepare(conn, kFindByActor);
  if (!s) return s.error();
  s->bind(1, actor_id);
  return detail::fetch_one(*s, read_row);
}

Result<std::optional<LoginRecord>> find_by_email(Connection& conn, std::string_view email) {
  auto s = Statement::prepare(conn, kFindByEmail);
  if (!s) return s.error();
  s->bind(1, email);
  return detail::fetch_one(*s, read_row);
}

}  // namespace civicpub::storage::logins
