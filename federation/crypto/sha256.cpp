#include "federation/crypto/sha256.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace civicpub::federation::crypto {

std::string sha256(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // EVP_Digest fails only on allocation failure or a broken provider: not an input problem.
  if (EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL: SHA-256 failed");
  }
  return std::string(reinterpret_cast<const char*>(out), len);
}

}  // namespace civicpub::federation::crypto
