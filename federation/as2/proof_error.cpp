#include "federation/as2/proof_error.hpp"

#include <string>

namespace civicpub::federation::as2 {
namespace {

class ProofCategory final : public KindedCategory {
 public:
  const char* name() const noexcept override { return "civicpub.proof"; }

  std::string message(int value) const override {
    switch (static_cast<ProofError>(value)) {
      case ProofError::number_not_finite: return "number is NaN or infinite";
      case ProofError::invalid_utf8: return "string is not valid UTF-8";
      case ProofError::duplicate_member: return "object has duplicate member names";
      case ProofError::too_deep: return "document nested too deeply to canonicalize";
      case ProofError::not_an_object: return "document is not a JSON object";
      case ProofError::no_proof: return "document has no proof";
      case ProofError::already_has_proof: return "document already has a proof";
      case ProofError::proof_set_unsupported: return "proof sets are not supported";
      case ProofError::malformed_proof: return "malformed proof";
      case ProofError::unsupported_cryptosuite: return "unsupported proof type or cryptosuite";
      case ProofError::wrong_proof_purpose: return "wrong proof purpose";
      case ProofError::context_mismatch: return "proof @context does not match the document";
      case ProofError::bad_signature: return "proof signature does not verify";
    }
    return "unknown proof error";
  }

  ErrorKind kind(int value) const noexcept override {
    switch (static_cast<ProofError>(value)) {
      case ProofError::unsupported_cryptosuite:
      case ProofError::proof_set_unsupported: return ErrorKind::unsupported;
      case ProofError::wrong_proof_purpose:
      case ProofError::context_mismatch:
      case ProofError::bad_signature: return ErrorKind::unauthorized;
      default: return ErrorKind::invalid_input;
    }
  }
};

}  // namespace

const KindedCategory& proof_category() noexcept {
  static const ProofCategory category;
  return category;
}

}  // namespace civicpub::federation::as2
