// Search for the client API's /api/v2/search among what is stored: accounts by the start of
// their username or display name, hashtags by the start of their name. Bounded by `limit`;
// the pattern is a prefix, never a pattern of the caller's (LIKE wildcards are escaped).
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace civicpub::storage::search {

// Not deleted accounts whose username or display name starts with `prefix` (any case for
// ASCII), `domain` non-empty: only that domain. Local accounts first.
Result<std::vector<ActorRecord>> accounts(Connection& conn, std::string_view prefix,
                                          std::string_view domain, int limit);
// Hashtag names (lowercase) starting with `prefix`, in name order.
Result<std::vector<std::string>> hashtags(Connection& conn, std::string_view prefix, int limit);

}  // namespace civicpub::storage::search
