// Verifies one RFC 9421 signature (INTEROP.md section 2: Fedify knocks with RFC 9421 first,
// Mastodon verifies it since 4.4). RSA PKCS#1 v1.5 SHA-256 only, like Mastodon.
#pragma once

#include "federation/signatures/message_signature.hpp"
#include "federation/signatures/verify_options.hpp"

#include <chrono>

namespace civicpub::federation::signatures {

// Every check that needs no key (all of the below but the signature itself), run by the inbox
// before it fetches a key.
Result<void> check_message_request(const MessageSignature& signature,
                                   const SignedRequestView& request,
                                   std::chrono::system_clock::time_point now,
                                   const VerifyOptions& options = {});

// Checks, in order: alg ("rsa-v1_5-sha256", or absent with an RSA key); `created` present
// (malformed_header otherwise) and within the window, `expires` not passed; coverage (@method and
// @target-uri, as Mastodon requires; content-digest on POST); Content-Digest against the raw
// body; then the signature over the base. Errors: see SignatureError.
Result<void> verify_message_signature(const MessageSignature& signature,
                                      const SignedRequestView& request, const RequestOrigin& origin,
                                      std::string_view public_pem,
                                      std::chrono::system_clock::time_point now,
                                      const VerifyOptions& options = {});

}  // namespace civicpub::federation::signatures
