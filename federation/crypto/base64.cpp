#include "federation/crypto/base64.hpp"

#include "federation/crypto/alphabet.hpp"

#include <array>
#include <cstdint>

namespace civicpub::federation::crypto {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr auto kReverse = reverse_alphabet(kAlphabet);

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t n = (uint32_t(uint8_t(bytes[i])) << 16) | (uint32_t(uint8_t(bytes[i + 1])) << 8) |
                 uint32_t(uint8_t(bytes[i + 2]));
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest == 1) {
    uint32_t n = uint32_t(uint8_t(bytes[i])) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (rest == 2) {
    uint32_t n = (uint32_t(uint8_t(bytes[i])) << 16) | (uint32_t(uint8_t(bytes[i + 1])) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

Result<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return CryptoError::invalid_base64;
  size_t pad = 0;
  if (!text.empty() && text.back() == '=') ++pad;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++pad;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    uint32_t n = 0;
    for (size_t j = 0; j < 4; ++j) {
      char c = text[i + j];
      int v;
      if (c == '=' && last && j >= 4 - pad) {
        v = 0;
      } else {
        v = kReverse[static_cast<unsigned char>(c)];
        if (v < 0) return CryptoError::invalid_base64;
      }
      n = (n << 6) | uint32_t(v);
    }
    size_t keep = last ? 3 - pad : 3;
    // Non-zero bits under the padding would let two texts decode to the same bytes.
    if (last && pad == 1 && (n & 0xFF) != 0) return CryptoError::invalid_base64;
    if (last && pad == 2 && (n & 0xFFFF) != 0) return CryptoError::invalid_base64;
    out += char((n >> 16) & 0xFF);
    if (keep > 1) out += char((n >> 8) & 0xFF);
    if (keep > 2) out += char(n & 0xFF);
  }
  return out;
}

}  // namespace civicpub::federation::crypto
