#include "federation/delivery/outbox.hpp"

#include "federation/keys/assertion_key.hpp"
#include "federation/remote/domain_blocks.hpp"
#include "storage/deliveries.hpp"
#include "storage/moderation.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_set>

namespace civicpub::federation {

namespace {

// The inboxes once each, in order, without empty ones (an actor without an inbox) and without
// those on a domain blocked by `civicpub domain block` (read here, inside the writer's
// transaction, so a block committed a moment ago counts; the delivery worker also gives up rows
// for a domain federation.blocked_domains or a later block covers). storage::deliveries::enqueue
// skips duplicates too; dropping them here keeps the row count honest.
Result<std::vector<std::string>> distinct_inboxes(storage::Connection& conn,
                                                  const std::vector<std::string>& inboxes) {
  auto blocks = storage::moderation::domain_blocks(conn);
  if (!blocks) return blocks.error();
  std::vector<DomainRule> rules;
  for (const auto& block : *blocks) {
    if (auto rule = parse_domain_rule(block.pattern)) rules.push_back(std::move(*rule));
  }
  std::vector<std::string> distinct;
  distinct.reserve(inboxes.size());
  // Hashed, not searched in `distinct`: that was quadratic, inside the writer's transaction;
  // for a post to 20,000 servers the write took 380-398 ms instead of 158-162 ms
  // (BM_EnqueueActivity, docs/performance.md, fix 31).
  std::unordered_set<std::string_view> seen;
  seen.reserve(inboxes.size());
  for (const auto& inbox : inboxes) {
    if (inbox.empty()) continue;
    if (std::any_of(rules.begin(), rules.end(),
                    [&](const DomainRule& rule) { return rule_covers_url(rule, inbox); })) {
      continue;
    }
    if (!seen.insert(inbox).second) continue;
    distinct.push_back(inbox);
  }
  return distinct;
}

}  // namespace

Result<std::size_t> enqueue_activity(storage::Connection& conn, std::string_view activity_id,
                                     std::int64_t actor_id, std::string_view body,
                                     const std::vector<std::string>& inboxes, storage::Millis now) {
  auto distinct = distinct_inboxes(conn, inboxes);
  if (!distinct) return distinct.error();
  if (distinct->empty()) return std::size_t{0};
  // The actor's own activities carry its integrity proof (FEP-8b32), so that a copy someone
  // forwards can be believed; the HTTP signature is added per request at send time.
  auto signed_body = add_activity_proof(conn, actor_id, body, now);
  if (!signed_body) return signed_body.error();
  return storage::deliveries::enqueue(conn, activity_id, actor_id, *signed_body, *distinct, now);
}

Result<std::size_t> forward_activity(storage::Connection& conn, std::string_view activity_id,
                                     std::int64_t actor_id, std::string_view original_body,
                                     const std::vector<std::string>& inboxes,
                                     storage::Millis now) {
  auto distinct = distinct_inboxes(conn, inboxes);
  if (!distinct) return distinct.error();
  if (distinct->empty()) return std::size_t{0};
  return storage::deliveries::enqueue(conn, activity_id, actor_id, original_body, *distinct, now,
                                      storage::deliveries::Source::forwarded);
}

}  // namespace civicpub::federation
