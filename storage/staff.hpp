// Staff grants (issue 13 point 2): a person's login may act for an organisation's account, with
// a role; and the audit log of what was done through the client API, by whom, as whom.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::storage {

enum class StaffRole { post, moderate, admin };  // each includes the ones before it

struct StaffGrantRecord {
  std::int64_t staff_id = 0;
  std::int64_t account_id = 0;
  StaffRole role = StaffRole::post;
  Millis created_at = 0;
};

struct AuditRecord {
  std::int64_t id = 0;
  std::int64_t account_id = 0;  // the account acted as
  std::int64_t staff_id = 0;    // the login that acted (the account itself when acting alone)
  std::optional<std::int64_t> app_id;
  std::string action;      // "post", "delete"
  std::string object_uri;  // the post's id
  Millis created_at = 0;
  // Filled by list(): the handles' usernames.
  std::string account_username;
  std::string staff_username;
};

std::string_view to_string(StaffRole role) noexcept;
std::optional<StaffRole> parse_staff_role(std::string_view text) noexcept;

}  // namespace civicpub::storage

namespace civicpub::storage::staff {

// Creates or changes the grant.
Result<void> grant(Connection& conn, const StaffGrantRecord& grant);
// True when a grant was removed.
Result<bool> revoke(Connection& conn, std::int64_t staff_id, std::int64_t account_id);
Result<std::optional<StaffGrantRecord>> find(Connection& conn, std::int64_t staff_id,
                                             std::int64_t account_id);

Result<std::int64_t> add_audit(Connection& conn, const AuditRecord& entry);
// Newest first, at most `limit`; only entries acting as `account_id` when given.
Result<std::vector<AuditRecord>> audit(Connection& conn, std::optional<std::int64_t> account_id,
                                       int limit);

}  // namespace civicpub::storage::staff
