#include "federation/crypto/key_cache.hpp"

#include "federation/crypto/rsa_signature.hpp"
#include "tests/unit/support/actors.hpp"

#include <catch2/catch.hpp>

using civicpub::federation::crypto::ParsedKeyCache;
namespace crypto = civicpub::federation::crypto;
namespace test = civicpub::test;

TEST_CASE("ParsedKeyCache parses a key once and answers the same key again") {
  ParsedKeyCache cache(ParsedKeyCache::Kind::public_key, 4);
  const auto& anna = test::rsa_key(test::kAnnaUri);
  auto first = cache.get(anna.public_pem);
  auto second = cache.get(anna.public_pem);
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->get() == second->get());
  CHECK(cache.size() == 1);
}

TEST_CASE("ParsedKeyCache never answers a rotated key with the old parse") {
  // The same actor's key id before and after a refetch: the new text is a new entry.
  ParsedKeyCache cache(ParsedKeyCache::Kind::public_key, 4);
  const auto& before = test::rsa_key(test::kAnnaUri);
  const auto& after = test::rsa_key(test::kBobUri);
  const std::string data = "(request-target): post /inbox";
  auto signed_after = crypto::rsa_sha256_sign(after.private_pem, data);
  REQUIRE(signed_after);
  auto old_key = cache.get(before.public_pem);
  REQUIRE(old_key);
  auto new_key = cache.get(after.public_pem);
  REQUIRE(new_key);
  CHECK(new_key->get() != old_key->get());
  CHECK(crypto::rsa_sha256_verify(new_key->get(), data, *signed_after));
  CHECK_FALSE(crypto::rsa_sha256_verify(old_key->get(), data, *signed_after));
}

TEST_CASE("ParsedKeyCache keeps at most its capacity, least recently used out first") {
  ParsedKeyCache cache(ParsedKeyCache::Kind::public_key, 2);
  const auto& anna = test::rsa_key(test::kAnnaUri).public_pem;
  const auto& bob = test::rsa_key(test::kBobUri).public_pem;
  const auto& olga = test::rsa_key(test::kOlgaUri).public_pem;
  auto anna_key = cache.get(anna);
  REQUIRE(anna_key);
  REQUIRE(cache.get(bob));
  REQUIRE(cache.get(anna));  // anna is now the most recently used
  REQUIRE(cache.get(olga));  // bob goes
  CHECK(cache.size() == 2);
  auto anna_again = cache.get(anna);
  REQUIRE(anna_again);
  CHECK(anna_again->get() == anna_key->get());
  // A key that outlived its entry stays usable by whoever holds it.
  auto bob_key = cache.get(bob);
  REQUIRE(bob_key);
  CHECK(cache.size() == 2);
}

TEST_CASE("ParsedKeyCache does not keep what does not parse") {
  ParsedKeyCache cache(ParsedKeyCache::Kind::private_key, 4);
  CHECK_FALSE(cache.get("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n"));
  CHECK_FALSE(cache.get(test::rsa_key(test::kAnnaUri).public_pem));  // public text, private cache
  CHECK(cache.size() == 0);
  auto key = cache.get(test::rsa_key(test::kAnnaUri).private_pem);
  CHECK(key);
  CHECK(cache.size() == 1);
}
