#include "federation/crypto/multibase.hpp"
#include "federation/crypto/ed25519.hpp"

#include "tests/unit/support/proof_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace civicpub::federation::crypto;
using civicpub::test::from_hex;

TEST_CASE("base58btc matches the examples of draft-msporny-base58") {
  CHECK(base58btc_encode("Hello World!") == "2NEpo7TZRRrLZSi2U");
  CHECK(base58btc_encode("The quick brown fox jumps over the lazy dog.") ==
        "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z");
  CHECK(base58btc_encode(from_hex("0000287fb4cd")) == "11233QC4");  // leading zeros are '1'
  CHECK(base58btc_decode("2NEpo7TZRRrLZSi2U").value() == "Hello World!");
  CHECK(base58btc_decode("11233QC4").value() == from_hex("0000287fb4cd"));
  CHECK(base58btc_encode("").empty());
  CHECK(base58btc_decode("").value().empty());
}

TEST_CASE("base58btc round-trips every byte value and leading zeros") {
  std::string all;
  for (int i = 0; i < 256; ++i) all += char(i);
  CHECK(base58btc_decode(base58btc_encode(all)).value() == all);
  const std::string zeros("\0\0\0\x01", 4);
  CHECK(base58btc_encode(zeros) == "1112");
  CHECK(base58btc_decode("1112").value() == zeros);
}

TEST_CASE("base58btc and multibase decoding reject what is not theirs") {
  // 0, O, I and l are not in the Bitcoin alphabet; nor are '+', '/', '=' or spaces.
  for (const char* bad : {"0", "O", "I", "l", "2NEpo7TZRRrLZSi2U=", "ab cd", "a+b"}) {
    INFO(bad);
    CHECK(base58btc_decode(bad).error() == CryptoError::invalid_multibase);
  }
  CHECK(base58btc_decode(std::string(kMaxBase58Chars + 1, '2')).error() ==
        CryptoError::invalid_multibase);
  CHECK(multibase_encode("Hello World!") == "z2NEpo7TZRRrLZSi2U");
  CHECK(multibase_decode("z2NEpo7TZRRrLZSi2U").value() == "Hello World!");
  // base64 ('m') and base58flickr ('Z') multibase strings are not accepted.
  CHECK(multibase_decode("mSGVsbG8=").error() == CryptoError::invalid_multibase);
  CHECK(multibase_decode("Z2NEpo7TZRRrLZSi2U").error() == CryptoError::invalid_multibase);
  CHECK(multibase_decode("").error() == CryptoError::invalid_multibase);
}

TEST_CASE("Ed25519 Multikeys: the vc-di-eddsa key pair decodes, re-encodes and matches") {
  // tests/fixtures/proofs/keyPair.json
  const std::string public_multikey = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
  const std::string private_multikey = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq";
  const auto public_key = ed25519_public_key_from_multikey(public_multikey).value();
  const auto private_key = ed25519_private_key_from_multikey(private_multikey).value();
  REQUIRE(public_key.size() == 32);
  REQUIRE(private_key.size() == 32);
  CHECK(ed25519_public_key_of(private_key).value() == public_key);
  CHECK(ed25519_public_key_to_multikey(public_key).value() == public_multikey);
  CHECK(ed25519_private_key_to_multikey(private_key).value() == private_multikey);
}

TEST_CASE("Ed25519 public Multikeys always start z6Mk and are validated when read") {
  const auto pair = generate_ed25519_key_pair();
  const auto multikey = ed25519_public_key_to_multikey(pair.public_key).value();
  CHECK(multikey.rfind("z6Mk", 0) == 0);
  CHECK(ed25519_public_key_from_multikey(multikey).value() == pair.public_key);

  // A private Multikey is not a public one (codec 0x1300, not 0xed).
  CHECK(ed25519_public_key_from_multikey("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")
            .error() == CryptoError::invalid_key);
  // The right codec with 31 or 33 key bytes.
  CHECK(ed25519_public_key_from_multikey(multibase_encode("\xed\x01" + std::string(31, 'k')))
            .error() == CryptoError::invalid_key);
  CHECK(ed25519_public_key_from_multikey(multibase_encode("\xed\x01" + std::string(33, 'k')))
            .error() == CryptoError::invalid_key);
  // A bare key without the codec prefix.
  CHECK(ed25519_public_key_from_multikey(multibase_encode(pair.public_key)).error() ==
        CryptoError::invalid_key);
  CHECK(ed25519_public_key_from_multikey("u7QE").error() == CryptoError::invalid_multibase);
  CHECK(ed25519_public_key_to_multikey("short").error() == CryptoError::invalid_key);
}
