#include "federation/signatures/signature_error.hpp"

#include <string>

namespace civicpub::federation::signatures {
namespace {

class SignatureCategory final : public KindedCategory {
 public:
  const char* name() const noexcept override { return "civicpub.signature"; }

  std::string message(int value) const override {
    switch (static_cast<SignatureError>(value)) {
      case SignatureError::missing_signature: return "missing signature";
      case SignatureError::malformed_header: return "malformed signature header";
      case SignatureError::unsupported_algorithm: return "unsupported signature algorithm";
      case SignatureError::header_not_covered: return "required header not signed";
      case SignatureError::missing_header: return "signed header missing";
      case SignatureError::digest_mismatch: return "digest mismatch";
      case SignatureError::date_too_old: return "signature too old";
      case SignatureError::date_in_future: return "signature date in the future";
      case SignatureError::bad_signature: return "signature does not verify";
      case SignatureError::key_mismatch: return "unusable signing key";
      case SignatureError::wrong_host: return "signature made for another host";
    }
    return "unknown signature error";
  }

  // See the header: all of them are 401 so that peers retry (Fedify's double knock).
  ErrorKind kind(int) const noexcept override { return ErrorKind::unauthorized; }
};

}  // namespace

const KindedCategory& signature_category() noexcept {
  static const SignatureCategory category;
  return category;
}

}  // namespace civicpub::federation::signatures
