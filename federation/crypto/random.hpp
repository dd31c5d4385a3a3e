// Unguessable values (OAuth client ids, secrets, tokens, codes) and their text forms.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace civicpub::federation::crypto {

// `n` bytes from OpenSSL's CSPRNG (RAND_bytes). Throws std::runtime_error when the generator
// fails (an unseeded system: a bug in the machine, not an expected failure).
std::string random_bytes(std::size_t n);

// Lowercase hex of the bytes.
std::string to_hex(std::string_view bytes);

// RFC 4648 section 5 base64url without padding (PKCE code challenges, RFC 7636 appendix A).
std::string base64url_encode(std::string_view bytes);

// A random token of `bytes` bytes as base64url (32 bytes: 43 characters).
std::string random_token(std::size_t bytes = 32);

// Hex SHA-256 of a secret: how tokens, secrets and codes are stored.
std::string sha256_hex(std::string_view secret);

}  // namespace civicpub::federation::crypto
