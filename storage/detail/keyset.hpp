// Internal to storage: the SQL tail and the binding every keyset page shares (storage/paging.hpp).
// The tail uses parameters ?3 (max_id), ?4 (the lower bound: min_id or since_id), ?5 (1 when
// min_id is given: the page just above it is read oldest first and reversed afterwards) and ?6
// (the limit); ?1 and ?2 are the query's own.
#pragma once

#include "storage/paging.hpp"
#include "storage/statement.hpp"

#include <algorithm>
#include <vector>

#define CIVICPUB_KEYSET_TAIL(col)                                                   \
  " AND (?3 IS NULL OR " col " < ?3) AND (?4 IS NULL OR " col " > ?4) "             \
  "ORDER BY CASE WHEN ?5 = 1 THEN " col " END ASC, " col " DESC LIMIT ?6"

namespace civicpub::storage::detail {

inline void bind_keyset(Statement& s, const PageQuery& q) {
  const std::optional<std::int64_t> lower = q.min_id ? q.min_id : q.since_id;
  s.bind(3, q.max_id).bind(4, lower).bind(5, q.min_id.has_value());
  s.bind(6, q.limit < 1 ? 1 : q.limit);
}

// Newest first, whichever way the rows were read.
template <class T>
void finish_keyset(std::vector<T>& rows, const PageQuery& q) {
  if (q.min_id) std::reverse(rows.begin(), rows.end());
}

}  // namespace civicpub::storage::detail
