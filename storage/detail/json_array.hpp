// Internal to storage: a set of keys as one JSON array bound to a single parameter, so that a
// page's lookups run as one set-based query (`WHERE id IN (SELECT value FROM json_each(?1))`)
// instead of one query per post (issue 15). storage knows no JSON library
// (tests/check_layers.py): the strings are escaped here, enough for SQLite's JSON parser to give
// back exactly the same bytes (URIs are remote input and may hold quotes or backslashes).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace civicpub::storage::detail {

// [1,2,3]
inline std::string json_array(std::span<const std::int64_t> values) {
  std::string out = "[";
  for (const std::int64_t v : values) {
    if (out.size() > 1) out += ',';
    out += std::to_string(v);
  }
  return out + "]";
}

// ["a","b"]: `"` and `\` escaped, control characters as \u00XX; other bytes (UTF-8) as they are.
inline std::string json_array(std::span<const std::string> values) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "[";
  for (const std::string& v : values) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (const char c : v) {
      const auto byte = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (byte < 0x20) {
        out += "\\u00";
        out += kHex[byte >> 4];
        out += kHex[byte & 0xf];
      } else {
        out += c;
      }
    }
    out += '"';
  }
  return out + "]";
}

}  // namespace civicpub::storage::detail
