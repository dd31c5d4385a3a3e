// RSA key pairs for local actors (INTEROP.md section 2: RSA 2048, PKCS#1 v1.5 with SHA-256).
#pragma once

#include "common/error_kind.hpp"

#include <string>

namespace civicpub::federation::crypto {

struct RsaKeyPair {
  std::string private_pem;  // PKCS#8 PEM
  std::string public_pem;   // SubjectPublicKeyInfo PEM ("BEGIN PUBLIC KEY")
};

// Generates a fresh RSA key pair. Throws std::runtime_error only when OpenSSL itself fails (a
// broken environment, not an input problem).
RsaKeyPair generate_rsa_key_pair(int bits = 2048);

}  // namespace civicpub::federation::crypto
