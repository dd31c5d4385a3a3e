// The decoding table of a text encoding's alphabet (base64, base58btc): each byte's value in the
// alphabet, or -1 for a byte outside it. Built at compile time.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace civicpub::federation::crypto {

constexpr std::array<std::int8_t, 256> reverse_alphabet(std::string_view alphabet) {
  std::array<std::int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (std::size_t i = 0; i < alphabet.size(); ++i) {
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
  }
  return table;
}

}  // namespace civicpub::federation::crypto
