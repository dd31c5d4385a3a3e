// The posting and following services' way into the delivery queue (DESIGN.md "Outbound post").
// Thin on purpose: the caller renders the activity once and hands over the JSON; the Outbox
// writes one row per distinct inbox inside the caller's own write job (so the post and its
// deliveries commit together) and, after the commit, wakes the DeliveryWorker.
#pragma once

#include "federation/clock.hpp"
#include "storage/connection.hpp"
#include "storage/database.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::federation {

// What Outbox::enqueue does after dropping repeated inboxes, for the services that write their
// rows inside their own jobs: adds the actor's integrity proof (add_activity_proof in
// assertion_key.hpp) when `body` is that local actor's own activity without one, then
// storage::deliveries::enqueue with `now` as the due time. Returns the number of rows inserted.
Result<std::size_t> enqueue_activity(storage::Connection& conn, std::string_view activity_id,
                                     std::int64_t actor_id, std::string_view body,
                                     const std::vector<std::string>& inboxes, storage::Millis now);

class Outbox {
 public:
  // `notify` wakes the delivery worker (DeliveryWorker::notify); empty in a process without one
  // (the CLI): the server's worker then finds the rows on its next poll.
  Outbox(storage::Database& db, Clock clock, std::function<void()> notify);

  // Inside the caller's write job: queues `body` (the activity JSON, signed later by `actor_id`'s
  // key) for each inbox, due now. Empty and repeated inboxes, and inboxes this activity is
  // already queued for, are skipped. Returns the number of rows inserted. When the body's
  // `actor` is that local actor and it has no `proof` yet, a FEP-8b32 integrity proof by the
  // actor's Ed25519 key is added first (add_activity_proof in assertion_key.hpp).
  Result<std::size_t> enqueue(storage::Connection& conn, std::string_view activity_id,
                              std::int64_t actor_id, std::string_view body,
                              const std::vector<std::string>& inboxes) const;

  // Inside the caller's write job: queues someone else's activity, `original_body` exactly as it
  // was received, for each inbox, signed (HTTP signature only) by the local actor `actor_id`
  // that forwards it (ActivityPub 7.1.2 inbox forwarding: a thread owner passing a reply on to
  // the thread's audience). Unlike enqueue, the body is never changed (no integrity proof is
  // added: the author's own proof, if any, must stay intact). Empty and repeated inboxes, and
  // inboxes this activity is already queued for, are skipped, so forwarding the same activity
  // again queues nothing. Returns the number of rows inserted.
  Result<std::size_t> forward(storage::Connection& conn, std::string_view activity_id,
                              std::int64_t actor_id, std::string_view original_body,
                              const std::vector<std::string>& inboxes) const;

  // Where a local actor's followers-addressed activity goes: the distinct shared inbox (else
  // inbox) of each accepted remote follower.
  Result<std::vector<std::string>> follower_inboxes(storage::Connection& conn,
                                                    std::int64_t actor_id) const;

  // Blocking convenience for the CLI and tests: enqueue in its own write, then notify.
  Result<std::size_t> enqueue_now(std::string_view activity_id, std::int64_t actor_id,
                                  std::string_view body, const std::vector<std::string>& inboxes);

  // Call after the write that enqueued has committed (from any thread).
  void notify() const;

 private:
  storage::Database& db_;
  Clock clock_;
  std::function<void()> notify_;
};

}  // namespace civicpub::federation
