#include "federation/as2/integrity_proof.hpp"

#include "federation/as2/jcs.hpp"
#include "federation/as2/proof_error.hpp"
#include "federation/as2/reader.hpp"
#include "federation/as2/time_format.hpp"
#include "federation/crypto/ed25519.hpp"
#include "federation/crypto/multibase.hpp"
#include "federation/crypto/sha256.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <optional>
#include <vector>

namespace civicpub::federation::as2 {
namespace {

using rapidjson::Value;

Value string_value(std::string_view s, rapidjson::Document::AllocatorType& alloc) {
  return Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), alloc);
}

std::optional<std::string_view> string_member(const Value& object, std::string_view name) {
  const Value* v = find_member(object, name);
  if (!v || !v->IsString()) return std::nullopt;
  return std::string_view(v->GetString(), v->GetStringLength());
}

struct ParsedProof {
  const Value* proof = nullptr;
  ProofInfo info;
  std::string signature;  // 64 raw bytes
};

Result<ParsedProof> parse_proof(const Value& document, std::string_view expected_purpose) {
  if (!document.IsObject()) return ProofError::not_an_object;
  const Value* proof = find_member(document, "proof");
  if (!proof) return ProofError::no_proof;
  if (proof->IsArray()) {
    if (proof->Size() != 1) return ProofError::proof_set_unsupported;
    proof = &(*proof)[0];
  }
  if (!proof->IsObject()) return ProofError::malformed_proof;
  const auto type = string_member(*proof, "type");
  const auto suite = string_member(*proof, "cryptosuite");
  if (!type || !suite) return ProofError::malformed_proof;
  if (*type != kDataIntegrityProof || *suite != kEddsaJcs2022) {
    return ProofError::unsupported_cryptosuite;
  }
  const auto purpose = string_member(*proof, "proofPurpose");
  if (!purpose) return ProofError::malformed_proof;
  if (*purpose != expected_purpose) return ProofError::wrong_proof_purpose;
  const auto method = string_member(*proof, "verificationMethod");
  if (!method || method->empty()) return ProofError::malformed_proof;
  ParsedProof out;
  out.proof = proof;
  out.info.verification_method = std::string(*method);
  if (const Value* created = find_member(*proof, "created")) {
    if (!created->IsString()) return ProofError::malformed_proof;
    out.info.created.assign(created->GetString(), created->GetStringLength());
    if (!parse_iso8601(out.info.created)) return ProofError::malformed_proof;
  }
  const auto value = string_member(*proof, "proofValue");
  if (!value) return ProofError::malformed_proof;
  auto signature = crypto::multibase_decode(*value);
  if (!signature || signature->size() != crypto::kEd25519SignatureBytes) {
    return ProofError::malformed_proof;
  }
  out.signature = std::move(*signature);
  return out;
}

// A @context value as a list of entries: a single string or object is a list of one.
std::vector<const Value*> context_entries(const Value& context) {
  std::vector<const Value*> out;
  if (context.IsArray()) {
    for (const auto& entry : context.GetArray()) out.push_back(&entry);
  } else {
    out.push_back(&context);
  }
  return out;
}

bool context_starts_with(const Value* document_context, const Value& proof_context) {
  if (!document_context) return false;
  const auto doc = context_entries(*document_context);
  const auto prefix = context_entries(proof_context);
  if (prefix.size() > doc.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (*doc[i] != *prefix[i]) return false;
  }
  return true;
}

Result<void> verify_parsed(const Value& document, const ParsedProof& parsed,
                           std::string_view public_key) {
  auto key = crypto::load_ed25519_public_key(public_key);
  if (!key) return key.error();

  // The document without its proof (and without a Linked Data signature next to it).
  rapidjson::Document unsecured;
  unsecured.SetObject();
  auto& ua = unsecured.GetAllocator();
  for (const auto& m : document.GetObject()) {
    const std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (name == "proof" || name == "signature") continue;
    unsecured.AddMember(Value(m.name, ua), Value(m.value, ua), ua);
  }
  // The proof options: the proof without its value.
  rapidjson::Document options;
  options.SetObject();
  auto& oa = options.GetAllocator();
  for (const auto& m : parsed.proof->GetObject()) {
    const std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (name == "proofValue") continue;
    options.AddMember(Value(m.name, oa), Value(m.value, oa), oa);
  }

  const Value* document_context = find_member(document, "@context");
  if (const Value* proof_context = find_member(options, "@context")) {
    if (!context_starts_with(document_context, *proof_context)) {
      return ProofError::context_mismatch;
    }
    unsecured.RemoveMember("@context");
    unsecured.AddMember("@context", Value(*proof_context, ua), ua);
  }

  auto hash = proof_hash_data(unsecured, options);
  if (!hash) return hash.error();
  if (crypto::ed25519_verify(key->get(), *hash, parsed.signature)) return {};

  if (document_context && !find_member(options, "@context")) {
    options.AddMember("@context", Value(*document_context, oa), oa);
    hash = proof_hash_data(unsecured, options);
    if (!hash) return hash.error();
    if (crypto::ed25519_verify(key->get(), *hash, parsed.signature)) return {};
  }
  return ProofError::bad_signature;
}

}  // namespace

std::string proof_created(Millis at) {
  // "YYYY-MM-DDTHH:MM:SS.mmmZ" without the milliseconds.
  return format_iso8601_ms(at).substr(0, 19) + "Z";
}

Result<std::string> proof_hash_data(const Value& unsecured_document, const Value& proof_config) {
  auto canonical_config = canonicalize_json(proof_config);
  if (!canonical_config) return canonical_config.error();
  auto canonical_document = canonicalize_json(unsecured_document);
  if (!canonical_document) return canonical_document.error();
  return crypto::sha256(*canonical_config) + crypto::sha256(*canonical_document);
}

Result<void> add_proof(rapidjson::Document& document, std::string_view private_key,
                       const ProofOptions& options) {
  if (!document.IsObject()) return ProofError::not_an_object;
  if (find_member(document, "proof")) return ProofError::already_has_proof;
  if (options.verification_method.empty() || options.proof_purpose.empty() ||
      !parse_iso8601(options.created)) {
    return ProofError::malformed_proof;
  }
  auto key = crypto::load_ed25519_private_key(private_key);
  if (!key) return key.error();

  auto& alloc = document.GetAllocator();
  Value proof(rapidjson::kObjectType);
  if (const Value* context = find_member(document, "@context")) {
    proof.AddMember("@context", Value(*context, alloc), alloc);
  }
  proof.AddMember("type", string_value(kDataIntegrityProof, alloc), alloc);
  proof.AddMember("cryptosuite", string_value(kEddsaJcs2022, alloc), alloc);
  proof.AddMember("verificationMethod", string_value(options.verification_method, alloc), alloc);
  proof.AddMember("proofPurpose", string_value(options.proof_purpose, alloc), alloc);
  proof.AddMember("created", string_value(options.created, alloc), alloc);

  auto hash = proof_hash_data(document, proof);
  if (!hash) return hash.error();
  auto signature = crypto::ed25519_sign(key->get(), *hash);
  if (!signature) return signature.error();
  proof.AddMember("proofValue", string_value(crypto::multibase_encode(*signature), alloc), alloc);
  document.AddMember("proof", proof, alloc);
  return {};
}

Result<std::string> create_proof(std::string_view document_json, std::string_view private_key,
                                 const ProofOptions& options) {
  auto document = parse_json(document_json);
  if (!document) return document.error();
  if (auto r = add_proof(*document, private_key, options); !r) return r.error();
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  document->Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

Result<ProofInfo> read_proof(const Value& document, std::string_view expected_purpose) {
  auto parsed = parse_proof(document, expected_purpose);
  if (!parsed) return parsed.error();
  return std::move(parsed->info);
}

Result<ProofInfo> verify_proof(const Value& document, std::string_view public_key,
                               std::string_view expected_purpose) {
  auto parsed = parse_proof(document, expected_purpose);
  if (!parsed) return parsed.error();
  if (auto r = verify_parsed(document, *parsed, public_key); !r) return r.error();
  return std::move(parsed->info);
}

Result<ProofInfo> verify_proof(const Value& document, const PublicKeyLookup& lookup,
                               std::string_view expected_purpose) {
  auto parsed = parse_proof(document, expected_purpose);
  if (!parsed) return parsed.error();
  auto key = lookup(parsed->info.verification_method);
  if (!key) return key.error();
  if (auto r = verify_parsed(document, *parsed, *key); !r) return r.error();
  return std::move(parsed->info);
}

}  // namespace civicpub::federation::as2
