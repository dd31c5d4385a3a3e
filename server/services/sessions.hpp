// A person's sessions: the OAuth tokens their login holds, listed and revoked by an admin
// (`civicpub account sessions NAME [--revoke ID]`, issue 13). Open streams of a revoked token end
// at their next heartbeat (the server checks the token again then), whichever process revoked it.
#pragma once

#include "storage/database.hpp"
#include "storage/oauth_sessions.hpp"

#include <string_view>
#include <vector>

namespace civicpub::server::services {

// Errors: ServiceError::unknown_account; storage errors.
Result<std::vector<storage::OAuthSessionRecord>> list_sessions(storage::Database& db,
                                                               std::string_view username);
// False when `token_id` is none of the person's unrevoked sessions.
Result<bool> revoke_session(storage::Database& db, std::string_view username,
                            std::int64_t token_id, storage::Millis now);

}  // namespace civicpub::server::services
