// OAuth 2 clients, access tokens and authorization codes (issue 13). Every secret arrives here
// already hashed (hex SHA-256): lookups are by hash.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace civicpub::storage {

// An OAuth client registered with POST /api/v1/apps. The secret is stored as its hex SHA-256.
struct OAuthAppRecord {
  std::int64_t id = 0;
  std::string client_id;
  std::string secret_hash;
  std::string name;
  std::string website;
  std::string redirect_uris;  // space-separated, as registered
  std::string scopes;         // space-separated
  Millis created_at = 0;
};

// An access token (stored as its hex SHA-256). actor_id empty: an app-only token
// (client_credentials grant).
struct OAuthTokenRecord {
  std::int64_t id = 0;
  std::string token_hash;
  std::int64_t app_id = 0;
  std::optional<std::int64_t> actor_id;
  std::string scopes;  // space-separated, as granted
  Millis created_at = 0;
  std::optional<Millis> expires_at;
  std::optional<Millis> revoked_at;
  // The staff login acting for actor_id (an organisation) under a staff grant; empty when the
  // account acts for itself.
  std::optional<std::int64_t> staff_id;
};

// An authorization code from the consent page (stored as its hex SHA-256), single use.
struct OAuthCodeRecord {
  std::string code_hash;
  std::int64_t app_id = 0;
  std::int64_t actor_id = 0;
  std::string redirect_uri;
  std::string scopes;
  std::string code_challenge;  // PKCE S256 challenge; empty: none was sent
  Millis created_at = 0;
  Millis expires_at = 0;
  std::optional<Millis> used_at;
  std::optional<std::int64_t> staff_id;  // as in OAuthTokenRecord
};

}  // namespace civicpub::storage

namespace civicpub::storage::oauth {

// Returns the new id; a client_id already stored -> Errc::conflict.
Result<std::int64_t> insert_app(Connection& conn, const OAuthAppRecord& app);
Result<std::optional<OAuthAppRecord>> find_app_by_client_id(Connection& conn,
                                                            std::string_view client_id);
Result<std::optional<OAuthAppRecord>> find_app_by_id(Connection& conn, std::int64_t id);

Result<std::int64_t> insert_token(Connection& conn, const OAuthTokenRecord& token);
// Revoked and expired tokens are returned too: the caller decides (and says why in the log).
Result<std::optional<OAuthTokenRecord>> find_token(Connection& conn, std::string_view token_hash);
// Sets revoked_at on the token of `app_id` with this hash; the token's id when it was revoked
// now (its open streams end), nothing when unknown, another app's or revoked before.
Result<std::optional<std::int64_t>> revoke_token(Connection& conn, std::string_view token_hash, std::int64_t app_id,
                          Millis at);

Result<void> insert_code(Connection& conn, const OAuthCodeRecord& code);
// Marks an unused code used and returns it (as it was before), in one statement: a code can be
// redeemed once. Nothing when unknown or already used (expiry is the caller's check).
Result<std::optional<OAuthCodeRecord>> redeem_code(Connection& conn, std::string_view code_hash,
                                                   Millis at);

}  // namespace civicpub::storage::oauth
