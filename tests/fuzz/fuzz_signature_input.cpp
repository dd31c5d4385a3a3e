// RFC 9421: Signature-Input and Signature (the input's first line is Signature-Input, the rest
// Signature) and the signature base built for every signature found.
#include "federation/signatures/message_signature.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sig = civicpub::federation::signatures;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  sig::HeaderList headers{
      {"Host", "town.example"},
      {"Content-Digest", "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:"},
      {"Content-Type", "application/activity+json"}};
  headers.add("Signature-Input", input.substr(0, newline));
  if (newline != std::string_view::npos) headers.add("Signature", input.substr(newline + 1));
  auto signatures = sig::parse_message_signatures(headers);
  if (!signatures) return 0;
  const sig::SignedRequestView request{"POST", "/users/gemeente/inbox?page=1", headers, ""};
  const sig::RequestOrigin origin{"https", "town.example"};
  for (const auto& s : *signatures) (void)sig::build_signature_base(s, request, origin);
  return 0;
}
