// Standard base64 (RFC 4648 section 4, with padding), as used by Digest, Content-Digest and the
// signature values of both HTTP signature schemes.
#pragma once

#include "federation/crypto/crypto_error.hpp"

#include <string>
#include <string_view>

namespace civicpub::federation::crypto {

std::string base64_encode(std::string_view bytes);

// Strict: only the standard alphabet, length a multiple of 4, padding only at the end, and the
// unused bits of the last symbol zero (so each byte string has exactly one accepted encoding).
// No whitespace is skipped. Errors: CryptoError::invalid_base64.
Result<std::string> base64_decode(std::string_view text);

}  // namespace civicpub::federation::crypto
