// RSASSA-PKCS1-v1_5 with SHA-256: the one algorithm every fediverse peer accepts (INTEROP.md
// section 2: draft-cavage rsa-sha256 / hs2019, RFC 9421 rsa-v1_5-sha256).
#pragma once

#include "federation/crypto/crypto_error.hpp"
#include "federation/crypto/evp_ptr.hpp"

#include <string>
#include <string_view>

namespace civicpub::federation::crypto {

// Returns the raw signature bytes. Errors: invalid_key, openssl_failure.
Result<std::string> rsa_sha256_sign(std::string_view private_pem, std::string_view data);
Result<std::string> rsa_sha256_sign(EVP_PKEY* private_key, std::string_view data);

// Errors: invalid_key (PEM unusable), bad_signature.
Result<void> rsa_sha256_verify(std::string_view public_pem, std::string_view data,
                               std::string_view signature);
Result<void> rsa_sha256_verify(EVP_PKEY* public_key, std::string_view data,
                               std::string_view signature);

}  // namespace civicpub::federation::crypto
