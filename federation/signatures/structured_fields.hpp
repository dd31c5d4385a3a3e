// The parts of RFC 8941 (Structured Field Values) that RFC 9421 and RFC 9530 need: dictionaries
// whose members are items or inner lists, with parameters. Parsing follows section 4.2 (strict:
// any syntax error fails the whole field); serialization follows section 4.1 and is what the
// "@signature-params" line of a signature base is built from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace civicpub::federation::signatures::sf {

struct Token {
  std::string value;
  bool operator==(const Token&) const = default;
};
struct ByteSequence {
  std::string bytes;  // decoded
  bool operator==(const ByteSequence&) const = default;
};
struct Decimal {
  double value;
  bool operator==(const Decimal&) const = default;
};

// Integer, decimal, string, token, byte sequence, boolean.
using BareItem = std::variant<int64_t, Decimal, std::string, Token, ByteSequence, bool>;
using Parameters = std::vector<std::pair<std::string, BareItem>>;

struct Item {
  BareItem value;
  Parameters params;
};

struct InnerList {
  std::vector<Item> items;
  Parameters params;
};

using Member = std::variant<Item, InnerList>;
using Dictionary = std::vector<std::pair<std::string, Member>>;  // in order, keys unique

// Returns nullopt on any syntax error. Later duplicates of a key override earlier ones.
std::optional<Dictionary> parse_dictionary(std::string_view text);

std::string serialize(const BareItem& item);
std::string serialize(const Parameters& params);
std::string serialize(const InnerList& list);

// Looks up a parameter by key.
const BareItem* find_param(const Parameters& params, std::string_view key);

}  // namespace civicpub::federation::signatures::sf
