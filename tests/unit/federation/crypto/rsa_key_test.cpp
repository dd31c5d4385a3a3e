#include "federation/crypto/rsa_key.hpp"

#include <catch2/catch.hpp>

TEST_CASE("generate_rsa_key_pair writes PKCS#8 and SPKI PEM") {
  auto pair = civicpub::federation::crypto::generate_rsa_key_pair(2048);
  CHECK(pair.private_pem.rfind("-----BEGIN PRIVATE KEY-----", 0) == 0);
  CHECK(pair.public_pem.rfind("-----BEGIN PUBLIC KEY-----", 0) == 0);
  auto other = civicpub::federation::crypto::generate_rsa_key_pair(2048);
  CHECK(other.public_pem != pair.public_pem);
}
