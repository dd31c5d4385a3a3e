// The WebFinger `resource` parameter (acct: or an actor URL, percent-encoded or not).
#include "federation/as2/webfinger.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)civicpub::federation::as2::parse_webfinger_resource(input);
  return 0;
}
