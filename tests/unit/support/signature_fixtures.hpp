// Shared test data for the signature tests: the draft-cavage-12 Appendix C key and request
// (tests/fixtures/cavage-12, public data the repository carries, so a fresh clone runs them).
#pragma once

#include "federation/signatures/header_list.hpp"

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace civicpub::test {

inline std::string read_vector(const std::string& name) {
  const std::string path = std::string(CIVICPUB_FIXTURES_DIR) + "/cavage-12/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("missing test vector " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Sun, 05 Jan 2014 21:31:40 GMT, the Date of the Appendix C request.
inline std::chrono::system_clock::time_point cavage_date() {
  return std::chrono::system_clock::time_point(std::chrono::seconds(1388957500));
}

inline federation::signatures::HeaderList cavage_headers() {
  return {{"Host", "example.com"},
          {"Date", "Sun, 05 Jan 2014 21:31:40 GMT"},
          {"Content-Type", "application/json"},
          {"Digest", "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE="},
          {"Content-Length", "18"}};
}

inline constexpr const char* kCavageTarget = "/foo?param=value&pet=dog";

}  // namespace civicpub::test
