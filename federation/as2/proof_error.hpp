// Errors of JSON canonicalization (RFC 8785) and of object integrity proofs (FEP-8b32). Each says
// what is wrong with the document or its proof; the log gets the detail, the sender a 4xx.
#pragma once

#include "common/error_kind.hpp"

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace civicpub::federation::as2 {

enum class ProofError {
  // JCS: values RFC 8785 cannot represent (it requires I-JSON, RFC 7493).
  number_not_finite = 1,  // NaN or an infinity
  invalid_utf8,           // a string or member name that is not well-formed UTF-8
  duplicate_member,       // two members of one object with the same name
  too_deep,               // nested deeper than kMaxJcsDepth
  // Proofs.
  not_an_object,            // the document is not a JSON object
  no_proof,                 // the document has no `proof`
  already_has_proof,        // create_proof on a document that carries one
  proof_set_unsupported,    // `proof` is an array of several proofs
  malformed_proof,          // a required proof member is missing or of the wrong shape
  unsupported_cryptosuite,  // not a DataIntegrityProof with cryptosuite eddsa-jcs-2022
  wrong_proof_purpose,      // proofPurpose is not the one asked for (assertionMethod)
  context_mismatch,         // the document's @context does not start with the proof's
  bad_signature,            // the signature does not verify with the verification method's key
};

const KindedCategory& proof_category() noexcept;

inline boost::system::error_code make_error_code(ProofError e) noexcept {
  return {static_cast<int>(e), proof_category()};
}

}  // namespace civicpub::federation::as2

template <>
struct boost::system::is_error_code_enum<civicpub::federation::as2::ProofError> : std::true_type {};
