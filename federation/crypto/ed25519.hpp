// Ed25519 (RFC 8032, pure EdDSA) keys and signatures over OpenSSL 3: the key type of FEP-8b32
// object integrity proofs (cryptosuite eddsa-jcs-2022) and of FEP-521a Multikeys. HTTP
// signatures stay RSA (INTEROP.md section 2: released Mastodon accepts nothing else there).
//
// Keys travel as raw bytes: 32 for the private key (the RFC 8032 seed) and 32 for the public key,
// which is what Multikey encodes. PKCS#8 PEM is the storage form of the private key, as for RSA.
#pragma once

#include "federation/crypto/crypto_error.hpp"
#include "federation/crypto/evp_ptr.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace civicpub::federation::crypto {

inline constexpr std::size_t kEd25519KeyBytes = 32;
inline constexpr std::size_t kEd25519SignatureBytes = 64;

struct Ed25519KeyPair {
  std::string private_key;  // 32 raw bytes (seed)
  std::string public_key;   // 32 raw bytes
};

// A fresh key pair. Throws std::runtime_error only when OpenSSL itself fails (a broken
// environment, not an input problem), like generate_rsa_key_pair.
Ed25519KeyPair generate_ed25519_key_pair();

// The public key that belongs to a raw private key. Errors: invalid_key (not 32 bytes).
Result<std::string> ed25519_public_key_of(std::string_view private_key);

// PKCS#8 PEM ("BEGIN PRIVATE KEY"), unencrypted. Errors: invalid_key, openssl_failure.
Result<std::string> ed25519_private_key_to_pem(std::string_view private_key);
// Reads PKCS#8 PEM back to the raw 32 bytes; any other key type is invalid_key.
Result<std::string> ed25519_private_key_from_pem(std::string_view pem);

// OpenSSL handles for repeated use (sign many activities with one loaded key).
Result<PkeyPtr> load_ed25519_private_key(std::string_view private_key);
Result<PkeyPtr> load_ed25519_public_key(std::string_view public_key);

// The 64-byte signature of `data`. Errors: invalid_key, openssl_failure.
Result<std::string> ed25519_sign(std::string_view private_key, std::string_view data);
Result<std::string> ed25519_sign(EVP_PKEY* private_key, std::string_view data);

// Errors: invalid_key (not a 32-byte public key), bad_signature (also for a signature that is
// not 64 bytes).
Result<void> ed25519_verify(std::string_view public_key, std::string_view data,
                            std::string_view signature);
Result<void> ed25519_verify(EVP_PKEY* public_key, std::string_view data,
                            std::string_view signature);

}  // namespace civicpub::federation::crypto
