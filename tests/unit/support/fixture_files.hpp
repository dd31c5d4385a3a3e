// The files under tests/fixtures (test vectors, activities as peers really send them; see the
// READMEs there), read by their path below that directory. The build generates the directory as
// CIVICPUB_FIXTURES_DIR (tests/unit/test_paths.hpp).
#pragma once

#include "federation/as2/reader.hpp"
#include "tests/unit/test_paths.hpp"

#include <rapidjson/document.h>
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

namespace civicpub::test {

inline std::string read_fixture(const std::string& relative) {
  const std::string path = std::string(CIVICPUB_FIXTURES_DIR) + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  INFO("fixture file " << path);
  REQUIRE(in.good());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline rapidjson::Document parse_fixture(const std::string& relative) {
  auto doc = federation::as2::parse_json(read_fixture(relative));
  INFO("fixture file " << relative << " is not JSON");
  REQUIRE(doc.has_value());
  return std::move(*doc);
}

}  // namespace civicpub::test
