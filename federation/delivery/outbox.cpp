#include "federation/delivery/outbox.hpp"

#include "federation/keys/assertion_key.hpp"
#include "storage/deliveries.hpp"

#include <algorithm>

namespace civicpub::federation {

namespace {

// The inboxes once each, in order, without empty ones (an actor without an inbox).
// storage::deliveries::enqueue skips duplicates too; dropping them here keeps the row count
// honest.
std::vector<std::string> distinct_inboxes(const std::vector<std::string>& inboxes) {
  std::vector<std::string> distinct;
  distinct.reserve(inboxes.size());
  for (const auto& inbox : inboxes) {
    if (inbox.empty()) continue;
    if (std::find(distinct.begin(), distinct.end(), inbox) != distinct.end()) continue;
    distinct.push_back(inbox);
  }
  return distinct;
}

}  // namespace

Result<std::size_t> enqueue_activity(storage::Connection& conn, std::string_view activity_id,
                                     std::int64_t actor_id, std::string_view body,
                                     const std::vector<std::string>& inboxes, storage::Millis now) {
  const auto distinct = distinct_inboxes(inboxes);
  if (distinct.empty()) return std::size_t{0};
  // The actor's own activities carry its integrity proof (FEP-8b32), so that a copy someone
  // forwards can be believed; the HTTP signature is added per request at send time.
  auto signed_body = add_activity_proof(conn, actor_id, body, now);
  if (!signed_body) return signed_body.error();
  return storage::deliveries::enqueue(conn, activity_id, actor_id, *signed_body, distinct, now);
}

Result<std::size_t> forward_activity(storage::Connection& conn, std::string_view activity_id,
                                     std::int64_t actor_id, std::string_view original_body,
                                     const std::vector<std::string>& inboxes,
                                     storage::Millis now) {
  const auto distinct = distinct_inboxes(inboxes);
  if (distinct.empty()) return std::size_t{0};
  return storage::deliveries::enqueue(conn, activity_id, actor_id, original_body, distinct, now,
                                      storage::deliveries::Source::forwarded);
}

}  // namespace civicpub::federation
