// People with passwords (issue 13): setting a local account's password and e-mail address, and
// checking a login (e-mail address or username, and password) with throttling. The CLI sets
// passwords; the OAuth token endpoint and the consent page check them.
#pragma once

#include "server/services/login_throttle.hpp"
#include "common/error_kind.hpp"
#include "storage/database.hpp"
#include "storage/logins.hpp"
#include "storage/records.hpp"

#include <string_view>

namespace civicpub::server::services {

enum class LoginError {
  password_too_short = 1,  // fewer than kMinPasswordLength bytes (invalid_input)
  password_too_long,       // more than kMaxPasswordLength bytes (invalid_input)
  invalid_email,           // not something@something (invalid_input)
  email_taken,             // another account has it (conflict)
  wrong_credentials,       // unknown login, no password set, wrong password (unauthorized)
  throttled,               // too many failures for the account or the address (transient)
};

const civicpub::KindedCategory& login_error_category() noexcept;

inline boost::system::error_code make_error_code(LoginError e) noexcept {
  return {static_cast<int>(e), login_error_category()};
}

// Sets the password of local account `username` (hashed with argon2id; the hash is computed
// before the write job, outside the writer thread). Errors: LoginError, ServiceError
// (unknown_account, account_deleted), storage errors.
Result<void> set_password(storage::Database& db, std::string_view username,
                          std::string_view password, storage::Millis now);

// Sets the e-mail address of local account `username`. Errors as set_password, and
// LoginError::invalid_email, email_taken.
Result<void> set_email(storage::Database& db, std::string_view username, std::string_view email,
                       storage::Millis now);

// The local account that `login` (an e-mail address, or a username with or without a leading @)
// and `password` identify. Throttled per account and per `address` (LoginError::throttled comes
// before any password check); every failure is the same LoginError::wrong_credentials, so the
// answer does not tell whether an account exists.
Result<storage::ActorRecord> authenticate(storage::Database& db, LoginThrottle& throttle,
                                          std::string_view login, std::string_view password,
                                          std::string_view address);

}  // namespace civicpub::server::services

template <>
struct boost::system::is_error_code_enum<civicpub::server::services::LoginError> : std::true_type {};
