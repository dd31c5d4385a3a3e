// Signs a request with RFC 9421 in the shape Fedify 2.3 uses (packages/fedify/src/sig/http.ts):
// label "sig1", components "@method" "@target-uri" "@authority" "host" "date" plus
// "content-digest" when there is a body, parameters alg="rsa-v1_5-sha256";keyid="...";created=N.
// civicpub sends draft-cavage (what everyone accepts); this exists to test the verifier against
// Fedify's first knock and for a later double-knock sender.
#pragma once

#include "federation/signatures/header_list.hpp"
#include "federation/signatures/message_signature.hpp"

#include <chrono>
#include <string_view>

namespace civicpub::federation::signatures {

struct MessageSignInput {
  std::string_view method;
  std::string_view target;  // path[?query]
  RequestOrigin origin;     // scheme and authority of the URL the request goes to
  std::string_view body;
  std::string_view key_id;
  std::string_view private_pem;
  std::chrono::system_clock::time_point now;
};

// Sets Host (when absent), Date, Content-Digest (for a body), Signature-Input and Signature.
// Errors: key_mismatch (unusable private key).
Result<void> sign_message(const MessageSignInput& input, HeaderList& headers);

}  // namespace civicpub::federation::signatures
