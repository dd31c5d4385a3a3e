#include "federation/crypto/base64.hpp"
#include "federation/crypto/pem_key.hpp"
#include "federation/crypto/rsa_key.hpp"
#include "federation/crypto/rsa_signature.hpp"
#include "federation/crypto/sha256.hpp"

#include "tests/unit/support/signature_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace civicpub::federation::crypto;
using civicpub::ErrorKind;
using civicpub::kind_of;

namespace {

// The Appendix C public key in PKCS#1 form (openssl rsa -pubin -RSAPublicKey_out).
constexpr const char* kCavagePkcs1Public =
    "-----BEGIN RSA PUBLIC KEY-----\n"
    "MIGJAoGBAMIUQ0bDffIaKHL3akONlCGXQLfqs8mP4K99ILz6rbyHEDXrVAU1R3Xf\n"
    "C4JNRyrRB3aqwF7/aEXJzYMIkmDSHUvvz7pnhQxHsQ5yl91QT0d/eb+Gz4VRHjm4\n"
    "El4MrUdIUcPxscoPqS/wU8Z8lOi1z7bGMnChiL7WGqnV8h6RrGzJAgMBAAE=\n"
    "-----END RSA PUBLIC KEY-----\n";

}  // namespace

TEST_CASE("base64 encodes with padding and round-trips") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
  std::string all;
  for (int i = 0; i < 256; ++i) all += char(i);
  CHECK(base64_decode(base64_encode(all)).value() == all);
  CHECK(base64_decode("Zm8=").value() == "fo");
  CHECK(base64_decode("").value().empty());
}

TEST_CASE("base64 decoding is strict") {
  for (const char* bad :
       {"Zm8", "Zm8==", "Z===", "Zm 8=", "Zm8=Zm8=", "Zm-_", "Zh==", "Zm9=", "Zg==\n", "=Zg="}) {
    INFO(bad);
    auto r = base64_decode(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error() == CryptoError::invalid_base64);
    CHECK(kind_of(r.error()) == ErrorKind::invalid_input);
  }
}

TEST_CASE("sha256 gives the FIPS 180-2 digest of abc") {
  auto digest = sha256("abc");
  REQUIRE(digest.size() == 32);
  CHECK(base64_encode(digest) == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
}

TEST_CASE("RSA keys load from SPKI, PKCS#1 and PKCS#8 PEM") {
  CHECK(validate_rsa_public_key_pem(civicpub::test::read_vector("pub.pem")));
  CHECK(validate_rsa_public_key_pem(kCavagePkcs1Public));
  CHECK(validate_rsa_private_key_pem(civicpub::test::read_vector("priv.pem")));  // PKCS#1
  auto pair = generate_rsa_key_pair(2048);
  CHECK(validate_rsa_private_key_pem(pair.private_pem));  // PKCS#8
  CHECK(validate_rsa_public_key_pem(pair.public_pem));
}

TEST_CASE("unusable PEM is invalid_key") {
  for (const char* bad :
       {"", "not a key", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"}) {
    auto pub = validate_rsa_public_key_pem(bad);
    REQUIRE_FALSE(pub);
    CHECK(pub.error() == CryptoError::invalid_key);
    CHECK_FALSE(validate_rsa_private_key_pem(bad));
  }
  // A private key is not accepted where a public key is expected, nor the reverse.
  CHECK_FALSE(validate_rsa_public_key_pem(civicpub::test::read_vector("priv.pem")));
  CHECK_FALSE(validate_rsa_private_key_pem(civicpub::test::read_vector("pub.pem")));
}

TEST_CASE("RSA-SHA256 sign then verify, and tampering fails") {
  auto priv = civicpub::test::read_vector("priv.pem");
  auto pub = civicpub::test::read_vector("pub.pem");
  auto sig = rsa_sha256_sign(priv, "hello");
  REQUIRE(sig);
  CHECK(sig->size() == 128);  // the draft's key is 1024-bit
  CHECK(rsa_sha256_verify(pub, "hello", *sig));
  CHECK(rsa_sha256_verify(kCavagePkcs1Public, "hello", *sig));
  auto wrong = rsa_sha256_verify(pub, "hellO", *sig);
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error() == CryptoError::bad_signature);
  CHECK(kind_of(wrong.error()) == ErrorKind::unauthorized);
  auto other = generate_rsa_key_pair(2048);
  CHECK_FALSE(rsa_sha256_verify(other.public_pem, "hello", *sig));
  CHECK_FALSE(rsa_sha256_verify(pub, "hello", ""));
  CHECK(rsa_sha256_sign("garbage", "x").error() == CryptoError::invalid_key);
}
