// A person's OAuth sessions (issue 13): the access tokens they hold, for `civicpub account
// sessions`, and when each was last used (kept to within kTouchInterval, so that a busy app
// does not cost a write per request).
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace civicpub::storage {

struct OAuthSessionRecord {
  std::int64_t token_id = 0;
  std::string app_name;
  std::string scopes;
  Millis created_at = 0;
  std::optional<Millis> last_used_at;
  std::optional<Millis> expires_at;
  std::string acting_as;  // the username of the account the token acts as
};

}  // namespace civicpub::storage

namespace civicpub::storage::oauth {

inline constexpr Millis kTouchInterval = 5 * 60 * 1000;

// The unrevoked tokens of the login `login_id`: its own (acting as itself) and those acting for
// an organisation under a staff grant; newest first, at most `limit`.
Result<std::vector<OAuthSessionRecord>> sessions_of(Connection& conn, std::int64_t login_id,
                                                    int limit);
// Revokes token `token_id` if it is one of the login's sessions; true when it was revoked now.
Result<bool> revoke_session(Connection& conn, std::int64_t token_id, std::int64_t login_id,
                            Millis at);
// When the token was last used (nothing: never, or no such token).
Result<std::optional<Millis>> last_used(Connection& conn, std::int64_t token_id);
Result<void> touch_token(Connection& conn, std::int64_t token_id, Millis at);

}  // namespace civicpub::storage::oauth
