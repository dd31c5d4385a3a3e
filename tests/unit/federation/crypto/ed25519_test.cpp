#include "federation/crypto/ed25519.hpp"
#include "federation/crypto/rsa_key.hpp"

#include "tests/unit/support/proof_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace civicpub::federation::crypto;
using civicpub::test::from_hex;
using civicpub::test::to_hex;

TEST_CASE("Ed25519 reproduces the RFC 8032 section 7.1 test vectors") {
  struct Vector {
    const char* secret;
    const char* public_key;
    const char* message;
    const char* signature;
  };
  // TEST 1 (empty message) and TEST 2 (one byte).
  const Vector vectors[] = {
      {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
       "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
       "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
       "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
      {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
       "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
       "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
       "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
  };
  for (const auto& v : vectors) {
    INFO(v.public_key);
    const auto secret = from_hex(v.secret);
    const auto message = from_hex(v.message);
    CHECK(to_hex(ed25519_public_key_of(secret).value()) == v.public_key);
    const auto signature = ed25519_sign(secret, message).value();
    CHECK(to_hex(signature) == v.signature);
    CHECK(ed25519_verify(from_hex(v.public_key), message, signature));
  }
}

TEST_CASE("Ed25519 key pairs sign and verify - changed data, signatures and keys fail") {
  const auto pair = generate_ed25519_key_pair();
  REQUIRE(pair.private_key.size() == kEd25519KeyBytes);
  REQUIRE(pair.public_key.size() == kEd25519KeyBytes);
  CHECK(ed25519_public_key_of(pair.private_key).value() == pair.public_key);
  CHECK(generate_ed25519_key_pair().public_key != pair.public_key);

  const auto signature = ed25519_sign(pair.private_key, "hello town").value();
  REQUIRE(signature.size() == kEd25519SignatureBytes);
  CHECK(ed25519_verify(pair.public_key, "hello town", signature));

  auto r = ed25519_verify(pair.public_key, "hello town!", signature);
  REQUIRE_FALSE(r);
  CHECK(r.error() == CryptoError::bad_signature);
  CHECK(civicpub::kind_of(r.error()) == civicpub::ErrorKind::unauthorized);

  auto flipped = signature;
  flipped[10] = static_cast<char>(flipped[10] ^ 1);
  CHECK(ed25519_verify(pair.public_key, "hello town", flipped).error() ==
        CryptoError::bad_signature);
  CHECK(ed25519_verify(pair.public_key, "hello town", signature.substr(0, 63)).error() ==
        CryptoError::bad_signature);
  const auto other = generate_ed25519_key_pair();
  CHECK(ed25519_verify(other.public_key, "hello town", signature).error() ==
        CryptoError::bad_signature);
}

TEST_CASE("Ed25519 keys of the wrong size are invalid_key") {
  CHECK(ed25519_sign(std::string(31, 'k'), "x").error() == CryptoError::invalid_key);
  CHECK(ed25519_public_key_of(std::string(33, 'k')).error() == CryptoError::invalid_key);
  CHECK(ed25519_verify(std::string(31, 'k'), "x", std::string(64, 's')).error() ==
        CryptoError::invalid_key);
  CHECK(ed25519_private_key_to_pem("").error() == CryptoError::invalid_key);
}

TEST_CASE("Ed25519 private keys round-trip through PKCS#8 PEM") {
  const auto pair = generate_ed25519_key_pair();
  const auto pem = ed25519_private_key_to_pem(pair.private_key).value();
  CHECK(pem.rfind("-----BEGIN PRIVATE KEY-----\n", 0) == 0);
  CHECK(ed25519_private_key_from_pem(pem).value() == pair.private_key);

  // RFC 8410 section 10.3's example private key.
  const char* rfc8410 =
      "-----BEGIN PRIVATE KEY-----\n"
      "MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n"
      "-----END PRIVATE KEY-----\n";
  CHECK(to_hex(ed25519_private_key_from_pem(rfc8410).value()) ==
        "d4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842");

  CHECK(ed25519_private_key_from_pem("").error() == CryptoError::invalid_key);
  CHECK(
      ed25519_private_key_from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
          .error() == CryptoError::invalid_key);
  // An RSA key is a valid PEM private key but not an Ed25519 one.
  const auto rsa = generate_rsa_key_pair(2048);
  CHECK(ed25519_private_key_from_pem(rsa.private_pem).error() == CryptoError::invalid_key);
}
