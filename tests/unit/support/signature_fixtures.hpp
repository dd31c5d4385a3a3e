// Shared test data for the signature tests: the draft-cavage-12 Appendix C key and request
// (tests/fixtures/cavage-12, public data the repository carries, so a fresh clone runs them).
#pragma once

#include "federation/signatures/header_list.hpp"
#include "tests/unit/support/fixture_files.hpp"

#include <chrono>
#include <string>

namespace civicpub::test {

// A file of the Appendix C set (tests/fixtures/cavage-12/<name>).
inline std::string read_vector(const std::string& name) {
  return read_fixture("cavage-12/" + name);
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
