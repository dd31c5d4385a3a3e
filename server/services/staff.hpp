// Staff who act for their organisation (issue 13 point 2): an admin grants a person's login the
// right to act for an organisation's account (`civicpub account grant`); at the consent page the
// person chooses to act as that account; every write through the client API is recorded in the
// audit log with the login that made it (`civicpub audit`). Federation sees only the
// organisation: nothing about the staff member is in any activity.
#pragma once

#include "common/error_kind.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"
#include "storage/staff.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::server::services {

enum class StaffError {
  no_grant = 1,  // the login may not act for that account (forbidden)
  own_account,   // a grant for an account to itself (invalid_input)
};

const civicpub::KindedCategory& staff_error_category() noexcept;

inline boost::system::error_code make_error_code(StaffError e) noexcept {
  return {static_cast<int>(e), staff_error_category()};
}

// Errors: ServiceError::unknown_account / account_deleted (either name), StaffError::own_account.
Result<void> grant_staff(storage::Database& db, std::string_view staff, std::string_view account,
                         storage::StaffRole role, storage::Millis now);
// True when there was a grant to remove.
Result<bool> revoke_staff(storage::Database& db, std::string_view staff, std::string_view account);

// The account `login` acts as: itself when `act_as` is empty or its own username; otherwise the
// local account `act_as` if `login` holds a grant for it. Errors: StaffError::no_grant (also for
// an unknown or deleted `act_as`: no difference is shown), storage errors.
Result<storage::ActorRecord> acting_account(storage::Database& db, const storage::ActorRecord& login,
                                            std::string_view act_as);
// Does `staff_id` still hold a grant for `account_id`? (A token's check on every request: a
// revoked grant ends the tokens made under it.)
Result<bool> holds_grant(storage::Connection& conn, std::int64_t staff_id, std::int64_t account_id);

// Records one write made through the client API.
boost::asio::awaitable<Result<void>> record_audit(storage::Database& db, storage::AuditRecord entry);
// Newest first; only writes acting as `account` when given (ServiceError::unknown_account if
// there is no such local account).
Result<std::vector<storage::AuditRecord>> audit_log(storage::Database& db,
                                                    std::optional<std::string> account, int limit);

}  // namespace civicpub::server::services

template <>
struct boost::system::is_error_code_enum<civicpub::server::services::StaffError> : std::true_type {};
