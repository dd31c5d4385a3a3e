// OAuth 2 for the Mastodon client API (issue 13; RFC 6749, RFC 7636 PKCE, RFC 7009 revocation).
// Apps register themselves (POST /api/v1/apps); tokens come from the password grant, the
// authorization code grant (codes issued by the consent page, PKCE S256 checked) or the
// client_credentials grant (an app-only token). Client secrets, tokens and codes are random
// 256-bit values handed out once and stored only as their SHA-256 (storage/oauth.hpp).
#pragma once

#include "federation/clock.hpp"
#include "server/services/login_throttle.hpp"
#include "server/services/scopes.hpp"
#include "common/error_kind.hpp"
#include "storage/database.hpp"
#include "storage/oauth.hpp"
#include "storage/records.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace civicpub::server::services {

enum class OAuthError {
  invalid_request = 1,     // a required parameter is missing or malformed (invalid_input)
  invalid_client,          // unknown client_id or wrong client_secret (unauthorized)
  invalid_grant,           // wrong password, unknown/used/expired code, PKCE mismatch (invalid_input)
  invalid_scope,           // unknown scope, or one the app did not register (invalid_input)
  invalid_redirect_uri,    // not one of the app's registered redirect URIs (invalid_input)
  unsupported_grant_type,  // (invalid_input)
  invalid_token,           // no such access token (unauthorized)
  token_expired,           // (unauthorized)
  token_revoked,           // (unauthorized)
};

const civicpub::KindedCategory& oauth_error_category() noexcept;

inline boost::system::error_code make_error_code(OAuthError e) noexcept {
  return {static_cast<int>(e), oauth_error_category()};
}

// The out-of-band redirect URI: the consent page shows the code instead of redirecting.
inline constexpr std::string_view kOutOfBand = "urn:ietf:wg:oauth:2.0:oob";

struct OAuthSettings {
  storage::Millis code_lifetime_ms = 10 * 60 * 1000;
  // Tokens do not expire by default (as Mastodon's); set to limit their life.
  std::optional<storage::Millis> token_lifetime_ms;
};

struct NewApp {
  std::string name;
  std::string redirect_uris;  // space- or newline-separated; absolute URIs or kOutOfBand
  std::string scopes;         // empty: read
  std::string website;
};

struct RegisteredApp {
  storage::OAuthAppRecord app;
  std::string client_secret;  // the only time it is known in clear
};

struct IssuedToken {
  std::string access_token;  // the only time it is known in clear
  storage::OAuthTokenRecord record;
};

// What an API request authenticated with a bearer token may do.
struct TokenGrant {
  storage::OAuthTokenRecord token;
  storage::OAuthAppRecord app;
  std::optional<storage::ActorRecord> account;  // empty for app-only tokens; else acted as
  // The staff login acting for `account` under a staff grant (services/staff.hpp); empty when
  // the account acts for itself.
  std::optional<storage::ActorRecord> staff;
  ScopeSet scopes;
};

// RFC 7636 section 4.6: BASE64URL(SHA256(verifier)) == challenge. The verifier must be 43 to 128
// characters of [A-Za-z0-9-._~].
bool pkce_s256_matches(std::string_view verifier, std::string_view challenge);

class OAuthService {
 public:
  OAuthService(storage::Database& db, LoginThrottle& throttle, federation::Clock clock,
               OAuthSettings settings = {})
      : db_(db), throttle_(throttle), clock_(std::move(clock)), settings_(settings) {}

  // Writes go through the single writer without blocking the calling thread (co_await). The
  // password check (argon2, ~30 ms) runs on the calling thread.
  // Errors: OAuthError::invalid_request (no name, name or website too long, no redirect URI),
  // invalid_redirect_uri, invalid_scope; storage errors.
  boost::asio::awaitable<Result<RegisteredApp>> register_app(NewApp app);

  // The app with this client_id (no secret check: the consent page and verify_credentials).
  Result<storage::OAuthAppRecord> find_app(std::string_view client_id);
  // The app, if the secret matches. OAuthError::invalid_client otherwise.
  Result<storage::OAuthAppRecord> authenticate_client(std::string_view client_id,
                                                      std::string_view client_secret);

  // The resource owner password grant. `scopes` empty: the app's scopes. Errors: invalid_scope,
  // LoginError::throttled, OAuthError::invalid_grant (wrong login or password).
  boost::asio::awaitable<Result<IssuedToken>> password_grant(storage::OAuthAppRecord app,
                                                             std::string login, std::string password,
                                                             std::string scopes, std::string address);
  boost::asio::awaitable<Result<IssuedToken>> client_credentials_grant(storage::OAuthAppRecord app,
                                                                       std::string scopes);

  // After the consent page authenticated `account_id`: a code for the app. `code_challenge`
  // empty: no PKCE; else `method` must be S256. Errors: invalid_redirect_uri, invalid_scope,
  // invalid_request (a PKCE method other than S256).
  // `staff_id`: the login behind it when `account_id` is an organisation it acts for.
  boost::asio::awaitable<Result<std::string>> issue_code(storage::OAuthAppRecord app,
                                                         std::int64_t account_id,
                                                         std::optional<std::int64_t> staff_id,
                                                         std::string redirect_uri,
                                                         std::string scopes,
                                                         std::string code_challenge,
                                                         std::string method);
  // Redeems a code (once). Errors: invalid_grant (unknown, used, expired, another app's, another
  // redirect URI, PKCE verifier missing or wrong).
  boost::asio::awaitable<Result<IssuedToken>> code_grant(storage::OAuthAppRecord app,
                                                         std::string code, std::string redirect_uri,
                                                         std::string code_verifier);

  // RFC 7009: revoking an unknown token (or another app's) is not an error. The id of the token
  // revoked now (its open streams are to end), nothing otherwise.
  boost::asio::awaitable<Result<std::optional<std::int64_t>>> revoke(storage::OAuthAppRecord app, std::string token);

  // The grant behind a bearer token. Errors: invalid_token, token_expired, token_revoked (all
  // unauthorized), storage errors. A token of a deleted account is invalid_token, and so is a
  // staff token whose grant was revoked.
  Result<TokenGrant> authenticate_token(std::string_view token);

  // The scopes a request asks for, checked against the app's. Empty request: the app's.
  Result<ScopeSet> requested_scopes(const storage::OAuthAppRecord& app, std::string_view scopes);
  // Is `uri` one of the app's redirect URIs?
  static bool redirect_uri_registered(const storage::OAuthAppRecord& app, std::string_view uri);

 private:
  boost::asio::awaitable<Result<IssuedToken>> issue_token(std::int64_t app_id,
                                                          std::optional<std::int64_t> account_id,
                                                          ScopeSet scopes,
                                                          std::optional<std::int64_t> staff_id = {});

  storage::Database& db_;
  LoginThrottle& throttle_;
  federation::Clock clock_;
  OAuthSettings settings_;
};

}  // namespace civicpub::server::services

template <>
struct boost::system::is_error_code_enum<civicpub::server::services::OAuthError> : std::true_type {};
