// Keyset pages for the Mastodon client API's lists (timelines, followers, follow requests,
// notifications, favourites): positions are row ids of the listed table, newer rows have larger
// ids, and a page is asked for by limit, max_id, since_id and min_id.
#pragma once

#include <cstdint>
#include <optional>

namespace civicpub::storage {

struct PageQuery {
  int limit = 20;
  std::optional<std::int64_t> max_id;    // only ids below this
  std::optional<std::int64_t> since_id;  // only ids above this (the newest page above it)
  std::optional<std::int64_t> min_id;    // only ids above this (the page just above it)
  bool local_only = false;               // timelines only
  bool remote_only = false;
};

}  // namespace civicpub::storage
