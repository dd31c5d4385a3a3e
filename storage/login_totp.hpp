// The TOTP second factor of a login (issue 13; RFC 6238): the shared key an authenticator app
// holds, and the last time step a code was accepted for, so that a code is accepted once (a code
// seen by someone looking over a shoulder, or replayed from a log, does not work again). The key
// must be stored as it is (a TOTP check computes codes from it); the database file is already
// the instance's secret (it holds the private keys).
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace civicpub::storage {

struct TotpRecord {
  std::int64_t actor_id = 0;
  std::string secret_hex;               // the shared key, hex
  std::optional<std::int64_t> last_step;  // the last accepted time step (Unix time / 30)
  Millis created_at = 0;
};

}  // namespace civicpub::storage

namespace civicpub::storage::login_totp {

// Sets (or replaces, forgetting the last step) the key of `actor_id`.
Result<void> set(Connection& conn, std::int64_t actor_id, std::string_view secret_hex, Millis now);
// Returns whether there was one.
Result<bool> remove(Connection& conn, std::int64_t actor_id);
Result<std::optional<TotpRecord>> find(Connection& conn, std::int64_t actor_id);
// Records that a code of time step `step` was accepted, unless one of that step or a later one
// was accepted before: true when recorded (the code may be accepted), false for a replay.
Result<bool> accept_step(Connection& conn, std::int64_t actor_id, std::int64_t step);

}  // namespace civicpub::storage::login_totp
