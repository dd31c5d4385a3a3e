#include "federation/signatures/digest.hpp"

#include "federation/crypto/base64.hpp"
#include "federation/crypto/sha256.hpp"
#include "federation/signatures/header_list.hpp"
#include "federation/signatures/ows.hpp"
#include "federation/signatures/structured_fields.hpp"

#include <openssl/crypto.h>

namespace civicpub::federation::signatures {
namespace {

bool same_bytes(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::string make_digest_header(std::string_view body) {
  return "SHA-256=" + crypto::base64_encode(crypto::sha256(body));
}

Result<void> check_digest_header(std::string_view value, std::string_view body) {
  std::optional<std::string_view> sha256_value;
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view entry = trim_ows(value.substr(0, comma));
    value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
    size_t eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    if (iequals(trim_ows(entry.substr(0, eq)), "sha-256")) {
      if (sha256_value) return SignatureError::digest_mismatch;  // two different claims
      sha256_value = trim_ows(entry.substr(eq + 1));
    }
  }
  if (!sha256_value) return SignatureError::digest_mismatch;
  auto claimed = crypto::base64_decode(*sha256_value);
  if (!claimed || !same_bytes(*claimed, crypto::sha256(body))) {
    return SignatureError::digest_mismatch;
  }
  return {};
}

std::string make_content_digest_header(std::string_view body) {
  return "sha-256=:" + crypto::base64_encode(crypto::sha256(body)) + ":";
}

Result<void> check_content_digest_header(std::string_view value, std::string_view body) {
  auto dict = sf::parse_dictionary(value);
  if (!dict) return SignatureError::digest_mismatch;
  for (const auto& [key, member] : *dict) {
    if (key != "sha-256") continue;
    const auto* item = std::get_if<sf::Item>(&member);
    const auto* bytes = item ? std::get_if<sf::ByteSequence>(&item->value) : nullptr;
    if (bytes && same_bytes(bytes->bytes, crypto::sha256(body))) return {};
    return SignatureError::digest_mismatch;
  }
  return SignatureError::digest_mismatch;
}

}  // namespace civicpub::federation::signatures
