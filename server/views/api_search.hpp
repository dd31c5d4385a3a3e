// Read models of /api/v2/search: what is stored that matches a query (accounts by username or
// display name prefix, or user@domain; a status by its id URL; hashtags by name prefix), and the
// Search entity {"accounts", "statuses", "hashtags"}.
#pragma once

#include "server/views/api_entities.hpp"
#include "storage/database.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace civicpub::server::views {

struct SearchResults {
  std::vector<storage::ActorRecord> accounts;
  std::vector<storage::PostRecord> statuses;
  std::vector<std::string> hashtags;
};

struct SearchQuery {
  std::string q;
  bool accounts = true;
  bool statuses = true;
  bool hashtags = true;
  int limit = 20;
};

// Adds what is stored for `query` to `into` (without duplicates, at most `limit` of each;
// statuses only when the viewer may see them).
Result<void> search_stored(storage::Database& db, const SearchQuery& query, const ApiView& view,
                           SearchResults& into);

Result<std::string> search_json(storage::Database& db, const SearchResults& results,
                                const ApiView& view);

}  // namespace civicpub::server::views
