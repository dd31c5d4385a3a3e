// Read models of the client API's account lists and relationships: followers, following, follow
// requests (paged by the follows row id) and Relationship entities.
#pragma once

#include "server/views/api_reads.hpp"
#include "storage/paging.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace civicpub::server::views {

enum class AccountList {
  followers,        // accepted follows of the account
  following,        // the account's accepted follows
  follow_requests,  // pending follows of the account
};

// The accounts of `which` for the account with this id, newest first (ViewError::not_found for
// an unknown or deleted account). Positions are follows row ids (for the Link header).
Result<TimelinePage> account_list(storage::Database& db, std::string_view account_id,
                                  AccountList which, const storage::PageQuery& query,
                                  const ApiView& view);

// The stored account with this id, not deleted (ViewError::not_found otherwise).
Result<storage::ActorRecord> find_account(storage::Database& db, std::string_view id);

// Relationship entities of `viewer` with each of `ids` (unknown or malformed ids are left out):
// following / requested from the viewer's follow of the account, followed_by / requested_by from
// the account's follow of the viewer; blocking, muting and the rest are false (civicpub has no
// blocks or mutes yet).
Result<std::string> relationships_json(storage::Database& db, std::int64_t viewer,
                                       const std::vector<std::string>& ids);
// One Relationship (ViewError::not_found for an unknown or deleted account).
Result<std::string> relationship_json(storage::Database& db, std::int64_t viewer,
                                      std::int64_t id);

}  // namespace civicpub::server::views
