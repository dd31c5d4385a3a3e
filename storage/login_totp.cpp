#include "storage/login_totp.hpp"

#include "storage/detail/query.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::login_totp {
namespace {

constexpr const char* kSet =
    "INSERT INTO login_totp (actor_id, secret_hex, last_step, created_at) VALUES (?1, ?2, NULL, ?3) "
    "ON CONFLICT (actor_id) DO UPDATE SET secret_hex = excluded.secret_hex, last_step = NULL, "
    "created_at = excluded.created_at";
constexpr const char* kRemove = "DELETE FROM login_totp WHERE actor_id = ?1";
constexpr const char* kFind =
    "SELECT actor_id, secret_hex, last_step, created_at FROM login_totp WHERE actor_id = ?1";
// One statement: two requests with the same code cannot both pass.
constexpr const char* kAcceptStep =
    "UPDATE login_totp SET last_step = ?2 "
    "WHERE actor_id = ?1 AND (last_step IS NULL OR last_step < ?2)";

}  // namespace

Result<void> set(Connection& conn, std::int64_t actor_id, std::string_view secret_hex, Millis now) {
  auto s = Statement::prepare(conn, kSet);
  if (!s) return s.error();
  s->bind(1, actor_id).bind(2, secret_hex).bind(3, now);
  return s->run();
}

Result<bool> remove(Connection& conn, std::int64_t actor_id) {
  auto s = Statement::prepare(conn, kRemove);
  if (!s) return detail::fail<bool>(s.error());
  s->bind(1, actor_id);
  if (auto r = s->run(); !r) return detail::fail<bool>(r.error());
  return conn.changes() > 0;
}

Result<std::optional<TotpRecord>> find(Connection& conn, std::int64_t actor_id) {
  auto s = Statement::prepare(conn, kFind);
  if (!s) return s.error();
  s->bind(1, actor_id);
  return detail::fetch_one(*s, [](const Statement& st) {
    TotpRecord r;
    r.actor_id = st.column_int64(0);
    r.secret_hex = st.column_text(1);
    r.last_step = st.column_optional_int64(2);
    r.created_at = st.column_int64(3);
    return r;
  });
}

Result<bool> accept_step(Connection& conn, std::int64_t actor_id, std::int64_t step) {
  auto s = Statement::prepare(conn, kAcceptStep);
  if (!s) return detail::fail<bool>(s.error());
  s->bind(1, actor_id).bind(2, step);
  if (auto r = s->run(); !r) return detail::fail<bool>(r.error());
  return conn.changes() > 0;
}

}  // namespace civicpub::storage::login_totp
