// Test data for the integrity proof tests: the files under tests/fixtures/ (W3C vc-di-eddsa and
// FEP-8b32 vectors, RFC 8785 samples; see the READMEs there) and a hex helper.
#pragma once

#include "federation/as2/reader.hpp"

#include <rapidjson/document.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace civicpub::test {

inline std::string read_fixture(const std::string& relative) {
  const std::string path = std::string(CIVICPUB_SOURCE_DIR) + "/tests/fixtures/" + relative;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline rapidjson::Document parse_fixture(const std::string& relative) {
  auto doc = federation::as2::parse_json(read_fixture(relative));
  if (!doc) throw std::runtime_error("fixture is not JSON: " + relative);
  return std::move(*doc);
}

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

}  // namespace civicpub::test
