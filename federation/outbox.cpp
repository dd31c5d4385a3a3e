#include "federation/outbox.hpp"

#include "federation/assertion_key.hpp"
#include "storage/deliveries.hpp"
#include "storage/follows.hpp"

#include <algorithm>
#include <utility>

namespace civicpub::federation {

Result<std::size_t> enqueue_activity(storage::Connection& conn, std::string_view activity_id,
                                     std::int64_t actor_id, std::string_view body,
                                     const std::vector<std::string>& inboxes, storage::Millis now) {
  // The actor's own activities carry its integrity proof (FEP-8b32), so that a copy someone
  // forwards can be believed; the HTTP signature is added per request at send time as before.
  auto signed_body = add_activity_proof(conn, actor_id, body, now);
  if (!signed_body) return signed_body.error();
  return storage::deliveries::enqueue(conn, activity_id, actor_id, *signed_body, inboxes, now);
}

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

Outbox::Outbox(storage::Database& db, Clock clock, std::function<void()> notify)
    : db_(db), clock_(std::move(clock)), notify_(std::move(notify)) {}

Result<std::size_t> Outbox::enqueue(storage::Connection& conn, std::string_view activity_id,
                                    std::int64_t actor_id, std::string_view body,
                                    const std::vector<std::string>& inboxes) const {
  const auto distinct = distinct_inboxes(inboxes);
  if (distinct.empty()) return std::size_t{0};
  return enqueue_activity(conn, activity_id, actor_id, body, distinct, clock_());
}

Result<std::size_t> Outbox::forward(storage::Connection& conn, std::string_view activity_id,
                                    std::int64_t actor_id, std::string_view original_body,
                                    const std::vector<std::string>& inboxes) const {
  const auto distinct = distinct_inboxes(inboxes);
  if (distinct.empty()) return std::size_t{0};
  return storage::deliveries::enqueue(conn, activity_id, actor_id, original_body, distinct,
                                      clock_());
}

Result<std::vector<std::string>> Outbox::follower_inboxes(storage::Connection& conn,
                                                          std::int64_t actor_id) const {
  return storage::follows::follower_inboxes(conn, actor_id);
}

Result<std::size_t> Outbox::enqueue_now(std::string_view activity_id, std::int64_t actor_id,
                                        std::string_view body,
                                        const std::vector<std::string>& inboxes) {
  auto inserted =
      db_.write_sync([this, activity_id, actor_id, body, &inboxes](storage::Connection& conn) {
        return enqueue(conn, activity_id, actor_id, body, inboxes);
      });
  if (inserted && *inserted > 0) notify();
  return inserted;
}

void Outbox::notify() const {
  if (notify_) notify_();
}

}  // namespace civicpub::federation
