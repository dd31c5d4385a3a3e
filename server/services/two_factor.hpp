// The TOTP second factor of a login (issue 13; RFC 6238 with SHA-1, 6 digits, 30 s steps: what
// every authenticator app reads from an otpauth:// URI). `civicpub account 2fa enable NAME`
// makes a random 160-bit key (RFC 4226 section 4 asks for at least 128 bits) and prints the URI
// and the key in base32; from then on the consent page asks for a code, and the password grant
// is refused (as on Mastodon, whose Doorkeeper setup returns no resource owner for a user with
// two factors, hence invalid_grant: an app must send the person through the consent page).
// Codes are computed and compared by liboath (docs/libraries.md). A code is accepted for the
// current time step and one step either side (clocks drift), and at most once: a step at or
// before the last accepted one is refused. Wrong codes count like wrong passwords
// (LoginThrottle: at most 5 in 5 minutes per account, then every attempt is refused).
#pragma once

#include "server/services/login_throttle.hpp"
#include "common/error_kind.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace civicpub::server::services {

enum class TwoFactorError {
  code_required = 1,  // the account has a second factor and no code came (unauthorized)
  wrong_code,         // not a current code, or one used before (unauthorized)
  not_enabled,        // disable without a second factor (not_found)
};

const civicpub::KindedCategory& two_factor_error_category() noexcept;

inline boost::system::error_code make_error_code(TwoFactorError e) noexcept {
  return {static_cast<int>(e), two_factor_error_category()};
}

struct TotpSetup {
  std::string secret_base32;  // to type into an app by hand
  std::string uri;            // otpauth://totp/ISSUER:NAME@HOST?secret=...&issuer=...
};

// Turns the second factor on for local account `username` (a new key replaces an old one).
// `issuer` names the server in the app (the instance's host). Errors: ServiceError
// (unknown_account, account_deleted), storage errors.
Result<TotpSetup> enable_two_factor(storage::Database& db, std::string_view username,
                                    std::string_view issuer, storage::Millis now);
// Errors: TwoFactorError::not_enabled, ServiceError, storage errors.
Result<void> disable_two_factor(storage::Database& db, std::string_view username);

// Does the account have a second factor?
Result<bool> has_two_factor(storage::Database& db, std::int64_t actor_id);

// Checks `code` for an account that passed its password check, at Unix time `now_seconds`:
// nothing when it has no second factor; else TwoFactorError::code_required (empty code),
// wrong_code, or LoginError::throttled (before any check). `address` as for the password.
// The step is recorded through the writer without blocking the calling thread.
boost::asio::awaitable<Result<void>> check_two_factor(storage::Database& db,
                                                      LoginThrottle& throttle,
                                                      std::int64_t actor_id, std::string code,
                                                      std::string address,
                                                      std::int64_t now_seconds);

}  // namespace civicpub::server::services

template <>
struct boost::system::is_error_code_enum<civicpub::server::services::TwoFactorError>
    : std::true_type {};
