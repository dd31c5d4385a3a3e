// Password hashing with argon2id (RFC 9106) from Debian's libargon2, the reference
// implementation (docs/libraries.md). Parameters follow OWASP's argon2id minimum (19 MiB, 2
// passes, 1 lane): about 30 ms a hash on one core, which also bounds what a login costs us.
#pragma once

#include "common/error_kind.hpp"

#include <string>
#include <string_view>

namespace civicpub::server::services {

// Limits on a new password: at least 8 and at most 1024 bytes (argon2 would take more, but a
// megabyte password is an attack on our memory, not a password).
inline constexpr std::size_t kMinPasswordLength = 8;
inline constexpr std::size_t kMaxPasswordLength = 1024;

// The encoded hash ("$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>") with a fresh random salt.
// Throws std::runtime_error when libargon2 fails (out of memory): not an input error.
std::string hash_password(std::string_view password);

// True when `password` matches `encoded` (constant-time compare inside libargon2). A malformed
// `encoded` or an over-long password is simply no match.
bool verify_password(std::string_view encoded, std::string_view password);

}  // namespace civicpub::server::services
