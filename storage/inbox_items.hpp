// The inbound activity queue: accept fast (insert, answer 202), process later.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <string_view>
#include <optional>
#include <vector>

namespace civicpub::storage::inbox_items {

// Queues an activity (state pending, attempts 0) and returns its id. An (actor_uri, activity_id)
// already received -> Errc::conflict: a redelivery, which the caller answers 202 without doing anything.
Result<std::int64_t> insert(Connection& conn, const InboxItemRecord& item);

// The oldest pending items, at most `limit`, whether due or not (for inspection).
Result<std::vector<InboxItemRecord>> next_pending(Connection& conn, int limit);

// The item `id` (any state), or nullopt when there is none (purged).
Result<std::optional<InboxItemRecord>> find(Connection& conn, std::int64_t id);

// The oldest pending items due at `now` (next_attempt_at <= now), at most `limit`.
Result<std::vector<InboxItemRecord>> next_due(Connection& conn, Millis now, int limit);

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

// Pending items whose actor is `actor_uri`; pending items whose actor lives under `origin`
// (scheme://host[:port], no trailing '/'). For the queue's caps per actor and per host.
Result<std::int64_t> count_pending_from(Connection& conn, std::string_view actor_uri);
Result<std::int64_t> count_pending_under(Connection& conn, std::string_view origin);

// Deletes at most `limit` done or failed items processed before `before`, oldest first;
// returns how many went.
Result<std::int64_t> purge_processed(Connection& conn, Millis before, int limit);

}  // namespace civicpub::storage::inbox_items
