#include "federation/crypto/crypto_error.hpp"

#include <string>

namespace civicpub::federation::crypto {
namespace {

class CryptoCategory final : public KindedCategory {
 public:
  const char* name() const noexcept override { return "civicpub.crypto"; }

  std::string message(int value) const override {
    switch (static_cast<CryptoError>(value)) {
      case CryptoError::invalid_base64: return "invalid base64";
      case CryptoError::invalid_key: return "invalid or unsupported key";
      case CryptoError::bad_signature: return "signature does not verify";
      case CryptoError::openssl_failure: return "OpenSSL failure";
      case CryptoError::invalid_multibase: return "invalid multibase (base58btc)";
    }
    return "unknown crypto error";
  }

  ErrorKind kind(int value) const noexcept override {
    switch (static_cast<CryptoError>(value)) {
      case CryptoError::invalid_base64: return ErrorKind::invalid_input;
      case CryptoError::invalid_key: return ErrorKind::invalid_input;
      case CryptoError::bad_signature: return ErrorKind::unauthorized;
      case CryptoError::openssl_failure: return ErrorKind::internal;
      case CryptoError::invalid_multibase: return ErrorKind::invalid_input;
    }
    return ErrorKind::internal;
  }
};

}  // namespace

const KindedCategory& crypto_category() noexcept {
  static const CryptoCategory category;
  return category;
}

}  // namespace civicpub::federation::crypto
