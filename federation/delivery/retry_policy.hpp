// THE one place that maps the outcome of an attempt to done / retry / give up (STYLE.md rule 4),
// and that computes when the next try is due: for deliveries (an HTTP answer or a transport
// error) and for inbox items (a handler's error), each queue with its own RetryPolicy values. Pure functions: time and
// randomness come in as arguments, so the schedule is testable without sleeping.
//
// Rules (INTEROP.md section 3, after Mastodon's delivery_worker.rb):
// - 2xx: done. A final 3xx (the transport already followed up to 3 redirects) is a failure.
// - 4xx other than 401, 408 and 429, and 501: permanent, give up at once.
// - 5xx, 401, 408, 429 and a final 3xx: retry, honouring Retry-After.
// - Transport errors: retry when their kind is `transient` (timeouts, DNS, connect, TLS, broken
//   connections); give up otherwise (SSRF-blocked address, bad URL, too many redirects, ...).
#pragma once

#include "federation/http/transport.hpp"
#include "storage/records.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace civicpub::federation::delivery {

struct RetryPolicy {
  // Tries in all, the first included. With the defaults below 16 tries span about 2.4 to 2.9
  // days (docs/delivery.md has the table).
  int max_attempts = 16;
  std::chrono::milliseconds base_delay{std::chrono::seconds(30)};  // after the first failure
  double factor = 2.0;
  std::chrono::milliseconds max_delay{std::chrono::hours(10)};
  // Each delay is lengthened by a random 0..jitter fraction of itself, so that the retries of
  // many rows that failed together (a host went down) do not arrive together.
  double jitter = 0.2;
  // A peer's Retry-After is honoured up to this much; a larger value is read as this.
  std::chrono::milliseconds max_retry_after{std::chrono::hours(24)};
};

enum class Verdict { done, retry, give_up };

// What one attempt said, before the attempt budget is considered.
struct Classification {
  Verdict verdict = Verdict::retry;
  int status = 0;      // HTTP status, 0 for a transport error
  std::string reason;  // for the row's last_error and the log; empty when done
  std::optional<std::chrono::milliseconds> retry_after;  // from the peer, capped
  bool host_alive = false;  // the host answered over HTTP with something other than a failure
};

// An error without an HTTP answer (a transport failure; an inbound handler's failure): retry when
// its kind is `transient` (timeouts, DNS, connections, a busy database, a peer that did not
// answer), give up on every other kind (bad input, forbidden, gone, a bug).
Classification classify_error(const boost::system::error_code& error);

// `now` resolves a Retry-After given as an HTTP-date.
Classification classify(const Result<http::OutboundResponse>& response, const RetryPolicy& policy,
                        storage::Millis now);

// Retry-After as delta-seconds or IMF-fixdate, relative to `now`; negative values read as 0,
// values past policy.max_retry_after as that. nullopt when unparsable.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           const RetryPolicy& policy,
                                                           storage::Millis now);

// The backoff after `attempts` failed tries (attempts >= 1), without jitter.
std::chrono::milliseconds base_backoff(const RetryPolicy& policy, int attempts);

// When try number attempts + 1 is due: now + backoff * (1 + jitter * random_unit), but no
// earlier than the peer's Retry-After. `random_unit` is in [0, 1).
storage::Millis next_attempt_at(const RetryPolicy& policy, int attempts, storage::Millis now,
                                double random_unit,
                                std::optional<std::chrono::milliseconds> retry_after = {});

// The final word for a row: a retry with the budget spent becomes give_up.
struct Plan {
  Verdict verdict = Verdict::give_up;
  storage::Millis next_attempt_at = 0;  // for retry
};
// `attempts` counts tries made so far, this one included.
Plan plan(const RetryPolicy& policy, const Classification& c, int attempts, storage::Millis now,
          double random_unit);

}  // namespace civicpub::federation::delivery
