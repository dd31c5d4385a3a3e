// OAuth 2 clients, access tokens and authorization codes (issue 13). Every secret arrives here
// already hashed (hex SHA-256): lookups are by hash.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <optional>
#include <string_view>

namespace civicpub::storage::oauth {

// Returns the new id; a client_id already stored -> Errc::conflict.
Result<std::int64_t> insert_app(Connection& conn, const OAuthAppRecord& app);
Result<std::optional<OAuthAppRecord>> find_app_by_client_id(Connection& conn,
                                                            std::string_view client_id);
Result<std::optional<OAuthAppRecord>> find_app_by_id(Connection& conn, std::int64_t id);

Result<std::int64_t> insert_token(Connection& conn, const OAuthTokenRecord& token);
// Revoked and expired tokens are returned too: the caller decides (and says why in the log).
Result<std::optional<OAuthTokenRecord>> find_token(Connection& conn, std::string_view token_hash);
// Sets revoked_at on the token of `app_id` with this hash; true when one was revoked now.
Result<bool> revoke_token(Connection& conn, std::string_view token_hash, std::int64_t app_id,
                          Millis at);

Result<void> insert_code(Connection& conn, const OAuthCodeRecord& code);
// Marks an unused code used and returns it (as it was before), in one statement: a code can be
// redeemed once. Nothing when unknown or already used (expiry is the caller's check).
Result<std::optional<OAuthCodeRecord>> redeem_code(Connection& conn, std::string_view code_hash,
                                                   Millis at);

}  // namespace civicpub::storage::oauth
