// Signs an outbound request the way Mastodon does (INTEROP.md section 2): draft-cavage,
// algorithm="rsa-sha256", POST covering "(request-target) host date digest content-type", GET
// covering "(request-target) host date accept".
#pragma once

#include "federation/signatures/header_list.hpp"
#include "federation/signatures/signature_error.hpp"

#include <chrono>
#include <string_view>

namespace civicpub::federation::signatures {

struct CavageSignInput {
  std::string_view method;       // "POST", "GET"
  std::string_view target;       // path[?query], exactly as it will go on the request line
  std::string_view host;         // host[:port], used for Host when `headers` has none
  std::string_view body;         // empty for GET
  std::string_view key_id;       // <actor id>#main-key
  std::string_view private_pem;  // PKCS#8 or PKCS#1
  std::chrono::system_clock::time_point now;
};

// Sets Host (when absent), Date (IMF-fixdate of `now`), Digest (for any method but GET/HEAD, or
// a non-empty body) and Signature on `headers`. content-type and accept are covered only when
// present. Errors: key_mismatch (unusable private key), malformed_header (key_id with a quote or
// control character, which the header syntax cannot carry).
Result<void> sign_request(const CavageSignInput& input, HeaderList& headers);

}  // namespace civicpub::federation::signatures
