// The signature of an inbound request in either scheme, read once so the inbox can resolve the
// key id before verifying (INTEROP.md section 2: RFC 9421 when Signature-Input is present, as
// Mastodon and Fedify decide, else draft-cavage).
#pragma once

#include "federation/signatures/cavage_signature.hpp"
#include "federation/signatures/message_signature.hpp"
#include "federation/signatures/signature_scheme.hpp"
#include "federation/signatures/verify_options.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace civicpub::federation {

struct RequestSignature {
  signatures::SignatureScheme scheme = signatures::SignatureScheme::none;
  std::string key_id;
  std::optional<signatures::ParsedSignature> cavage;
  std::optional<signatures::MessageSignature> message;  // RFC 9421: the first signature
};

// Errors: SignatureError::missing_signature (neither header), malformed_header.
Result<RequestSignature> read_request_signature(const signatures::HeaderList& headers);

// The checks that need no key (covered components, the signed Host, Date/created freshness,
// Digest/Content-Digest against the body), run before the key is fetched so that a request
// that cannot be valid costs no outbound fetch. Errors: SignatureError.
Result<void> precheck_request_signature(const RequestSignature& signature,
                                        const signatures::SignedRequestView& request,
                                        std::chrono::system_clock::time_point now,
                                        const signatures::VerifyOptions& options);

// Verifies with the signer's public key (running the checks above again). Errors: SignatureError.
Result<void> check_request_signature(const RequestSignature& signature,
                                     const signatures::SignedRequestView& request,
                                     const signatures::RequestOrigin& origin,
                                     std::string_view public_pem,
                                     std::chrono::system_clock::time_point now,
                                     const signatures::VerifyOptions& options);

}  // namespace civicpub::federation
