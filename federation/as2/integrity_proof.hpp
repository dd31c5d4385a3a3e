// FEP-8b32 object integrity proofs: a `proof` member (a Data Integrity `DataIntegrityProof`,
// cryptosuite `eddsa-jcs-2022` of W3C vc-di-eddsa) that lets anyone holding a copy of an
// activity check who wrote it, whoever delivered it. This is what makes a forwarded activity
// believable (issue 5: thread owners forward replies they did not write).
//
// The signed bytes are SHA-256(JCS(proof config)) || SHA-256(JCS(document without proof)), where
// the proof config is the proof without `proofValue` and, as vc-di-eddsa's Create Proof asks,
// carries the document's `@context`. The key is the Ed25519 Multikey the actor lists under
// `assertionMethod` (FEP-521a); fetching it and checking that it belongs to the activity's actor
// is the caller's part.
#pragma once

#include "common/error_kind.hpp"
#include "federation/as2/time_format.hpp"

#include <rapidjson/document.h>

#include <functional>
#include <string>
#include <string_view>

namespace civicpub::federation::as2 {

inline constexpr std::string_view kDataIntegrityProof = "DataIntegrityProof";
inline constexpr std::string_view kEddsaJcs2022 = "eddsa-jcs-2022";
inline constexpr std::string_view kAssertionMethod = "assertionMethod";
// The published context that defines `proof`, `DataIntegrityProof` and its members: documents
// that carry a proof list it in their `@context` (FEP-8b32 examples) so that JSON-LD peers
// (Fedify) see the proof.
inline constexpr std::string_view kDataIntegrityContext =
    "https://w3id.org/security/data-integrity/v2";

struct ProofOptions {
  std::string verification_method;  // the Multikey id, e.g. <actor id>#ed25519-key
  std::string created;              // an XML Schema dateTime; use proof_created()
  std::string proof_purpose = std::string(kAssertionMethod);
};

// "2023-02-24T23:36:38Z": whole seconds in UTC. Fedify rebuilds `created` from the instant it
// parsed (Temporal.Instant.toString()) before hashing, so another spelling of the same time
// (".000Z", "+00:00") would not verify there.
std::string proof_created(Millis at);

// The 64 bytes that are signed: SHA-256(JCS(proof_config)) || SHA-256(JCS(unsecured_document))
// (vc-di-eddsa, "Hashing (eddsa-jcs-2022)"). Errors: those of canonicalize_json.
Result<std::string> proof_hash_data(const rapidjson::Value& unsecured_document,
                                    const rapidjson::Value& proof_config);

// Adds a `proof` to `document` signed with the raw 32-byte Ed25519 `private_key`. The proof
// members: @context (the document's, when it has one), type, cryptosuite, verificationMethod,
// proofPurpose, created, proofValue ('z' + base58btc of the 64-byte signature).
// Errors: not_an_object, already_has_proof, malformed_proof (empty verification method or
// purpose, `created` not a dateTime), the errors of canonicalize_json, CryptoError::invalid_key.
Result<void> add_proof(rapidjson::Document& document, std::string_view private_key,
                       const ProofOptions& options);

// The same over JSON text; returns the signed document serialized compactly (member order kept,
// `proof` last). Errors: also those of parse_json.
Result<std::string> create_proof(std::string_view document_json, std::string_view private_key,
                                 const ProofOptions& options);

// What a proof claims, once its shape is checked.
struct ProofInfo {
  std::string verification_method;
  std::string created;  // as written; empty when absent (Data Integrity makes it optional)
};

// Checks the proof's shape and parameters without the signature, so that the caller can fetch
// the key named by verification_method (asynchronously) before verify_proof. A `proof` array
// with one element is read as that element; several proofs (a proof set) are not supported.
// Errors: not_an_object, no_proof, proof_set_unsupported, malformed_proof (a member missing or
// of the wrong type, proofValue not a base58btc 64-byte signature, created not a dateTime),
// unsupported_cryptosuite, wrong_proof_purpose.
Result<ProofInfo> read_proof(const rapidjson::Value& document,
                             std::string_view expected_purpose = kAssertionMethod);

// read_proof, then the signature with the raw 32-byte Ed25519 `public_key` of the verification
// method. A proof with its own @context requires the document's @context to start with it
// (vc-di-eddsa "Verify Proof"). A proof without one is tried as the spec says (no @context in
// the proof config) and then with the document's @context, which is how Fedify signs while
// leaving @context out of the proof it publishes. When the document carries a Linked Data
// `signature` as well, it is left out of the hashed document (FEP-8b32 "Backward
// compatibility"). Errors: those of read_proof, context_mismatch, bad_signature,
// CryptoError::invalid_key (the public key is not 32 bytes), the errors of canonicalize_json.
Result<ProofInfo> verify_proof(const rapidjson::Value& document, std::string_view public_key,
                               std::string_view expected_purpose = kAssertionMethod);

// Maps a verification method id to its raw Ed25519 public key; its errors are passed through.
using PublicKeyLookup = std::function<Result<std::string>(std::string_view verification_method)>;

Result<ProofInfo> verify_proof(const rapidjson::Value& document, const PublicKeyLookup& lookup,
                               std::string_view expected_purpose = kAssertionMethod);

}  // namespace civicpub::federation::as2
