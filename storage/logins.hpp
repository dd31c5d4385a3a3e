// Logins of local accounts: e-mail address and password hash (issue 13). The hash is computed
// above (server/services/passwords); storage keeps the encoded string only.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace civicpub::storage {

// The login of a local account (issue 13): an e-mail address and an argon2id password hash (the
// encoded form libargon2 writes, "$argon2id$v=19$..."). Either may be missing.
struct LoginRecord {
  std::int64_t actor_id = 0;
  std::optional<std::string> email;
  std::optional<std::string> password_hash;
  Millis created_at = 0;
  Millis updated_at = 0;
};

}  // namespace civicpub::storage

namespace civicpub::storage::logins {

// Creates or replaces the password hash of `actor_id`.
Result<void> set_password_hash(Connection& conn, std::int64_t actor_id, std::string_view hash,
                               Millis now);

// Creates or replaces the e-mail address. Errc::conflict when another account has it.
Result<void> set_email(Connection& conn, std::int64_t actor_id, std::string_view email, Millis now);

Result<std::optional<LoginRecord>> find_by_actor(Connection& conn, std::int64_t actor_id);
// Case-insensitive (ASCII).
Result<std::optional<LoginRecord>> find_by_email(Connection& conn, std::string_view email);

}  // namespace civicpub::storage::logins
