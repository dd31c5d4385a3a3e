// Loading RSA keys from PEM text as actors publish them (publicKeyPem) and as we store ours.
#pragma once

#include "federation/crypto/crypto_error.hpp"
#include "federation/crypto/evp_ptr.hpp"

#include <string_view>

namespace civicpub::federation::crypto {

// Accepts SubjectPublicKeyInfo ("BEGIN PUBLIC KEY", what Mastodon and Fedify publish) and PKCS#1
// ("BEGIN RSA PUBLIC KEY", what some older servers publish). Only RSA keys: released Mastodon
// signs and verifies with RSA only (INTEROP.md section 2). Errors: CryptoError::invalid_key.
Result<PkeyPtr> load_rsa_public_key(std::string_view pem);

// Accepts PKCS#8 ("BEGIN PRIVATE KEY") and PKCS#1 ("BEGIN RSA PRIVATE KEY"), unencrypted only.
Result<PkeyPtr> load_rsa_private_key(std::string_view pem);

// Checks without keeping the key: for validating fetched actors before they are stored.
Result<void> validate_rsa_public_key_pem(std::string_view pem);
Result<void> validate_rsa_private_key_pem(std::string_view pem);

}  // namespace civicpub::federation::crypto
