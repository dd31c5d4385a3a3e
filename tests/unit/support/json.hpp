// Reading the JSON a test got back: parse it (the test fails on a syntax error) and take a
// string value out of it.
#pragma once

#include <rapidjson/document.h>
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

namespace civicpub::test {

inline rapidjson::Document parse(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  INFO("not JSON: " << json);
  REQUIRE_FALSE(doc.HasParseError());
  return doc;
}

// The string `v` holds (it must be one).
inline std::string str(const rapidjson::Value& v) {
  REQUIRE(v.IsString());
  return {v.GetString(), v.GetStringLength()};
}

}  // namespace civicpub::test
