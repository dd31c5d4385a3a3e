// Activities as peers really send them, stored under tests/fixtures/activities (the directory
// comes from the build as CIVICPUB_FIXTURES_DIR).
#pragma once

#include "federation/as2/reader.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

namespace civicpub::test {

inline std::string read_fixture(const std::string& relative) {
  const std::string path = std::string(CIVICPUB_FIXTURES_DIR) + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  INFO(path);
  REQUIRE(in.good());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The parsed activity tests/fixtures/activities/<name>.
inline rapidjson::Document load_activity(const std::string& name) {
  auto doc = federation::as2::parse_json(read_fixture("activities/" + name));
  INFO(name);
  REQUIRE(doc.has_value());
  return std::move(*doc);
}

}  // namespace civicpub::test
