#include "server/services/oauth_service.hpp"

#include "federation/crypto/random.hpp"
#include "federation/crypto/sha256.hpp"
#include "federation/storage_async.hpp"
#include "server/services/logins.hpp"
#include "server/services/two_factor.hpp"
#include "server/services/staff.hpp"
#include "storage/actors.hpp"
#include "storage/oauth.hpp"
#include "storage/oauth_sessions.hpp"

#include <algorithm>

namespace civicpub::server::services {
namespace {

namespace crypto = federation::crypto;

class OAuthCategory final : public KindedCategory {
 public:
  const char* name() const noexcept override { return "civicpub.oauth"; }
  // The RFC 6749 error codes: the token endpoint puts them in its `error` member as they are.
  std::string message(int value) const override {
    switch (static_cast<OAuthError>(value)) {
      case OAuthError::invalid_request: return "invalid_request";
      case OAuthError::invalid_client: return "invalid_client";
      case OAuthError::invalid_grant: return "invalid_grant";
      case OAuthError::invalid_scope: return "invalid_scope";
      case OAuthError::invalid_redirect_uri: return "invalid_redirect_uri";
      case OAuthError::unsupported_grant_type: return "unsupported_grant_type";
      case OAuthError::invalid_token: return "The access token is invalid";
      case OAuthError::token_expired: return "The access token expired";
      case OAuthError::token_revoked: return "The access token was revoked";
    }
    return "oauth error";
  }
  ErrorKind kind(int value) const noexcept override {
    switch (static_cast<OAuthError>(value)) {
      case OAuthError::invalid_client:
      case OAuthError::invalid_token:
      case OAuthError::token_expired:
      case OAuthError::token_revoked: return ErrorKind::unauthorized;
      case OAuthError::invalid_request:
      case OAuthError::invalid_grant:
      case OAuthError::invalid_scope:
      case OAuthError::invalid_redirect_uri:
      case OAuthError::unsupported_grant_type: return ErrorKind::invalid_input;
    }
    return ErrorKind::internal;
  }
};

std::vector<std::string_view> split_uris(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto end = text.find_first_of(" \r\n\t", i);
    const auto word = text.substr(i, end == std::string_view::npos ? text.size() - i : end - i);
    if (!word.empty()) out.push_back(word);
    if (end == std::string_view::npos) break;
    i = end + 1;
  }
  return out;
}

// An absolute URI with a scheme (an app's custom scheme such as `tusky://` counts) and no
// fragment (RFC 6749 section 3.1.2), or the out-of-band marker.
bool acceptable_redirect_uri(std::string_view uri) {
  if (uri == kOutOfBand) return true;
  const auto colon = uri.find(':');
  if (colon == std::string_view::npos || colon == 0 || uri.size() > 2000) return false;
  const bool scheme_ok = std::all_of(uri.begin(), uri.begin() + static_cast<long>(colon), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '+' || c == '-' || c == '.';
  });
  return scheme_ok && uri.find('#') == std::string_view::npos &&
         uri.find_first_of(" \t\r\n\"<>") == std::string_view::npos;
}

bool pkce_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}


// Write jobs are built here, outside the coroutine bodies (GCC 12, docs/architecture.md).
auto insert_app_job(storage::OAuthAppRecord app) {
  return [app = std::move(app)](storage::Connection& conn) {
    return storage::oauth::insert_app(conn, app);
  };
}
auto insert_token_job(storage::OAuthTokenRecord token) {
  return [token = std::move(token)](storage::Connection& conn) {
    return storage::oauth::insert_token(conn, token);
  };
}
auto insert_code_job(storage::OAuthCodeRecord code) {
  return [code = std::move(code)](storage::Connection& conn) {
    return storage::oauth::insert_code(conn, code);
  };
}
auto redeem_code_job(std::string hash, storage::Millis now) {
  return [hash = std::move(hash), now](storage::Connection& conn) {
    return storage::oauth::redeem_code(conn, hash, now);
  };
}
auto touch_job(std::int64_t token_id, storage::Millis now) {
  return [token_id, now](storage::Connection& conn) {
    return storage::oauth::touch_token(conn, token_id, now);
  };
}

auto revoke_job(std::string hash, std::int64_t app_id, storage::Millis now) {
  return [hash = std::move(hash), app_id, now](storage::Connection& conn) {
    return storage::oauth::revoke_token(conn, hash, app_id, now);
  };
}

}  // namespace

const KindedCategory& oauth_error_category() noexcept {
  static const OAuthCategory category;
  return category;
}

bool pkce_s256_matches(std::string_view verifier, std::string_view challenge) {
  if (verifier.size() < 43 || verifier.size() > 128) return false;
  if (!std::all_of(verifier.begin(), verifier.end(), pkce_char)) return false;
  return crypto::base64url_encode(crypto::sha256(verifier)) == challenge;
}

bool OAuthService::redirect_uri_registered(const storage::OAuthAppRecord& app,
                                           std::string_view uri) {
  const auto registered = split_uris(app.redirect_uris);
  return std::find(registered.begin(), registered.end(), uri) != registered.end();
}

Result<ScopeSet> OAuthService::requested_scopes(const storage::OAuthAppRecord& app,
                                                std::string_view scopes) {
  auto registered = ScopeSet::parse(app.scopes);
  if (!registered) return make_error_code(OAuthError::invalid_scope);
  if (scopes.find_first_not_of(" +") == std::string_view::npos) return *registered;
  auto asked = ScopeSet::parse(scopes);
  if (!asked || !registered->covers(*asked)) return make_error_code(OAuthError::invalid_scope);
  return *asked;
}

boost::asio::awaitable<Result<RegisteredApp>> OAuthService::register_app(NewApp app) {
  if (app.name.empty() || app.name.size() > 200 || app.website.size() > 2000) {
    co_return make_error_code(OAuthError::invalid_request);
  }
  const auto uris = split_uris(app.redirect_uris);
  if (uris.empty() || uris.size() > 20) co_return make_error_code(OAuthError::invalid_redirect_uri);
  if (!std::all_of(uris.begin(), uris.end(), acceptable_redirect_uri)) {
    co_return make_error_code(OAuthError::invalid_redirect_uri);
  }
  auto scopes = ScopeSet::parse(app.scopes);
  if (!scopes) co_return make_error_code(OAuthError::invalid_scope);
  std::string joined;
  for (auto uri : uris) {
    if (!joined.empty()) joined += '\n';
    joined += uri;
  }
  RegisteredApp out;
  out.client_secret = crypto::random_token();
  out.app.client_id = crypto::random_token();
  out.app.secret_hash = crypto::sha256_hex(out.client_secret);
  out.app.name = app.name;
  out.app.website = app.website;
  out.app.redirect_uris = std::move(joined);
  out.app.scopes = scopes->text();
  out.app.created_at = clock_();
  auto job = insert_app_job(out.app);
  auto id = co_await federation::write(db_, std::move(job));
  if (!id) co_return id.error();
  out.app.id = *id;
  co_return out;
}

Result<storage::OAuthAppRecord> OAuthService::find_app(std::string_view client_id) {
  auto app = db_.read([&](storage::Connection& conn) {
    return storage::oauth::find_app_by_client_id(conn, client_id);
  });
  if (!app) return app.error();
  if (!*app) return make_error_code(OAuthError::invalid_client);
  return std::move(**app);
}

Result<storage::OAuthAppRecord> OAuthService::authenticate_client(std::string_view client_id,
                                                                  std::string_view client_secret) {
  if (client_id.empty() || client_secret.empty()) return make_error_code(OAuthError::invalid_client);
  auto app = find_app(client_id);
  if (!app) return app.error();
  if (app->secret_hash != crypto::sha256_hex(client_secret)) {
    return make_error_code(OAuthError::invalid_client);
  }
  return app;
}

boost::asio::awaitable<Result<IssuedToken>> OAuthService::issue_token(
    std::int64_t app_id, std::optional<std::int64_t> account_id, ScopeSet scopes,
    std::optional<std::int64_t> staff_id) {
  IssuedToken out;
  out.access_token = crypto::random_token();
  out.record.token_hash = crypto::sha256_hex(out.access_token);
  out.record.app_id = app_id;
  out.record.actor_id = account_id;
  out.record.scopes = scopes.text();
  out.record.staff_id = staff_id;
  out.record.created_at = clock_();
  if (settings_.token_lifetime_ms) {
    out.record.expires_at = out.record.created_at + *settings_.token_lifetime_ms;
  }
  auto job = insert_token_job(out.record);
  auto id = co_await federation::write(db_, std::move(job));
  if (!id) co_return id.error();
  out.record.id = *id;
  co_return out;
}

boost::asio::awaitable<Result<IssuedToken>> OAuthService::password_grant(
    storage::OAuthAppRecord app, std::string login, std::string password, std::string scopes,
    std::string address) {
  auto granted = requested_scopes(app, scopes);
  if (!granted) co_return granted.error();
  if (login.empty() || password.empty()) co_return make_error_code(OAuthError::invalid_request);
  auto account = authenticate(db_, throttle_, login, password, address);
  if (!account) {
    if (account.error() == LoginError::wrong_credentials) {
      co_return make_error_code(OAuthError::invalid_grant);
    }
    co_return account.error();
  }
  // As Mastodon (its Doorkeeper resource_owner_from_credentials returns nobody for a user with
  // otp_required_for_login): a login with a second factor gets no token from a password alone,
  // the answer being the same invalid_grant as a wrong password. Apps use the consent page.
  auto two_factor = has_two_factor(db_, account->id);
  if (!two_factor) co_return two_factor.error();
  if (*two_factor) co_return make_error_code(OAuthError::invalid_grant);
  auto issued = co_await issue_token(app.id, account->id, *granted);
  co_return issued;
}

boost::asio::awaitable<Result<IssuedToken>> OAuthService::client_credentials_grant(
    storage::OAuthAppRecord app, std::string scopes) {
  auto granted = requested_scopes(app, scopes);
  if (!granted) co_return granted.error();
  auto issued = co_await issue_token(app.id, std::nullopt, *granted);
  co_return issued;
}

boost::asio::awaitable<Result<std::string>> OAuthService::issue_code(
    storage::OAuthAppRecord app, std::int64_t account_id, std::optional<std::int64_t> staff_id,
    std::string redirect_uri, std::string scopes, std::string code_challenge, std::string method) {
  if (!redirect_uri_registered(app, redirect_uri)) {
    co_return make_error_code(OAuthError::invalid_redirect_uri);
  }
  auto granted = requested_scopes(app, scopes);
  if (!granted) co_return granted.error();
  if (!code_challenge.empty() && method != "S256") {
    co_return make_error_code(OAuthError::invalid_request);
  }
  if (code_challenge.size() > 128) co_return make_error_code(OAuthError::invalid_request);
  std::string code = crypto::random_token();
  storage::OAuthCodeRecord record;
  record.code_hash = crypto::sha256_hex(code);
  record.app_id = app.id;
  record.actor_id = account_id;
  record.staff_id = staff_id;
  record.redirect_uri = redirect_uri;
  record.scopes = granted->text();
  record.code_challenge = code_challenge;
  record.created_at = clock_();
  record.expires_at = record.created_at + settings_.code_lifetime_ms;
  auto job = insert_code_job(std::move(record));
  auto stored = co_await federation::write(db_, std::move(job));
  if (!stored) co_return stored.error();
  co_return code;
}

boost::asio::awaitable<Result<IssuedToken>> OAuthService::code_grant(
    storage::OAuthAppRecord app, std::string code, std::string redirect_uri,
    std::string code_verifier) {
  if (code.empty()) co_return make_error_code(OAuthError::invalid_request);
  const auto now = clock_();
  auto job = redeem_code_job(crypto::sha256_hex(code), now);
  auto redeemed = co_await federation::write(db_, std::move(job));
  if (!redeemed) co_return redeemed.error();
  if (!*redeemed) co_return make_error_code(OAuthError::invalid_grant);
  const storage::OAuthCodeRecord c = std::move(**redeemed);
  if (c.app_id != app.id || c.expires_at <= now || c.redirect_uri != redirect_uri) {
    co_return make_error_code(OAuthError::invalid_grant);
  }
  if (!c.code_challenge.empty() && !pkce_s256_matches(code_verifier, c.code_challenge)) {
    co_return make_error_code(OAuthError::invalid_grant);
  }
  auto scopes = ScopeSet::parse(c.scopes);
  if (!scopes) co_return make_error_code(OAuthError::invalid_grant);
  auto issued = co_await issue_token(app.id, c.actor_id, *scopes, c.staff_id);
  co_return issued;
}

boost::asio::awaitable<Result<std::optional<std::int64_t>>> OAuthService::revoke(
    storage::OAuthAppRecord app, std::string token) {
  auto job = revoke_job(crypto::sha256_hex(token), app.id, clock_());
  auto revoked = co_await federation::write(db_, std::move(job));
  co_return revoked;
}

namespace {

// `account sessions` shows when a token was last used: at most one write per token every
// kTouchInterval, queued without waiting (a failed one only makes the time older).
void note_use(storage::Database& db, std::int64_t token_id, storage::Millis now) {
  auto last = db.read([&](storage::Connection& conn) {
    return storage::oauth::last_used(conn, token_id);
  });
  if (!last || (*last && now - **last < storage::oauth::kTouchInterval)) return;
  db.write_async(touch_job(token_id, now), [](Result<void>) {});
}

}  // namespace

Result<TokenGrant> OAuthService::authenticate_token(std::string_view token) {
  if (token.empty() || token.size() > 512) return make_error_code(OAuthError::invalid_token);
  const std::string hash = crypto::sha256_hex(token);
  auto found = db_.read([&](storage::Connection& conn) -> Result<std::optional<TokenGrant>> {
    auto t = storage::oauth::find_token(conn, hash);
    if (!t) return t.error();
    if (!*t) return std::optional<TokenGrant>();
    auto app = storage::oauth::find_app_by_id(conn, (*t)->app_id);
    if (!app) return app.error();
    if (!*app) return std::optional<TokenGrant>();
    TokenGrant grant{std::move(**t), std::move(**app), std::nullopt, std::nullopt, {}};
    if (grant.token.actor_id) {
      auto actor = storage::actors::find_by_id(conn, *grant.token.actor_id);
      if (!actor) return actor.error();
      if (!*actor || (*actor)->deleted_at) return std::optional<TokenGrant>();
      grant.account = std::move(**actor);
    }
    if (grant.token.staff_id && grant.account) {
      auto staff = storage::actors::find_by_id(conn, *grant.token.staff_id);
      if (!staff) return staff.error();
      if (!*staff || (*staff)->deleted_at) return std::optional<TokenGrant>();
      auto held = holds_grant(conn, (*staff)->id, grant.account->id);
      if (!held) return held.error();
      if (!*held) return std::optional<TokenGrant>();  // the grant was revoked
      grant.staff = std::move(**staff);
    }
    return std::optional<TokenGrant>(std::move(grant));
  });
  if (!found) return found.error();
  if (!*found) return make_error_code(OAuthError::invalid_token);
  auto& grant = **found;
  if (grant.token.revoked_at) return make_error_code(OAuthError::token_revoked);
  if (grant.token.expires_at && *grant.token.expires_at <= clock_()) {
    return make_error_code(OAuthError::token_expired);
  }
  auto scopes = ScopeSet::parse(grant.token.scopes);
  if (!scopes) return make_error_code(OAuthError::invalid_token);
  grant.scopes = std::move(*scopes);
  note_use(db_, grant.token.id, clock_());
  return std::move(grant);
}

}  // namespace civicpub::server::services
