// The inbound activity queue: accept fast (insert, answer 202), process later.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <string_view>
#include <optional>
#include <vector>

namespace civicpub::storage::inbox_items {

// Queues an activity (state pending, attempts 0) and returns its id. An (actor_uri, activity_id)
// already received -> Errc::conflict: a redelivery, which the caller answers 202 without doing
// anything. The item counts in pending_counts under its actor_uri and (unless '') its actor_origin.
Result<std::int64_t> insert(Connection& conn, const InboxItemRecord& item);

// The oldest pending items, at most `limit`, whether due or not (for inspection).
Result<std::vector<InboxItemRecord>> next_pending(Connection& conn, int limit);

// The item `id` (any state), or nullopt when there is none (purged).
Result<std::optional<InboxItemRecord>> find(Connection& conn, std::int64_t id);

// The oldest pending items due at `now` (next_attempt_at <= now) with an id above `after_id`
// (0: from the start), at most `limit`, in id order.
Result<std::vector<InboxItemRecord>> next_due(Connection& conn, Millis now, std::int64_t after_id,
                                              int limit);

// When the earliest pending item that is not due yet falls due; nullopt when there is none.
Result<std::optional<Millis>> next_retry_at(Connection& conn, Millis now);

// Errc::not_found when there is no such item.
Result<void> mark_done(Connection& conn, std::int64_t id, Millis now);
// State failed, attempts + 1, the error kept for the operator.
Result<void> mark_failed(Connection& conn, std::int64_t id, std::string_view error, Millis now);
// Stays pending, attempts + 1, the error kept; not processed again before `next_attempt_at`.
Result<void> retry_later(Connection& conn, std::int64_t id, std::string_view error,
                         Millis next_attempt_at);

Result<std::int64_t> count_by_state(Connection& conn, InboxState state);

// The pending items whose actor_uri is `actor_uri`, and those whose actor_origin is
// `actor_origin`: for the queue's caps per actor and per host. Counts kept by triggers in the same
// transaction as every insert, state change and delete of inbox_items (migration 17), so this is
// two primary-key lookups however long the backlog is.
struct PendingCounts {
  std::int64_t of_actor = 0;
  std::int64_t of_origin = 0;
};
Result<PendingCounts> pending_counts(Connection& conn, std::string_view actor_uri,
                                     std::string_view actor_origin);

// Deletes at most `limit` done or failed items processed before `before`, oldest first;
// returns how many went.
Result<std::int64_t> purge_processed(Connection& conn, Millis before, int limit);

}  // namespace civicpub::storage::inbox_items
