// Usage statistics of the local server, as NodeInfo publishes them.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <string_view>

namespace civicpub::storage::usage {

struct UsageCounts {
  std::int64_t users_total = 0;      // local accounts, not deleted
  // Posts count only when public or unlisted: NodeInfo must not reveal non-public posting.
  std::int64_t active_month = 0;     // of those, the ones with a local post since month_since
  std::int64_t active_halfyear = 0;  // ... since halfyear_since
  std::int64_t local_posts = 0;      // local public and unlisted posts, not deleted
};

struct UsageQuery {
  Millis month_since = 0;
  Millis halfyear_since = 0;
  // An account left out of every user count (the instance actor: it only signs fetches and is
  // nobody's account). Empty: none.
  std::string_view excluded_actor_uri;
};

// All four counts in one read. A post counts as activity even when it was deleted later: the
// account was active then.
Result<UsageCounts> counts(Connection& conn, const UsageQuery& query);

}  // namespace civicpub::storage::usage
