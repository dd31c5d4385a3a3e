// Test data for the integrity proof tests: the files under tests/fixtures/ (W3C vc-di-eddsa and
// FEP-8b32 vectors, RFC 8785 samples; see the READMEs there), hex helpers, and with_proof(),
// which signs a document as a remote actor's server would.
#pragma once

#include "federation/as2/integrity_proof.hpp"
#include "tests/unit/support/fixture_files.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

namespace civicpub::test {

inline std::string to_hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  }
  return out;
}

inline std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  }
  return out;
}

// `body` with an eddsa-jcs-2022 proof by `private_key` (raw Ed25519), naming `key_id` as its
// verificationMethod, created at `at` (milliseconds since the epoch).
inline std::string with_proof(const std::string& body, const std::string& private_key,
                              const std::string& key_id, std::int64_t at) {
  federation::as2::ProofOptions options;
  options.verification_method = key_id;
  options.created = federation::as2::proof_created(at);
  auto signed_body = federation::as2::create_proof(body, private_key, options);
  REQUIRE(signed_body);
  return *signed_body;
}

}  // namespace civicpub::test
