// Reading JSON from peers: a parser with hard limits, and lenient accessors. Every AS2 property
// may arrive as a string, an object with `id`, or an array of either, and Fedify collapses
// one-element arrays to scalars (INTEROP.md section 4), so nothing here assumes one shape.
#pragma once

#include "common/error_kind.hpp"

#include <rapidjson/document.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::federation::as2 {

struct ParseLimits {
  std::size_t max_bytes = 1024 * 1024;  // Mastodon's inbox limit (INTEROP.md section 2)
  std::size_t max_depth = 32;           // nesting of objects and arrays
  std::size_t max_array = 1000;         // elements in any one array
  std::size_t max_members = 1000;       // members of any one object
};

// Parses without recursion (rapidjson's iterative parser) and aborts as soon as a limit is
// crossed. Numbers are read with full precision (integrity proofs re-serialize them).
// DocumentError::too_large, too_deep, array_too_long, too_many_members or malformed_json (also for invalid UTF-8 and NUL
// bytes).
Result<rapidjson::Document> parse_json(std::string_view body, const ParseLimits& limits = {});

// The member `name` of an object, or null when `value` is not an object or lacks it.
const rapidjson::Value* find_member(const rapidjson::Value& value, std::string_view name);

// A string, or the string `id` of an object; for an array, the first element that has one.
std::optional<std::string> id_of(const rapidjson::Value& value);
// Every id in a string, an object, or an array of either (entries without an id are skipped).
std::vector<std::string> ids_of(const rapidjson::Value& value);
// Shorthands over a member that may be absent.
std::optional<std::string> member_id(const rapidjson::Value& object, std::string_view name);
std::vector<std::string> member_ids(const rapidjson::Value& object, std::string_view name);

// The first `type` of an object (a string or an array of strings).
std::optional<std::string> first_type(const rapidjson::Value& object);
// Whether the object's `type` (string or array) contains `type`.
bool has_type(const rapidjson::Value& object, std::string_view type);

// The public collection in all the spellings peers use: the full IRI, `as:Public`, `Public`.
bool is_public(std::string_view address);

// A string, or the first string of an array.
std::optional<std::string> string_or_first(const rapidjson::Value& value);

// The HTML content of an object: `content` when it is a string, else `contentMap[language]`,
// else the first string in contentMap.
std::optional<std::string> content_of(const rapidjson::Value& object,
                                      std::string_view language = {});

// The author of an object from `attributedTo`. When it lists several actors (PeerTube and Lemmy
// put a Group next to the Person) the first one not typed Group wins.
std::optional<std::string> author_of(const rapidjson::Value& object);

}  // namespace civicpub::federation::as2
