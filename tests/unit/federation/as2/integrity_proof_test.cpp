#include "federation/as2/integrity_proof.hpp"
#include "federation/as2/error.hpp"
#include "federation/as2/jcs.hpp"
#include "federation/as2/proof_error.hpp"
#include "federation/as2/reader.hpp"
#include "federation/crypto/ed25519.hpp"
#include "federation/crypto/multibase.hpp"
#include "federation/crypto/sha256.hpp"

#include "tests/unit/support/actors.hpp"
#include "tests/unit/support/proof_fixtures.hpp"

#include <catch2/catch.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

using namespace civicpub::federation::as2;
using namespace civicpub::federation::crypto;
using civicpub::test::parse_fixture;
using civicpub::test::read_fixture;
using civicpub::test::to_hex;

namespace {

// tests/fixtures/proofs/keyPair.json, also the FEP-8b32 feature's key.
std::string vector_private_key() {
  auto keys = parse_fixture("proofs/keyPair.json");
  return ed25519_private_key_from_multikey(keys["privateKeyMultibase"].GetString()).value();
}
std::string vector_public_key() {
  auto keys = parse_fixture("proofs/keyPair.json");
  return ed25519_public_key_from_multikey(keys["publicKeyMultibase"].GetString()).value();
}

const char* const kW3cMethod =
    "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
const char* const kFepMethod = "https://server.example/users/alice#ed25519-key";
const char* const kCreated = "2023-02-24T23:36:38Z";

std::string w3c(const char* name) {
  return read_fixture(std::string("proofs/eddsa-jcs-2022/") + name);
}

rapidjson::Document parse(std::string_view json) {
  auto doc = parse_json(json);
  REQUIRE(doc.has_value());
  return std::move(*doc);
}

std::string serialize(const rapidjson::Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  v.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

void set_string(rapidjson::Document& doc, rapidjson::Value& target, const char* value) {
  target.SetString(value, doc.GetAllocator());
}

}  // namespace

TEST_CASE("eddsa-jcs-2022: every intermediate of the W3C vc-di-eddsa test vector") {
  const auto unsigned_doc = parse_fixture("proofs/unsigned.json");
  const auto canonical_doc = canonicalize_json(unsigned_doc).value();
  CHECK(canonical_doc == w3c("canonDocJCS.txt"));
  CHECK(to_hex(sha256(canonical_doc)) == w3c("docHashJCS.txt"));

  const auto config = parse_fixture("proofs/eddsa-jcs-2022/proofConfigJCS.json");
  const auto canonical_config = canonicalize_json(config).value();
  CHECK(canonical_config == w3c("proofCanonJCS.txt"));
  CHECK(to_hex(sha256(canonical_config)) == w3c("proofHashJCS.txt"));

  const auto hash_data = proof_hash_data(unsigned_doc, config).value();
  CHECK(to_hex(hash_data) == w3c("combinedHashJCS.txt"));

  const auto signature = ed25519_sign(vector_private_key(), hash_data).value();
  CHECK(to_hex(signature) == w3c("sigHexJCS.txt"));
  CHECK(multibase_encode(signature) == w3c("sigBTC58JCS.txt"));
}

TEST_CASE("eddsa-jcs-2022: create_proof reproduces the W3C signed credential") {
  const auto signed_json = create_proof(read_fixture("proofs/unsigned.json"), vector_private_key(),
                                        ProofOptions{kW3cMethod, kCreated})
                               .value();
  const auto produced = parse(signed_json);
  const auto expected = parse_fixture("proofs/eddsa-jcs-2022/signedJCS.json");
  CHECK(produced["proof"]["proofValue"] == expected["proof"]["proofValue"]);
  CHECK(produced == expected);  // member by member, order aside
  // The proof members in the order the vectors and FEP examples write them.
  CHECK(serialize(produced["proof"]).rfind(R"({"@context":[)", 0) == 0);
}

TEST_CASE("eddsa-jcs-2022: the W3C signed credential verifies, by key and by lookup") {
  const auto signed_doc = parse_fixture("proofs/eddsa-jcs-2022/signedJCS.json");
  const auto info = verify_proof(signed_doc, vector_public_key()).value();
  CHECK(info.verification_method == kW3cMethod);
  CHECK(info.created == kCreated);

  std::string asked;
  PublicKeyLookup lookup = [&](std::string_view method) -> civicpub::Result<std::string> {
    asked = std::string(method);
    return vector_public_key();
  };
  CHECK(verify_proof(signed_doc, lookup).has_value());
  CHECK(asked == kW3cMethod);

  PublicKeyLookup failing = [](std::string_view) -> civicpub::Result<std::string> {
    return CryptoError::invalid_key;
  };
  CHECK(verify_proof(signed_doc, failing).error() == CryptoError::invalid_key);
}

TEST_CASE("FEP-8b32: signing the feature's activity gives its proofValue, and it verifies") {
  const auto signed_json = create_proof(read_fixture("proofs/fep-8b32/unsigned.json"),
                                        vector_private_key(), ProofOptions{kFepMethod, kCreated})
                               .value();
  const auto produced = parse(signed_json);
  const auto expected = parse_fixture("proofs/fep-8b32/signed.json");
  CHECK(produced["proof"]["proofValue"] == expected["proof"]["proofValue"]);
  CHECK(produced == expected);

  // Verification with the key the actor publishes under assertionMethod (FEP-521a).
  const auto actor = parse_fixture("proofs/fep-8b32/actor.json");
  PublicKeyLookup from_actor = [&](std::string_view method) -> civicpub::Result<std::string> {
    for (const auto& key : actor["assertionMethod"].GetArray()) {
      if (method == key["id"].GetString()) {
        return ed25519_public_key_from_multikey(key["publicKeyMultibase"].GetString());
      }
    }
    return ProofError::malformed_proof;
  };
  const auto info = verify_proof(expected, from_actor).value();
  CHECK(info.verification_method == kFepMethod);
}

TEST_CASE("Integrity proofs: a changed document, proof or key fails as bad_signature") {
  const auto public_key = vector_public_key();
  const auto original = read_fixture("proofs/fep-8b32/signed.json");

  auto content = parse(original);
  set_string(content, content["object"]["content"], "Hello world!");
  CHECK(verify_proof(content, public_key).error() == ProofError::bad_signature);

  auto number = parse(original);
  number["object"]["location"]["latitude"].SetDouble(25.273963);
  CHECK(verify_proof(number, public_key).error() == ProofError::bad_signature);

  auto added = parse(original);
  added.AddMember("to", "https://www.w3.org/ns/activitystreams#Public", added.GetAllocator());
  CHECK(verify_proof(added, public_key).error() == ProofError::bad_signature);

  auto created = parse(original);
  set_string(created, created["proof"]["created"], "2023-02-24T23:36:39Z");
  CHECK(verify_proof(created, public_key).error() == ProofError::bad_signature);

  auto method = parse(original);
  set_string(method, method["proof"]["verificationMethod"],
             "https://server.example/users/mallory#ed25519-key");
  CHECK(verify_proof(method, public_key).error() == ProofError::bad_signature);

  auto value = parse(original);
  auto proof_value = std::string(value["proof"]["proofValue"].GetString());
  auto signature = multibase_decode(proof_value).value();
  signature[0] = static_cast<char>(signature[0] ^ 1);
  set_string(value, value["proof"]["proofValue"], multibase_encode(signature).c_str());
  CHECK(verify_proof(value, public_key).error() == ProofError::bad_signature);

  const auto& other = civicpub::test::ed25519_key("someone else");
  CHECK(verify_proof(parse(original), other.public_key).error() == ProofError::bad_signature);
  CHECK(civicpub::kind_of(make_error_code(ProofError::bad_signature)) ==
        civicpub::ErrorKind::unauthorized);
}

TEST_CASE("Integrity proofs: the proof's parameters are checked before the signature") {
  const auto public_key = vector_public_key();
  const auto original = read_fixture("proofs/fep-8b32/signed.json");

  auto purpose = parse(original);
  set_string(purpose, purpose["proof"]["proofPurpose"], "authentication");
  CHECK(verify_proof(purpose, public_key).error() == ProofError::wrong_proof_purpose);
  CHECK(read_proof(parse(original), "authentication").error() == ProofError::wrong_proof_purpose);

  auto suite = parse(original);
  set_string(suite, suite["proof"]["cryptosuite"], "eddsa-rdfc-2022");
  CHECK(verify_proof(suite, public_key).error() == ProofError::unsupported_cryptosuite);
  auto type = parse(original);
  set_string(type, type["proof"]["type"], "Ed25519Signature2020");
  CHECK(verify_proof(type, public_key).error() == ProofError::unsupported_cryptosuite);
  CHECK(civicpub::kind_of(make_error_code(ProofError::unsupported_cryptosuite)) ==
        civicpub::ErrorKind::unsupported);

  auto context = parse(original);
  context["@context"].PopBack();  // the document no longer starts with the proof's @context
  CHECK(verify_proof(context, public_key).error() == ProofError::context_mismatch);

  for (const char* member : {"proofValue", "verificationMethod", "proofPurpose", "cryptosuite"}) {
    INFO(member);
    auto missing = parse(original);
    missing["proof"].RemoveMember(member);
    CHECK(verify_proof(missing, public_key).error() == ProofError::malformed_proof);
  }
  for (const char* bad_value : {"", "2NEpo7TZRRrLZSi2U", "z0OIl", "z2NEpo7TZRRrLZSi2U"}) {
    INFO(bad_value);  // not multibase, not base58btc, not 64 bytes
    auto v = parse(original);
    set_string(v, v["proof"]["proofValue"], bad_value);
    CHECK(verify_proof(v, public_key).error() == ProofError::malformed_proof);
  }
  auto date = parse(original);
  set_string(date, date["proof"]["created"], "yesterday");
  CHECK(verify_proof(date, public_key).error() == ProofError::malformed_proof);

  CHECK(verify_proof(parse(read_fixture("proofs/fep-8b32/unsigned.json")), public_key).error() ==
        ProofError::no_proof);
  CHECK(verify_proof(parse("[1]"), public_key).error() == ProofError::not_an_object);
  CHECK(verify_proof(parse(R"({"proof":"z2NEpo7TZRRrLZSi2U"})"), public_key).error() ==
        ProofError::malformed_proof);
}

TEST_CASE("Integrity proofs: a one-element proof array verifies - proof sets are refused") {
  const auto public_key = vector_public_key();
  auto doc = parse(read_fixture("proofs/fep-8b32/signed.json"));
  auto& alloc = doc.GetAllocator();
  rapidjson::Value proof(doc["proof"], alloc);
  rapidjson::Value one(rapidjson::kArrayType);
  one.PushBack(rapidjson::Value(proof, alloc), alloc);
  doc["proof"] = one;
  CHECK(verify_proof(doc, public_key).has_value());
  doc["proof"].PushBack(proof, alloc);
  CHECK(verify_proof(doc, public_key).error() == ProofError::proof_set_unsupported);
}

TEST_CASE("Integrity proofs: a proof without @context verifies as Fedify and the spec sign it") {
  const auto public_key = vector_public_key();
  // Fedify hashes the document's @context into the proof config but publishes the proof
  // without it (packages/fedify/src/sig/proof.ts, createProof).
  auto fedify_style = parse(read_fixture("proofs/fep-8b32/signed.json"));
  fedify_style["proof"].RemoveMember("@context");
  CHECK(verify_proof(fedify_style, public_key).has_value());

  // A document without @context: nothing to add, the proof has none either.
  const auto& pair = civicpub::test::ed25519_key("https://town.example/users/council");
  const auto signed_json = create_proof(R"({"type":"Note","content":"x","n":[1.5,-0,1e300]})",
                                        pair.private_key, ProofOptions{kFepMethod, kCreated})
                               .value();
  const auto doc = parse(signed_json);
  CHECK_FALSE(doc["proof"].HasMember("@context"));
  CHECK(verify_proof(doc, pair.public_key).has_value());
}

TEST_CASE("Integrity proofs: a Linked Data signature next to the proof is left out") {
  auto doc = parse(read_fixture("proofs/fep-8b32/signed.json"));
  rapidjson::Value signature(rapidjson::kObjectType);
  signature.AddMember("type", "RsaSignature2017", doc.GetAllocator());
  signature.AddMember("signatureValue", "c2ln", doc.GetAllocator());
  doc.AddMember("signature", signature, doc.GetAllocator());
  CHECK(verify_proof(doc, vector_public_key()).has_value());
}

TEST_CASE("Integrity proofs: fresh keys round-trip through text - create refuses bad input") {
  const auto& pair = civicpub::test::ed25519_key("https://town.example/users/council");
  const ProofOptions options{"https://town.example/users/council#ed25519-key",
                             proof_created(1677281798123)};
  CHECK(options.created == kCreated);
  CHECK(proof_created(0) == "1970-01-01T00:00:00Z");

  const std::string note =
      R"({"@context":["https://www.w3.org/ns/activitystreams",)"
      R"("https://w3id.org/security/data-integrity/v2"],"type":"Create",)"
      R"("actor":"https://town.example/users/council","object":{"type":"Note",)"
      R"("content":"Plan voor het plein \u00e9\u2028 \ud83d\ude00","zoom":0.1,"big":12345678901234567890}})";
  const auto signed_json = create_proof(note, pair.private_key, options).value();
  const auto info = verify_proof(parse(signed_json), pair.public_key).value();
  CHECK(info.verification_method == options.verification_method);

  CHECK(create_proof(signed_json, pair.private_key, options).error() ==
        ProofError::already_has_proof);
  CHECK(create_proof("[]", pair.private_key, options).error() == ProofError::not_an_object);
  CHECK(create_proof(note, pair.private_key, ProofOptions{"", kCreated}).error() ==
        ProofError::malformed_proof);
  CHECK(create_proof(note, pair.private_key, ProofOptions{kFepMethod, "24 Feb 2023"}).error() ==
        ProofError::malformed_proof);
  CHECK(create_proof(note, "short", options).error() == CryptoError::invalid_key);
  CHECK(create_proof("{", pair.private_key, options).error() == DocumentError::malformed_json);
}
