#include "federation/as2/jcs.hpp"
#include "federation/as2/proof_error.hpp"
#include "federation/as2/reader.hpp"
#include "federation/crypto/sha256.hpp"

#include "tests/unit/support/proof_fixtures.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <sstream>
#include <vector>

using namespace civicpub::federation::as2;
using civicpub::test::read_fixture;
using civicpub::test::to_hex;

namespace {

std::string jcs(std::string_view json) {
  auto doc = parse_json(json);
  REQUIRE(doc.has_value());
  return canonicalize_json(*doc).value();
}

double from_bits(std::uint64_t bits) {
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

std::uint64_t bits_of(double d) {
  std::uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  return bits;
}

// The value sequence of the RFC 8785 reference ES6 number test file (tests/fixtures/jcs/README.md):
// the static edge cases, 2000 consecutive values from the smallest normal double, then doubles
// read from a SHA-256 chain started on 32 zero bytes.
class Es6Numbers {
 public:
  Es6Numbers() {
    std::istringstream in(read_fixture("jcs/es6_static_values.txt"));
    std::string line;
    while (std::getline(in, line)) static_.push_back(std::stoull(line, nullptr, 16));
  }

  double next() {
    constexpr std::size_t kSerial = 2000;
    double f = 0;
    if (index_ < static_.size()) {
      f = from_bits(static_[index_]);
    } else if (index_ < static_.size() + kSerial) {
      f = from_bits(0x0010000000000000ull + (index_ - static_.size()));
    } else {
      while (f == 0 || !std::isfinite(f)) {
        if (offset_ == block_.size()) {
          block_ = civicpub::federation::crypto::sha256(block_);
          offset_ = 0;
        }
        std::uint64_t bits = 0;
        for (int i = 7; i >= 0; --i) bits = (bits << 8) | std::uint8_t(block_[offset_ + i]);
        offset_ += 8;
        f = from_bits(bits);
      }
    }
    ++index_;
    return f;
  }

  std::size_t static_count() const { return static_.size(); }

 private:
  std::vector<std::uint64_t> static_;
  std::size_t index_ = 0;
  std::string block_ = std::string(32, '\0');
  std::size_t offset_ = 32;
};

}  // namespace

TEST_CASE("JCS canonicalizes the RFC 8785 reference test data byte for byte") {
  for (const char* name : {"arrays", "french", "structures", "unicode", "values", "weird"}) {
    INFO(name);
    const auto input = read_fixture(std::string("jcs/input/") + name + ".json");
    const auto expected = read_fixture(std::string("jcs/output/") + name + ".json");
    CHECK(jcs(input) == expected);
  }
}

TEST_CASE("JCS sorts by UTF-16 code units, not by UTF-8 bytes or code points") {
  // U+1F600 is D83D DE00 in UTF-16 and sorts before U+FB33; in UTF-8 it would sort after.
  CHECK(jcs("{\"\xEF\xAC\xB3\":1,\"\xF0\x9F\x98\x80\":2}") ==
        "{\"\xF0\x9F\x98\x80\":2,\"\xEF\xAC\xB3\":1}");
  CHECK(jcs(R"({"b":[3,{"z":1,"a":2}],"a":"x","":0})") ==
        R"({"":0,"a":"x","b":[3,{"a":2,"z":1}]})");
}

TEST_CASE("JCS escapes only what JSON requires, control characters in lowercase hex") {
  CHECK(jcs(R"(["\u0000\u001f\u001F","\b\f\n\r\t","\"\\","\/","\u007f\u2028","\u00e9"])") ==
        "[\"\\u0000\\u001f\\u001f\",\"\\b\\f\\n\\r\\t\",\"\\\"\\\\\",\"/\","
        "\"\x7f\xe2\x80\xa8\",\"\xc3\xa9\"]");
}

TEST_CASE("JCS numbers follow ECMAScript Number.prototype.toString") {
  CHECK(jcs("[0, -0, -0.0, 1, -1, 56.0, 4.50, 2e-3, 1E30, 1e21, 1e20, 0.000001, 1e-7]") ==
        "[0,0,0,1,-1,56,4.5,0.002,1e+30,1e+21,100000000000000000000,0.000001,1e-7]");
  CHECK(jcs("[333333333.33333329, 0.1, -71.184902, 25.273962, 123e-20, 9007199254740993]") ==
        "[333333333.3333333,0.1,-71.184902,25.273962,1.23e-18,9007199254740992]");
  // Integers past 2^53 are doubles for JCS as for JavaScript.
  CHECK(jcs("[18446744073709551615, -9223372036854775808]") ==
        "[18446744073709552000,-9223372036854776000]");
  CHECK(format_es_number(5e-324).value() == "5e-324");
  CHECK(format_es_number(1.7976931348623157e308).value() == "1.7976931348623157e+308");
  CHECK(format_es_number(-1.5e-9).value() == "-1.5e-9");
  CHECK(format_es_number(123456789012345680000.0).value() == "123456789012345680000");
}

TEST_CASE("JCS numbers: the sample lines of the reference ES6 number test file") {
  const std::pair<std::uint64_t, const char*> samples[] = {
      {0x4340000000000001, "9007199254740994"},
      {0x4340000000000002, "9007199254740996"},
      {0x444b1ae4d6e2ef50, "1e+21"},
      {0x3eb0c6f7a0b5ed8d, "0.000001"},
      {0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
      {0x8000000000000000, "0"},
      {0x0, "0"},
  };
  for (const auto& [bits, expected] : samples) {
    INFO(expected);
    CHECK(format_es_number(from_bits(bits)).value() == expected);
  }
}

TEST_CASE("JCS numbers: 100,000 lines of the reference ES6 number test file hash as published") {
  Es6Numbers numbers;
  REQUIRE(numbers.static_count() == 168);
  // SHA-256 of the first 1,000, 10,000 and 100,000 lines "<hex bits>,<expected>\n".
  const std::pair<std::size_t, const char*> checkpoints[] = {
      {1000, "be18b62b6f69cdab33a7e0dae0d9cfa869fda80ddc712221570f9f40a5878687"},
      {10000, "b9f7a8e75ef22a835685a52ccba7f7d6bdc99e34b010992cbc5864cd12be6892"},
      {100000, "22776e6d4b49fa294a0d0f349268e5c28808fe7e0cb2bcbe28f63894e494d4c7"},
  };
  std::string file;
  std::size_t lines = 0;
  for (const auto& [count, hash] : checkpoints) {
    while (lines < count) {
      const double f = numbers.next();
      std::ostringstream hex;
      hex << std::hex << bits_of(f);
      file += hex.str() + "," + format_es_number(f).value() + "\n";
      ++lines;
    }
    INFO(count);
    CHECK(to_hex(civicpub::federation::crypto::sha256(file)) == hash);
  }
}

TEST_CASE("JCS refuses what I-JSON forbids") {
  rapidjson::Document doc;
  doc.SetArray();
  doc.PushBack(rapidjson::Value(std::numeric_limits<double>::quiet_NaN()), doc.GetAllocator());
  CHECK(canonicalize_json(doc).error() == ProofError::number_not_finite);
  CHECK(format_es_number(std::numeric_limits<double>::infinity()).error() ==
        ProofError::number_not_finite);
  CHECK(format_es_number(-std::numeric_limits<double>::infinity()).error() ==
        ProofError::number_not_finite);

  // parse_json refuses this by default (DocumentError::duplicate_key); JCS must refuse it on
  // its own too, for documents built otherwise.
  auto dup = parse_json(R"({"a":1,"b":2,"a":3})", {.refuse_duplicate_keys = false});
  REQUIRE(dup.has_value());  // rapidjson keeps both members
  CHECK(canonicalize_json(*dup).error() == ProofError::duplicate_member);

  // Built in memory, bypassing the parser's UTF-8 check: a lone surrogate, an overlong '/'.
  for (const char* bad : {"\xED\xA0\x80", "\xC0\xAF", "\xFF", "\xE2\x82"}) {
    rapidjson::Document s;
    s.SetString(bad, s.GetAllocator());
    CHECK(canonicalize_json(s).error() == ProofError::invalid_utf8);
    rapidjson::Document o;
    o.SetObject();
    o.AddMember(rapidjson::Value(bad, o.GetAllocator()), rapidjson::Value(1), o.GetAllocator());
    CHECK(canonicalize_json(o).error() == ProofError::invalid_utf8);
  }

  rapidjson::Document deep;
  rapidjson::Value inner(rapidjson::kArrayType);
  for (std::size_t i = 0; i < kMaxJcsDepth + 1; ++i) {
    rapidjson::Value outer(rapidjson::kArrayType);
    outer.PushBack(inner, deep.GetAllocator());
    inner = outer;
  }
  deep.SetArray().PushBack(inner, deep.GetAllocator());
  CHECK(canonicalize_json(deep).error() == ProofError::too_deep);
  CHECK(civicpub::kind_of(make_error_code(ProofError::too_deep)) ==
        civicpub::ErrorKind::invalid_input);
}
