// Per-host delivery health (INTEROP.md section 3, after Mastodon's delivery_failure_tracker.rb):
// a retryable failure records the UTC day; a host that failed on `failure_days` distinct days
// with no success in between is unavailable. Deliveries to an unavailable host are given up
// without sending (as Mastodon drops them) until the host is heard from again: a successful
// delivery, or any inbound activity from it (the inbox calls heard_from).
//
// All functions take the caller's connection: the worker records health in the same write as
// the row's outcome; the inbox calls heard_from inside its own write job.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace civicpub::federation::delivery {


// Days since 1970-01-01 (UTC) of a Unix-millisecond time.
std::int64_t utc_day(storage::Millis when);

class HostHealth {
 public:
  explicit HostHealth(int failure_days = 7) : failure_days_(failure_days) {}

  // False once the host has been marked unavailable; true for hosts never seen.
  Result<bool> available(storage::Connection& conn, std::string_view host) const;

  // A retryable failure (5xx, timeout, connection refused, ...). Returns true when the host is
  // now unavailable.
  Result<bool> record_failure(storage::Connection& conn, std::string_view host,
                              storage::Millis now) const;

  // A successful (or permanently refused, i.e. answered) delivery.
  Result<void> record_success(storage::Connection& conn, std::string_view host,
                              storage::Millis now) const;

  // Something arrived from the host (a signed inbox POST). Writes only when the host has a
  // failure on record, so the inbox's hot path adds no row per activity.
  Result<void> heard_from(storage::Connection& conn, std::string_view host,
                          storage::Millis now) const;

  int failure_days() const noexcept { return failure_days_; }

 private:
  int failure_days_;
};

}  // namespace civicpub::federation::delivery
