// Health of remote hosts. A host that fails on `threshold` distinct UTC days (with no success in
// between) is marked unavailable, and deliveries to it stop until it is heard from again.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <optional>
#include <string_view>

namespace civicpub::storage::hosts {

// Counts `utc_day` (days since 1970-01-01) once: repeated failures on the same day, or on an
// earlier day than the last one counted, do not add up. Returns the row as updated.
Result<HostRecord> record_failure(Connection& conn, std::string_view host, std::int64_t utc_day,
                                  int threshold);

// The host answered: failures are forgotten and it is available again.
Result<void> record_success(Connection& conn, std::string_view host, Millis now);

Result<std::optional<HostRecord>> find(Connection& conn, std::string_view host);

}  // namespace civicpub::storage::hosts
