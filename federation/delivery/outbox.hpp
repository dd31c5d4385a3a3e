// The way into the delivery queue (DESIGN.md "Outbound post"), for every producer: the posting,
// following and profile services, the Accept/Reject of follow requests, and the thread owner's
// forwards. Thin on purpose: the caller renders the activity once and hands over the JSON; these
// functions write one row per distinct inbox inside the caller's own write job (so the post and
// its deliveries commit together). After the commit the caller wakes the DeliveryWorker (its
// notify, or nothing in the CLI: the server's worker finds the rows on its next poll).
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::federation {

// Queues `body`, an activity of the local actor `actor_id` (signed at send time with its key),
// for each inbox, due `now`. Empty and repeated inboxes, and inboxes this activity is already
// queued for, are skipped. When the body's `actor` is that local actor and it has no `proof`
// yet, a FEP-8b32 integrity proof by the actor's Ed25519 key is added first
// (add_activity_proof in keys/assertion_key.hpp). Returns the number of rows inserted.
Result<std::size_t> enqueue_activity(storage::Connection& conn, std::string_view activity_id,
                                     std::int64_t actor_id, std::string_view body,
                                     const std::vector<std::string>& inboxes, storage::Millis now);

// Queues someone else's activity, `original_body` exactly as it was received, for each inbox,
// signed (HTTP signature only) by the local actor `actor_id` that forwards it (ActivityPub 7.1.2
// inbox forwarding: a thread owner passing a reply on to the thread's audience). Unlike
// enqueue_activity the body is never changed: the author's own proof, if any, must stay intact.
// The same inboxes are skipped, so forwarding the same activity again queues nothing.
Result<std::size_t> forward_activity(storage::Connection& conn, std::string_view activity_id,
                                     std::int64_t actor_id, std::string_view original_body,
                                     const std::vector<std::string>& inboxes,
                                     storage::Millis now);

}  // namespace civicpub::federation
