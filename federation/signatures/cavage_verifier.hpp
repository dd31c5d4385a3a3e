// Verifies a draft-cavage signature (INTEROP.md section 2, inbound rules). Parsing is separate
// (cavage_signature.hpp) so the caller can resolve `parsed.key_id` to a public key in between.
#pragma once

#include "federation/signatures/cavage_signature.hpp"
#include "federation/signatures/verify_options.hpp"

#include <chrono>
#include <string_view>

namespace civicpub::federation::signatures {

// Every check that needs no key, in order: algorithm (rsa-sha256 or hs2019, case-insensitive,
// or absent); coverage ((request-target), date or (created), digest on POST, host on GET and,
// with options.accepted_hosts, always); the signed Host among accepted_hosts; the Digest header
// against the raw body; the Date/(created) window and `expires`. The inbox runs this before it
// fetches a key, so a request that cannot be valid costs no outbound fetch.
Result<void> check_cavage_request(const ParsedSignature& parsed, const SignedRequestView& request,
                                  std::chrono::system_clock::time_point now,
                                  const VerifyOptions& options = {});

// Checks, in order: algorithm (rsa-sha256 or hs2019, case-insensitive, or absent); coverage
// ((request-target), date or (created), digest on POST, host on GET); the Digest header against
// the raw body; the Date/(created) window and `expires`; then the RSA PKCS#1 v1.5 SHA-256
// signature over the signing string with the query string and, failing that, without it.
// Errors: see SignatureError. `public_pem` unusable -> key_mismatch.
Result<void> verify_cavage(const ParsedSignature& parsed, const SignedRequestView& request,
                           std::string_view public_pem, std::chrono::system_clock::time_point now,
                           const VerifyOptions& options = {});

}  // namespace civicpub::federation::signatures
