// Which signature scheme an inbound request uses, so the inbox picks the right parser.
#pragma once

#include "federation/signatures/header_list.hpp"

namespace civicpub::federation::signatures {

enum class SignatureScheme { none, cavage, rfc9421 };

// Signature-Input present -> RFC 9421 (as Mastodon and Fedify decide); else Signature present ->
// draft-cavage; else none.
inline SignatureScheme detect_signature_scheme(const HeaderList& headers) {
  if (headers.contains("signature-input")) return SignatureScheme::rfc9421;
  if (headers.contains("signature")) return SignatureScheme::cavage;
  return SignatureScheme::none;
}

}  // namespace civicpub::federation::signatures
