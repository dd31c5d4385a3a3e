#include "storage/oauth_sessions.hpp"

#include "storage/detail/query.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::oauth {
namespace {

constexpr const char* kSessionsOf = R"sql(
SELECT t.id, a.name, t.scopes, t.created_at, t.last_used_at, t.expires_at, acct.username
FROM oauth_tokens t
JOIN oauth_apps a ON a.id = t.app_id
JOIN actors acct ON acct.id = t.actor_id
WHERE t.revoked_at IS NULL AND ((t.actor_id = ?1 AND t.staff_id IS NULL) OR t.staff_id = ?1)
ORDER BY t.id DESC LIMIT ?2
)sql";
constexpr const char* kRevokeSession = R"sql(
UPDATE oauth_tokens SET revoked_at = ?3
WHERE id = ?1 AND revoked_at IS NULL AND ((actor_id = ?2 AND staff_id IS NULL) OR staff_id = ?2)
)sql";
constexpr const char* kLastUsed = "SELECT last_used_at FROM oauth_tokens WHERE id = ?1";
constexpr const char* kTouch = "UPDATE oauth_tokens SET last_used_at = ?2 WHERE id = ?1";

OAuthSessionRecord read_session(const Statement& s) {
  OAuthSessionRecord r;
  r.token_id = s.column_int64(0);
  r.app_name = s.column_text(1);
  r.scopes = s.column_text(2);
  r.created_at = s.column_int64(3);
  r.last_used_at = s.column_optional_int64(4);
  r.expires_at = s.column_optional_int64(5);
  r.acting_as = s.column_text(6);
  return r;
}

}  // namespace

Result<std::vector<OAuthSessionRecord>> sessions_of(Connection& conn, std::int64_t login_id,
                                                    int limit) {
  auto s = Statement::prepare(conn, kSessionsOf);
  if (!s) return s.error();
  s->bind(1, login_id).bind(2, limit);
  return detail::fetch_all(*s, read_session);
}

Result<bool> revoke_session(Connection& conn, std::int64_t token_id, std::int64_t login_id,
                            Millis at) {
  auto s = Statement::prepare(conn, kRevokeSession);
  if (!s) return detail::fail<bool>(s.error());
  s->bind(1, token_id).bind(2, login_id).bind(3, at);
  if (auto r = s->run(); !r) return detail::fail<bool>(r.error());
  return conn.changes() > 0;
}

Result<std::optional<Millis>> last_used(Connection& conn, std::int64_t token_id) {
  auto s = Statement::prepare(conn, kLastUsed);
  if (!s) return s.error();
  s->bind(1, token_id);
  auto row = detail::fetch_one(*s, [](const Statement& st) { return st.column_optional_int64(0); });
  if (!row) return row.error();
  if (!*row) return std::optional<Millis>();
  return **row;
}

Result<void> touch_token(Connection& conn, std::int64_t token_id, Millis at) {
  auto s = Statement::prepare(conn, kTouch);
  if (!s) return s.error();
  s->bind(1, token_id).bind(2, at);
  return s->run();
}

}  // namespace civicpub::storage::oauth
