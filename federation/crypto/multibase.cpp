#include "federation/crypto/multibase.hpp"

#include "federation/crypto/alphabet.hpp"
#include "federation/crypto/ed25519.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace civicpub::federation::crypto {
namespace {

constexpr std::string_view kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

constexpr auto kReverse = reverse_alphabet(kAlphabet);

// Multicodec prefixes as unsigned varints (multiformats/multicodec table).
constexpr std::string_view kEd25519PubPrefix = "\xed\x01";
constexpr std::string_view kEd25519PrivPrefix = "\x80\x26";

Result<std::string> to_multikey(std::string_view prefix, std::string_view key) {
  if (key.size() != kEd25519KeyBytes) return CryptoError::invalid_key;
  std::string bytes(prefix);
  bytes += key;
  return multibase_encode(bytes);
}

Result<std::string> from_multikey(std::string_view prefix, std::string_view multikey) {
  auto bytes = multibase_decode(multikey);
  if (!bytes) return bytes.error();
  if (bytes->size() != prefix.size() + kEd25519KeyBytes ||
      std::string_view(*bytes).substr(0, prefix.size()) != prefix) {
    return CryptoError::invalid_key;
  }
  return bytes->substr(prefix.size());
}

}  // namespace

std::string base58btc_encode(std::string_view bytes) {
  size_t zeros = 0;
  while (zeros < bytes.size() && bytes[zeros] == '\0') ++zeros;
  // Base-256 to base-58 by repeated multiply-and-add on a little-endian digit vector.
  std::vector<uint8_t> digits;
  digits.reserve(bytes.size() * 138 / 100 + 1);  // log(256) / log(58) < 1.38
  for (size_t i = zeros; i < bytes.size(); ++i) {
    uint32_t carry = static_cast<uint8_t>(bytes[i]);
    for (auto& d : digits) {
      carry += uint32_t(d) << 8;
      d = static_cast<uint8_t>(carry % 58);
      carry /= 58;
    }
    while (carry > 0) {
      digits.push_back(static_cast<uint8_t>(carry % 58));
      carry /= 58;
    }
  }
  std::string out(zeros, '1');
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) out += kAlphabet[*it];
  return out;
}

Result<std::string> base58btc_decode(std::string_view text) {
  if (text.size() > kMaxBase58Chars) return CryptoError::invalid_multibase;
  size_t ones = 0;
  while (ones < text.size() && text[ones] == '1') ++ones;
  std::vector<uint8_t> bytes;  // little-endian base 256
  bytes.reserve(text.size());
  for (size_t i = ones; i < text.size(); ++i) {
    int value = kReverse[static_cast<unsigned char>(text[i])];
    if (value < 0) return CryptoError::invalid_multibase;
    uint32_t carry = static_cast<uint32_t>(value);
    for (auto& b : bytes) {
      carry += uint32_t(b) * 58;
      b = static_cast<uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push_back(static_cast<uint8_t>(carry & 0xff));
      carry >>= 8;
    }
  }
  std::string out(ones, '\0');
  for (auto it = bytes.rbegin(); it != bytes.rend(); ++it) out += static_cast<char>(*it);
  return out;
}

std::string multibase_encode(std::string_view bytes) {
  return "z" + base58btc_encode(bytes);
}

Result<std::string> multibase_decode(std::string_view text) {
  if (text.empty() || text.front() != 'z') return CryptoError::invalid_multibase;
  return base58btc_decode(text.substr(1));
}

Result<std::string> ed25519_public_key_to_multikey(std::string_view public_key) {
  return to_multikey(kEd25519PubPrefix, public_key);
}

Result<std::string> ed25519_public_key_from_multikey(std::string_view multikey) {
  return from_multikey(kEd25519PubPrefix, multikey);
}

Result<std::string> ed25519_private_key_to_multikey(std::string_view private_key) {
  return to_multikey(kEd25519PrivPrefix, private_key);
}

Result<std::string> ed25519_private_key_from_multikey(std::string_view multikey) {
  return from_multikey(kEd25519PrivPrefix, multikey);
}

}  // namespace civicpub::federation::crypto
