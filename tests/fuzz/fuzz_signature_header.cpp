// The draft-cavage Signature header parser and the signing string built from what it covers.
#include "federation/signatures/cavage_signature.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sig = civicpub::federation::signatures;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto parsed = sig::parse_signature_header(input);
  if (!parsed) return 0;
  const sig::HeaderList headers{{"Host", "town.example"},
                                {"Date", "Sun, 06 Dec 2026 03:00:00 GMT"},
                                {"Digest", "SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="},
                                {"Content-Type", "application/activity+json"}};
  const sig::SignedRequestView request{"POST", "/users/gemeente/inbox?x=1", headers, ""};
  (void)sig::build_signing_string(parsed->headers, request, parsed->created, parsed->expires);
  (void)sig::build_signing_string(parsed->headers, request, parsed->created, parsed->expires,
                                  false);
  return 0;
}
