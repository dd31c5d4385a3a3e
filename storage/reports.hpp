// Reports (ActivityPub Flag): received from other servers about our accounts and posts, and
// sent by `civicpub report send` about theirs. Listed and resolved by the operator.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::storage {

enum class ReportDirection { received, sent };

struct ReportRecord {
  std::int64_t id = 0;
  ReportDirection direction = ReportDirection::received;
  std::string activity_uri;              // the Flag's id
  std::string reporter_uri;              // the Flag's actor (an instance actor, usually)
  std::string account_uri;               // the reported actor
  std::vector<std::string> object_uris;  // the reported posts
  std::string comment;
  Millis created_at = 0;
  std::optional<Millis> resolved_at;
};

std::string_view to_string(ReportDirection d) noexcept;

}  // namespace civicpub::storage

namespace civicpub::storage::reports {

// Returns the new row id; Errc::conflict when this reporter's Flag id is stored already (a
// redelivery).
Result<std::int64_t> insert(Connection& conn, const ReportRecord& report);
// Newest first; unresolved only unless `include_resolved`.
Result<std::vector<ReportRecord>> list(Connection& conn, bool include_resolved, int limit);
Result<std::optional<ReportRecord>> find(Connection& conn, std::int64_t id);
// Errc::not_found for no such report; resolving twice keeps the first time.
Result<void> resolve(Connection& conn, std::int64_t id, Millis now);

}  // namespace civicpub::storage::reports
