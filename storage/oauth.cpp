#include "storage/oauth.hpp"

#include "storage/detail/query.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::oauth {
namespace {

#define CIVICPUB_APP_COLUMNS \
  "id, client_id, secret_hash, name, website, redirect_uris, scopes, created_at"
#define CIVICPUB_TOKEN_COLUMNS \
  "id, token_hash, app_id, actor_id, scopes, created_at, expires_at, revoked_at, staff_id"
#define CIVICPUB_CODE_COLUMNS                                                            \
  "code_hash, app_id, actor_id, redirect_uri, scopes, code_challenge, created_at, expires_at, " \
  "used_at, staff_id"

constexpr const char* kInsertApp = R"sql(
INSERT INTO oauth_apps (client_id, secret_hash, name, website, redirect_uris, scopes, created_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id
)sql";
constexpr const char* kFindAppByClientId =
    "SELECT " CIVICPUB_APP_COLUMNS " FROM oauth_apps WHERE client_id = ?1";
constexpr const char* kFindAppById = "SELECT " CIVICPUB_APP_COLUMNS " FROM oauth_apps WHERE id = ?1";
constexpr const char* kInsertToken = R"sql(
INSERT INTO oauth_tokens (token_hash, app_id, actor_id, scopes, created_at, expires_at, revoked_at,
  staff_id)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id
)sql";
constexpr const char* kFindToken =
    "SELECT " CIVICPUB_TOKEN_COLUMNS " FROM oauth_tokens WHERE token_hash = ?1";
constexpr const char* kRevokeToken =
    "UPDATE oauth_tokens SET revoked_at = ?3 "
    "WHERE token_hash = ?1 AND app_id = ?2 AND revoked_at IS NULL RETURNING id";
constexpr const char* kInsertCode = R"sql(
INSERT INTO oauth_codes (code_hash, app_id, actor_id, redirect_uri, scopes, code_challenge,
  created_at, expires_at, used_at, staff_id)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL, ?9)
)sql";
constexpr const char* kRedeemCode =
    "UPDATE oauth_codes SET used_at = ?2 WHERE code_hash = ?1 AND used_at IS NULL "
    "RETURNING " CIVICPUB_CODE_COLUMNS;

OAuthAppRecord read_app(const Statement& s) {
  OAuthAppRecord a;
  a.id = s.column_int64(0);
  a.client_id = s.column_text(1);
  a.secret_hash = s.column_text(2);
  a.name = s.column_text(3);
  a.website = s.column_text(4);
  a.redirect_uris = s.column_text(5);
  a.scopes = s.column_text(6);
  a.created_at = s.column_int64(7);
  return a;
}

OAuthTokenRecord read_token(const Statement& s) {
  OAuthTokenRecord t;
  t.id = s.column_int64(0);
  t.token_hash = s.column_text(1);
  t.app_id = s.column_int64(2);
  t.actor_id = s.column_optional_int64(3);
  t.scopes = s.column_text(4);
  t.created_at = s.column_int64(5);
  t.expires_at = s.column_optional_int64(6);
  t.revoked_at = s.column_optional_int64(7);
  t.staff_id = s.column_optional_int64(8);
  return t;
}

OAuthCodeRecord read_code(const Statement& s) {
  OAuthCodeRecord c;
  c.code_hash = s.column_text(0);
  c.app_id = s.column_int64(1);
  c.actor_id = s.column_int64(2);
  c.redirect_uri = s.column_text(3);
  c.scopes = s.column_text(4);
  c.code_challenge = s.column_text(5);
  c.created_at = s.column_int64(6);
  c.expires_at = s.column_int64(7);
  // used_at (column 8) is the redemption time just set; the record reports the code as it was.
  c.staff_id = s.column_optional_int64(9);
  return c;
}

}  // namespace

Result<std::int64_t> insert_app(Connection& conn, const OAuthAppRecord& a) {
  auto s = Statement::prepare(conn, kInsertApp);
  if (!s) return s.error();
  s->bind(1, a.client_id).bind(2, a.secret_hash).bind(3, a.name).bind(4, a.website);
  s->bind(5, a.redirect_uris).bind(6, a.scopes).bind(7, a.created_at);
  return detail::fetch_int(*s);
}

Result<std::optional<OAuthAppRecord>> find_app_by_client_id(Connection& conn,
                                                            std::string_view client_id) {
  auto s = Statement::prepare(conn, kFindAppByClientId);
  if (!s) return s.error();
  s->bind(1, client_id);
  return detail::fetch_one(*s, read_app);
}

Result<std::optional<OAuthAppRecord>> find_app_by_id(Connection& conn, std::int64_t id) {
  auto s = Statement::prepare(conn, kFindAppById);
  if (!s) return s.error();
  s->bind(1, id);
  return detail::fetch_one(*s, read_app);
}

Result<std::int64_t> insert_token(Connection& conn, const OAuthTokenRecord& t) {
  auto s = Statement::prepare(conn, kInsertToken);
  if (!s) return s.error();
  s->bind(1, t.token_hash).bind(2, t.app_id).bind(3, t.actor_id).bind(4, t.scopes);
  s->bind(5, t.created_at).bind(6, t.expires_at).bind(7, t.revoked_at).bind(8, t.staff_id);
  return detail::fetch_int(*s);
}

Result<std::optional<OAuthTokenRecord>> find_token(Connection& conn, std::string_view token_hash) {
  auto s = Statement::prepare(conn, kFindToken);
  if (!s) return s.error();
  s->bind(1, token_hash);
  return detail::fetch_one(*s, read_token);
}

Result<std::optional<std::int64_t>> revoke_token(Connection& conn, std::string_view token_hash,
                                                 std::int64_t app_id, Millis at) {
  auto s = Statement::prepare(conn, kRevokeToken);
  if (!s) return s.error();
  s->bind(1, token_hash).bind(2, app_id).bind(3, at);
  return detail::fetch_one(*s, [](const Statement& st) { return st.column_int64(0); });
}

Result<void> insert_code(Connection& conn, const OAuthCodeRecord& c) {
  auto s = Statement::prepare(conn, kInsertCode);
  if (!s) return s.error();
  s->bind(1, c.code_hash).bind(2, c.app_id).bind(3, c.actor_id).bind(4, c.redirect_uri);
  s->bind(5, c.scopes).bind(6, c.code_challenge).bind(7, c.created_at).bind(8, c.expires_at);
  s->bind(9, c.staff_id);
  return s->run();
}

Result<std::optional<OAuthCodeRecord>> redeem_code(Connection& conn, std::string_view code_hash,
                                                   Millis at) {
  auto s = Statement::prepare(conn, kRedeemCode);
  if (!s) return s.error();
  s->bind(1, code_hash).bind(2, at);
  auto row = detail::fetch_one(*s, read_code);
  if (!row) return row.error();
  // Step to the end so the UPDATE completes (RETURNING rows come before the change is final).
  (void)s->step();
  return row;
}

}  // namespace civicpub::storage::oauth
