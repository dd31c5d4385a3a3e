// Queueing an accepted activity within the queue's caps (docs/security.md "Inbox and delivery
// queues"): an actor, or all actors of one host (scheme://host[:port]), may have only so many
// unprocessed items; over a cap the activity is refused with FederationError::queue_full, which
// the inbox route answers 429 with Retry-After, so the sender tries again later and one noisy or
// hostile sender cannot grow the queue in front of everyone else's activities.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <chrono>
#include <cstdint>

namespace civicpub::federation {

struct InboxQueueCaps {
  std::int64_t per_actor = 200;   // federation.inbox_pending_per_actor
  std::int64_t per_host = 2000;   // federation.inbox_pending_per_host
};

// Inserts `item` (a write job's body) unless its actor or its actor's host is at a cap, and sets
// its actor_origin (http::origin_of of actor_uri), the key of the per-host count. The counts are
// kept as the queue changes and read with storage::inbox_items::pending_counts, two primary-key
// lookups. Errors: FederationError::queue_full, storage::Errc::conflict (a redelivery), storage
// errors.
Result<std::int64_t> queue_item(storage::Connection& conn, storage::InboxItemRecord item,
                                const InboxQueueCaps& caps);

// How long a sender refused with queue_full is told to wait (Retry-After).
inline constexpr std::chrono::seconds kQueueFullRetryAfter{300};
// Retry-After of a 503 for a request whose signing key we could not fetch only because its host
// already has its share of our fetches in flight (a burst of first contacts from one server).
inline constexpr std::chrono::seconds kKeyFetchBusyRetryAfter{30};

}  // namespace civicpub::federation
