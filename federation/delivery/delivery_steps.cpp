#include "federation/delivery/delivery_steps.hpp"

#include "federation/delivery/delivery_request.hpp"
#include "federation/keys/signing_key.hpp"
#include "storage/deliveries.hpp"
#include "storage/errors.hpp"

#include <utility>

namespace civicpub::federation::delivery::detail {

std::optional<std::variant<Outcome, http::OutboundRequest>> prepare(
    const WorkerDeps& deps, const storage::DeliveryRecord& row, const std::string& host) {
  struct Loaded {
    bool available = true;
    Result<SigningKey> key = make_error_code(storage::Errc::not_found);
  };
  auto loaded = deps.db.read([&](storage::Connection& conn) -> Result<Loaded> {
    Loaded l;
    if (!host.empty()) {
      auto available = deps.health.available(conn, host);
      if (!available) return Result<Loaded>(boost::system::in_place_error, available.error());
      l.available = *available;
    }
    l.key = load_signing_key(conn, row.actor_id);
    return l;
  });
  if (!loaded) {
    deps.log->warn("delivery {}: reading failed: {}", row.id, loaded.error().message());
    return std::nullopt;
  }
  const auto give_up = [&](std::string reason) {
    Classification c;
    c.verdict = Verdict::give_up;
    c.reason = std::move(reason);
    return Outcome{c, Plan{Verdict::give_up, 0}};
  };
  if (deps.settings.blocks && deps.settings.blocks->blocks_url(row.inbox_url)) {
    return give_up("domain blocked");
  }
  // Mastodon drops deliveries to unavailable hosts; so do we (host_health.hpp).
  if (!loaded->available) return give_up("host unavailable: " + host);
  if (!loaded->key) {
    if (loaded->key.error() == storage::Errc::not_found) return give_up("no signing key");
    deps.log->warn("delivery {}: loading key failed: {}", row.id, loaded->key.error().message());
    return std::nullopt;
  }
  auto request = build_delivery_request(row, std::move(*loaded->key), deps.clock);
  if (!request) return give_up("cannot build request: " + request.error().message());
  return std::move(*request);
}

Result<void> write_outcome(storage::Connection& conn, const WorkerDeps& deps,
                           const storage::DeliveryRecord& row, const std::string& host,
                           const Outcome& o, storage::Millis now) {
  const auto& c = o.classification;
  Result<void> r;
  switch (o.plan.verdict) {
    case Verdict::done: r = storage::deliveries::mark_done(conn, row.id, c.status, now); break;
    case Verdict::retry:
      r = storage::deliveries::reschedule(conn, row.id, o.plan.next_attempt_at, c.status, c.reason,
                                          now);
      break;
    case Verdict::give_up:
      r = storage::deliveries::give_up(conn, row.id, c.status, c.reason, now);
      break;
  }
  if (!r || host.empty()) return r;
  if (c.host_alive) return deps.health.record_success(conn, host, now);
  // Only failures that say the host is unreachable or unwell count against it; a refused
  // address or a bad URL is about us or the row.
  if (c.verdict == Verdict::retry) {
    auto unavailable = deps.health.record_failure(conn, host, now);
    if (!unavailable) return unavailable.error();
  }
  return {};
}

Outcome judge(const WorkerDeps& deps, const storage::DeliveryRecord& row,
              const Result<http::OutboundResponse>& response) {
  const auto at = deps.clock();
  Outcome o;
  o.classification = classify(response, deps.policy, at);
  o.plan = plan(deps.policy, o.classification, row.attempts + 1, at, deps.random());
  return o;
}

void log_outcome(const WorkerDeps& deps, const storage::DeliveryRecord& row, const Outcome& o) {
  const auto& c = o.classification;
  switch (o.plan.verdict) {
    case Verdict::done:
      deps.log->debug("delivered {} to {} ({})", row.activity_id, row.inbox_url, c.status);
      break;
    case Verdict::retry:
      deps.log->info("delivery of {} to {} failed ({}), try {} of {}", row.activity_id,
                     row.inbox_url, c.reason, row.attempts + 1, deps.policy.max_attempts);
      break;
    case Verdict::give_up:
      deps.log->warn("gave up delivering {} to {} after {} tries: {}", row.activity_id,
                     row.inbox_url, row.attempts + 1, c.reason);
      break;
  }
}

}  // namespace civicpub::federation::delivery::detail
