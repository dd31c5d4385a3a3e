// JSON Canonicalization (RFC 8785) of whatever the JSON reader accepts; canonical output is a
// fixed point.
#include "federation/as2/jcs.hpp"
#include "federation/as2/reader.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace as2 = civicpub::federation::as2;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto doc = as2::parse_json(input);
  if (!doc) return 0;
  auto canonical = as2::canonicalize_json(*doc);
  if (!canonical) return 0;
  auto again = as2::parse_json(*canonical);
  if (!again) __builtin_trap();
  auto twice = as2::canonicalize_json(*again);
  if (!twice || *twice != *canonical) __builtin_trap();
  return 0;
}
